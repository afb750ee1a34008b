package org.regionfailover.decide;

/**
 * A probe far later than the interval means the process did not run on time (GC, VM or
 * SIGSTOP pause): the gap is not evidence. Half an interval of slack absorbs scheduling
 * jitter and slow probes, which end before the next slot because the timeout is below the
 * interval.
 */
final class PauseRule {
  static final double LATE_FACTOR = 1.5;

  private final long intervalNanos;
  private final long lateNanos;

  PauseRule(long intervalNanos) {
    this.intervalNanos = intervalNanos;
    this.lateNanos = (long) (intervalNanos * LATE_FACTOR);
  }

  /** Whether a probe at {@code now} after one at {@code lastProbeAt} is late. */
  boolean late(long lastProbeAt, long now) {
    return now - lastProbeAt - lateNanos > 0;
  }

  /**
   * Where an outage that started at {@code since} starts once the unwatched part of a late
   * gap is taken out: only time we actually spent watching counts toward the threshold.
   */
  long shift(long since, long lastProbeAt, long now) {
    return since + (now - lastProbeAt - intervalNanos);
  }

  long intervalNanos() {
    return intervalNanos;
  }
}
