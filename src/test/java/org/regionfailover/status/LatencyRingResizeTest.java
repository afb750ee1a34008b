package org.regionfailover.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 26: a reload of the interval resizes the hour of latency kept, keeping the newest probes. */
class LatencyRingResizeTest {
  private static LatencyRing ring(int capacity, int probes) {
    LatencyRing ring = new LatencyRing(capacity);
    for (int i = 1; i <= probes; i++) {
      ring.add(i * 1000L, i, i % 2 == 0);
    }
    return ring;
  }

  @Test
  void smaller_keepsTheNewestProbesOldestFirst() {
    LatencySeries kept = ring(5, 7).resized(3).series(); // holds 3..7
    assertThat(kept.size()).isEqualTo(3);
    assertThat(new long[] {kept.at(0), kept.at(1), kept.at(2)})
        .containsExactly(5000L, 6000L, 7000L);
    assertThat(kept.ok(0)).isFalse();
    assertThat(kept.latencyMs(2)).isEqualTo(7);
  }

  @Test
  void larger_keepsEveryProbe_andHasRoomForMore() {
    LatencyRing grown = ring(3, 5).resized(10);
    grown.add(6000L, 6, true);
    LatencySeries s = grown.series();
    assertThat(s.size()).isEqualTo(4);
    assertThat(s.at(0)).isEqualTo(3000L);
    assertThat(s.at(3)).isEqualTo(6000L);
  }
}
