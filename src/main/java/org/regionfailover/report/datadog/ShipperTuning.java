package org.regionfailover.report.datadog;

import java.time.Duration;
import java.util.Objects;
import org.regionfailover.time.Backoff;

/**
 * The shipper's timing knobs. Not user settings: the defaults follow Datadog's intake limits and
 * tests shrink them to keep retries fast.
 *
 * @param flushInterval longest time an event waits in a half-full batch
 * @param backoff waits between failed posts
 * @param dropLogInterval least time between two local "queue full" lines
 */
record ShipperTuning(Duration flushInterval, Backoff backoff, Duration dropLogInterval) {
  // 2 s keeps a failover visible in Datadog within seconds while batching a busy loop.
  // Backoff 1 s..60 s: a rate-limited or down intake is asked at most once a minute per host.
  static final ShipperTuning DEFAULT =
      new ShipperTuning(
          Duration.ofSeconds(2),
          new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60)),
          Duration.ofSeconds(10));

  ShipperTuning {
    Objects.requireNonNull(flushInterval, "flushInterval");
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(dropLogInterval, "dropLogInterval");
    if (flushInterval.isNegative() || flushInterval.isZero()) {
      throw new IllegalArgumentException("flushInterval must be positive: " + flushInterval);
    }
  }
}
