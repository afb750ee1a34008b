package org.regionfailover.report.datadog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Outcome counting: after stop, shipped + dropped == offered however the events were held. */
class ShipperCountsTest {
  private final ShipperCounts counts = new ShipperCounts();

  @Test
  void snapshot_beforeStop_pendingEventsInNeitherShippedNorDropped() {
    offer(10);
    counts.shipped(4);
    counts.offered(); // the eleventh finds the queue full
    counts.queueFull();

    ShipperCounts.Snapshot now = counts.snapshot();

    assertThat(now.offered()).isEqualTo(11);
    assertThat(now.shipped()).isEqualTo(4);
    assertThat(now.dropped()).isEqualTo(1);
    assertThat(now.atStop()).isZero();
  }

  @Test
  void stop_pendingEvents_countedAsDroppedAtStop() {
    offer(10);
    counts.shipped(4);
    counts.refused(2);

    ShipperCounts.Snapshot last = counts.stop();

    assertThat(last.atStop()).isEqualTo(4);
    assertThat(last.shipped() + last.dropped()).isEqualTo(last.offered());
  }

  @Test
  void shipped_afterStop_ignoredSoTheFinalReportStaysTrue() {
    offer(5);
    ShipperCounts.Snapshot last = counts.stop();

    counts.shipped(5); // a hung post that answered after the deadline
    counts.refused(5);

    assertThat(counts.snapshot()).isEqualTo(last);
  }

  @Test
  void offer_afterStop_countedAsDropped() {
    counts.stop();

    offer(3);

    assertThat(counts.snapshot().dropped()).isEqualTo(3);
  }

  private void offer(int n) {
    for (int i = 0; i < n; i++) {
      counts.offered();
    }
  }
}
