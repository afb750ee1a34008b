package org.regionfailover.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Issue 27: the calls of the last hour, one point per drain, bounded as the latency rings. */
class TrafficRingTest {
  @Test
  void reportsOfOneSlot_addUpIntoOnePoint_anotherSlotStartsTheNext() {
    TrafficRing ring = new TrafficRing(4);
    ring.add(7, 1000, 90, 10);
    ring.add(7, 1000, 40, 60);
    ring.add(8, 2000, 5, 5);

    TrafficSeries s = ring.series();
    assertThat(s.size()).isEqualTo(2);
    assertThat(s.volume(0)).isEqualTo(200);
    assertThat(s.unreachable(0)).isEqualTo(70);
    assertThat(s.share(0)).isEqualTo(0.35);
    assertThat(s.at(1)).isEqualTo(2000);
    assertThat(s.share(1)).isEqualTo(0.5);
  }

  @Test
  void full_theOldestGoes() {
    TrafficRing ring = new TrafficRing(3);
    for (int i = 1; i <= 5; i++) {
      ring.add(i, i * 1000L, 10, i);
    }
    TrafficSeries s = ring.series();
    assertThat(s.size()).isEqualTo(3);
    assertThat(new long[] {s.at(0), s.at(1), s.at(2)}).containsExactly(3000L, 4000L, 5000L);
    assertThat(s.unreachable(2)).isEqualTo(5);
  }

  @Test
  void resized_keepsTheNewest_andTheNewestDrainStillAddsToItsPoint() {
    TrafficRing ring = new TrafficRing(5);
    for (int i = 1; i <= 5; i++) {
      ring.add(i, i * 1000L, 10, 0);
    }
    TrafficRing smaller = ring.resized(2);
    smaller.add(5, 5000, 0, 10);
    TrafficSeries s = smaller.series();
    assertThat(s.size()).isEqualTo(2);
    assertThat(s.at(0)).isEqualTo(4000);
    assertThat(s.volume(1)).isEqualTo(20);
    assertThat(s.share(1)).isEqualTo(0.5);
    assertThat(ring.resized(5)).isSameAs(ring);
  }

  @Test
  void anEmptyInterval_isAShareOfZero_andNoCapacityIsRefused() {
    TrafficRing ring = new TrafficRing(1);
    ring.add(1, 1000, 0, 0);
    assertThat(ring.series().share(0)).isZero();
    assertThatThrownBy(() -> new TrafficRing(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
