package org.regionfailover.loop;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Input;
import org.regionfailover.probe.TrafficCounts;
import org.regionfailover.probe.TrafficSource;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Ticker;

/**
 * Drains a set's traffic sources once per interval on its own thread (issue 27) and posts
 * what each saw to the loop, one {@link Input.Traffic} per region reported: the loop never
 * waits on a source (a log read through supervisord), and a probe never waits on a drain.
 * Reports a source had to drop are told at most once a minute ({@code evidence_dropped}).
 */
public final class TrafficDrainer {
  static final Duration DROPPED_EVERY = Duration.ofMinutes(1);

  private final FailoverLoop loop;
  private final List<TrafficSource> sources;
  private final EventLog log;
  private final Ticker ticker;
  /** Under this drainer's monitor: the runner's thread and a stop's. */
  private long dropped;
  private long droppedSince;
  private boolean droppedToldOnce;
  private long droppedToldAt;

  /** Drains {@code sources} into {@code loop}. */
  public TrafficDrainer(FailoverLoop loop, List<TrafficSource> sources, EventLog log,
      Ticker ticker) {
    this.loop = Objects.requireNonNull(loop, "loop");
    this.sources = List.copyOf(sources);
    this.log = Objects.requireNonNull(log, "log");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /** One drain of every source, stamped {@code slot}. */
  public void tick(long slot) {
    for (TrafficSource source : sources) {
      // The drain outside the monitor: a log read through supervisord never holds up a stop.
      for (TrafficCounts counts : source.drain()) {
        countDropped(counts.dropped(), slot);
        if (!counts.isEmpty()) {
          Input.Traffic input = input(counts);
          if (input != null) {
            loop.post(input, slot);
          }
        }
      }
    }
    synchronized (this) {
      tellDropped(false);
    }
  }

  /**
   * At a stop (the runner closed): tells the drops not told yet, those waiting for the
   * next minute's line and those the sources hold since their last drain, the minute's
   * limit aside, so that every dropped report is counted in the log before the process
   * ends. Safe beside a tick still running: the counts are taken atomically.
   */
  public void tellDroppedAtStop() {
    long slot = ticker.read();
    for (TrafficSource source : sources) {
      countDropped(source.takeDropped(), slot);
    }
    synchronized (this) {
      tellDropped(true);
    }
  }

  private synchronized void countDropped(long n, long slot) {
    if (dropped == 0 && n > 0) {
      droppedSince = slot;
    }
    dropped += n;
  }

  /**
   * {@code counts} as the loop's input: the region by its index in the order, the active
   * one when the source cannot tell; null for a region not in the order (the endpoint
   * refuses those, so only a source's bug).
   */
  private Input.Traffic input(TrafficCounts counts) {
    int region;
    if (counts.region() == null) {
      region = loop.activeIndex();
    } else {
      List<Region> order = loop.policyOrder();
      region = -1;
      for (int i = 0; i < order.size(); i++) {
        if (order.get(i).name().equals(counts.region())) {
          region = i;
        }
      }
      if (region < 0) {
        return null;
      }
    }
    return new Input.Traffic(region, counts.ok(), counts.unreachable(), counts.byClass(),
        counts.source());
  }

  private void tellDropped(boolean stopping) {
    long now = ticker.read();
    if (dropped == 0 || (!stopping && droppedToldOnce
        && now - droppedToldAt < DROPPED_EVERY.toNanos())) {
      return;
    }
    long seconds = Math.max(0, Duration.ofNanos(now - droppedSince).toSeconds());
    log.emit(Event.warn("evidence_dropped", dropped + " traffic reports dropped in the last "
            + seconds + " s: more than the evidence endpoint takes per second (a client"
            + " reporting every call, or a flood); the probe is not affected")
        .with("dropped", dropped).with("seconds", seconds));
    dropped = 0;
    droppedToldOnce = true;
    droppedToldAt = now;
  }
}
