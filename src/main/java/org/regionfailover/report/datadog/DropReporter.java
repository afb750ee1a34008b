package org.regionfailover.report.datadog;

import ch.qos.logback.classic.Level;
import com.datadog.api.client.v2.model.HTTPLogItem;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Ticker;

/**
 * Tells of lost events: locally ({@code datadog_queue_full}, at most once an interval) and to
 * Datadog itself ({@code datadog_dropped}, sent after a successful post). Sender thread only.
 */
final class DropReporter {
  private final ShipperCounts counts;
  private final LogItemConverter converter;
  private final EventLog localLog;
  private final Ticker ticker;
  private final long intervalNanos;

  private long queueFullLogged;
  private long lastLog;
  private long droppedTold;

  DropReporter(
      ShipperCounts counts,
      LogItemConverter converter,
      EventLog localLog,
      Ticker ticker,
      Duration interval) {
    this.counts = counts;
    this.converter = converter;
    this.localLog = localLog;
    this.ticker = ticker;
    this.intervalNanos = interval.toNanos();
    // The first drops are reported at once, not an interval after start-up.
    this.lastLog = ticker.read() - intervalNanos;
  }

  /** The least time between two local reports. */
  Duration interval() {
    return Duration.ofNanos(intervalNanos);
  }

  /** Logs locally how many events a full queue dropped since the last line, if one is due. */
  void logQueueFullIfDue(boolean force) {
    long total = counts.snapshot().queueFull();
    long now = ticker.read();
    if (total == queueFullLogged || (!force && now - lastLog < intervalNanos)) {
      return;
    }
    localLog.emit(
        Event.warn("datadog_queue_full", "Datadog queue is full; log events were dropped")
            .with("dropped", total - queueFullLogged)
            .with("dropped_total", total));
    queueFullLogged = total;
    lastLog = now;
  }

  /** A datadog_dropped item for the losses Datadog has not been told of yet, if any. */
  Optional<Report> pending() {
    ShipperCounts.Snapshot now = counts.snapshot();
    long total = now.dropped();
    long untold = total - droppedTold;
    if (untold <= 0) {
      return Optional.empty();
    }
    HTTPLogItem item =
        converter.synthetic(
            Level.WARN,
            "datadog_dropped",
            "Dropped " + untold
                + " log events: the Datadog queue was full or the intake refused them",
            Map.of(
                "dropped", untold,
                "dropped_total", total,
                "dropped_queue_full", now.queueFull(),
                "dropped_refused", now.refused()));
    return Optional.of(new Report(item, total));
  }

  /** Datadog accepted {@code report}; the next one counts from there. */
  void told(Report report) {
    droppedTold = Math.max(droppedTold, report.total());
  }

  /** A datadog_dropped item and the running total it reports. */
  record Report(HTTPLogItem item, long total) {}
}
