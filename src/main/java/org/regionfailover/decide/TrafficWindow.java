package org.regionfailover.decide;

import java.util.Arrays;

/**
 * The applications' calls through the active region over the last outage threshold,
 * immutable: one entry per report the loop took (one per interval per source), each the
 * calls that went through and those that found the region unreachable since the report
 * before. Emptied at every transition: counts from before a move say nothing about where
 * the host is now (envoy#1491: counters not reset after an ejection).
 */
final class TrafficWindow {
  static final TrafficWindow EMPTY = new TrafficWindow(new long[0], new long[0], new long[0],
      0, 0, false, -1);

  private final long[] at;
  private final long[] ok;
  private final long[] unreachable;
  private final long totalOk;
  private final long totalUnreachable;
  /** Whether the traffic's outage was reported ({@code outage_started}): once per outage. */
  private final boolean down;
  /**
   * Since when every report with calls has had at least the rule's share unreachable (-1:
   * not failing): a burst at the end of a window must not fail over before the threshold
   * it promises, as the intermittent rule's failures must span its window.
   */
  private final long failingSince;

  private TrafficWindow(long[] at, long[] ok, long[] unreachable, long totalOk,
      long totalUnreachable, boolean down, long failingSince) {
    this.down = down;
    this.failingSince = failingSince;
    this.at = at;
    this.ok = ok;
    this.unreachable = unreachable;
    this.totalOk = totalOk;
    this.totalUnreachable = totalUnreachable;
  }

  /**
   * With a report at {@code now}, keeping those at or after {@code now - windowNanos}; a
   * report with calls of which at least {@code ratio} were unreachable keeps the failing
   * clock running (or starts it), one below it stops it, one without calls leaves it.
   */
  TrafficWindow add(long now, long okCalls, long unreachableCalls, long windowNanos,
      double ratio) {
    int drop = 0;
    long dropOk = 0;
    long dropUnreachable = 0;
    while (drop < at.length && now - at[drop] - windowNanos > 0) {
      dropOk += ok[drop];
      dropUnreachable += unreachable[drop];
      drop++;
    }
    int n = at.length - drop;
    long[] nextAt = Arrays.copyOfRange(at, drop, drop + n + 1);
    long[] nextOk = Arrays.copyOfRange(ok, drop, drop + n + 1);
    long[] nextUnreachable = Arrays.copyOfRange(unreachable, drop, drop + n + 1);
    nextAt[n] = now;
    nextOk[n] = okCalls;
    nextUnreachable[n] = unreachableCalls;
    long calls = okCalls + unreachableCalls;
    long failing = calls == 0 ? failingSince
        : (double) unreachableCalls / calls >= ratio ? (failingSince < 0 ? now : failingSince)
        : -1;
    return new TrafficWindow(nextAt, nextOk, nextUnreachable, totalOk - dropOk + okCalls,
        totalUnreachable - dropUnreachable + unreachableCalls, down, failing);
  }

  /**
   * The reports at or after {@code now - windowNanos}: a source that fell silent must not
   * leave its old counts deciding (they go as time passes, not only as reports come).
   */
  TrafficWindow trimmed(long now, long windowNanos) {
    int drop = 0;
    while (drop < at.length && now - at[drop] - windowNanos > 0) {
      drop++;
    }
    if (drop == 0) {
      return this;
    }
    long okLeft = 0;
    long unreachableLeft = 0;
    for (int i = drop; i < at.length; i++) {
      okLeft += ok[i];
      unreachableLeft += unreachable[i];
    }
    return new TrafficWindow(Arrays.copyOfRange(at, drop, at.length),
        Arrays.copyOfRange(ok, drop, ok.length),
        Arrays.copyOfRange(unreachable, drop, unreachable.length), okLeft, unreachableLeft,
        down, failingSince);
  }

  /** Since when the reports have been failing; -1: they are not. */
  long failingSince() {
    return failingSince;
  }

  /** Whether the traffic's outage is reported. */
  boolean down() {
    return down;
  }

  /** With the traffic's outage reported ({@code true}) or over. */
  TrafficWindow down(boolean next) {
    return next == down ? this : new TrafficWindow(at, ok, unreachable, totalOk,
        totalUnreachable, next, failingSince);
  }

  /** Calls in the window, through or not. */
  long volume() {
    return totalOk + totalUnreachable;
  }

  long unreachable() {
    return totalUnreachable;
  }

  /** Unreachable calls over all calls; 0 when there were none. */
  double unreachableShare() {
    long v = volume();
    return v == 0 ? 0 : (double) totalUnreachable / v;
  }

  /** When the oldest report in the window came; only when not empty. */
  long oldest() {
    return at[0];
  }

  boolean isEmpty() {
    return at.length == 0;
  }
}
