package org.regionfailover.report.datadog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.regionfailover.FakeTicker;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.config.DatadogSettings;

/** Drop reports on a fake ticker: a local line at most once an interval; Datadog told of all. */
class DropReporterTest {
  private static final Duration INTERVAL = Duration.ofSeconds(10);
  // Near the wrap-around, so that only subtraction can compare the times correctly.
  private final FakeTicker ticker = new FakeTicker(Long.MAX_VALUE - 5_000_000_000L);
  private final ShipperCounts counts = new ShipperCounts();
  private final RecordingEventLog local = new RecordingEventLog();
  private final DropReporter reporter =
      new DropReporter(counts, converter(), local, ticker, INTERVAL);

  @Test
  void logQueueFullIfDue_dropsWithinTheInterval_oneLinePerInterval() {
    drop(3);
    reporter.logQueueFullIfDue(false); // first drops: at once
    drop(2);
    ticker.advance(INTERVAL.minusMillis(1));
    reporter.logQueueFullIfDue(false); // too soon
    ticker.advance(Duration.ofMillis(1));
    reporter.logQueueFullIfDue(false);

    assertThat(local.named("datadog_queue_full"))
        .extracting(e -> e.fields().get("dropped"), e -> e.fields().get("dropped_total"))
        .containsExactly(tuple(3L, 3L), tuple(2L, 5L));
  }

  @Test
  void logQueueFullIfDue_noNewDrops_noLine() {
    ticker.advance(INTERVAL.multipliedBy(3));
    reporter.logQueueFullIfDue(true);

    assertThat(local.events()).isEmpty();
  }

  @Test
  void pending_refusedAndQueueFull_bothToldAndNotRepeatedOnceAccepted() {
    drop(2);
    counts.offered();
    counts.refused(1);

    DropReporter.Report report = reporter.pending().orElseThrow();
    reporter.told(report);

    assertThat(report.item().getAdditionalProperties())
        .containsEntry("event", "datadog_dropped")
        .containsEntry("dropped", 3L)
        .containsEntry("dropped_queue_full", 2L)
        .containsEntry("dropped_refused", 1L);
    assertThat(reporter.pending()).isEmpty();
  }

  private void drop(int n) {
    for (int i = 0; i < n; i++) {
      counts.offered();
      counts.queueFull();
    }
  }

  private static LogItemConverter converter() {
    DatadogSettings settings = new DatadogSettings("key", null, URI.create("http://127.0.0.1:9"),
        null, "test", List.of(), "host-1", 10, Duration.ofSeconds(5));
    return new LogItemConverter(settings, () -> "EU");
  }
}
