package org.regionfailover.decide;

import java.util.Arrays;

/**
 * The chain probes of the active region over the last outage threshold, immutable: the
 * evidence of the intermittent rule. About threshold / interval + 1 entries (25 by default),
 * so copying one per probe is cheap (replay runs millions a second).
 */
final class ProbeWindow {
  static final ProbeWindow EMPTY = new ProbeWindow(new long[0], new boolean[0], 0);

  private final long[] at;
  private final boolean[] failed;
  private final int failures;

  private ProbeWindow(long[] at, boolean[] failed, int failures) {
    this.at = at;
    this.failed = failed;
    this.failures = failures;
  }

  /**
   * With a probe at {@code now}, keeping those at or after {@code now - windowNanos}: both
   * ends of the threshold, 25 probes at 10 s over 4 minutes.
   */
  ProbeWindow add(long now, boolean probeFailed, long windowNanos) {
    int drop = 0;
    int dropFailures = 0;
    while (drop < at.length && now - at[drop] - windowNanos > 0) {
      dropFailures += failed[drop] ? 1 : 0;
      drop++;
    }
    int n = at.length - drop;
    long[] nextAt = Arrays.copyOfRange(at, drop, drop + n + 1);
    boolean[] nextFailed = Arrays.copyOfRange(failed, drop, drop + n + 1);
    nextAt[n] = now;
    nextFailed[n] = probeFailed;
    return new ProbeWindow(nextAt, nextFailed, failures - dropFailures + (probeFailed ? 1 : 0));
  }

  /** Failed probes over all probes in the window; 0 when empty. */
  double failureRatio() {
    return at.length == 0 ? 0 : (double) failures / at.length;
  }

  int size() {
    return at.length;
  }

  /** Whether any probe in the window failed. */
  boolean anyFailed() {
    return failures > 0;
  }

  /** When the oldest failed probe in the window began; only when {@link #anyFailed()}. */
  long oldestFailure() {
    for (int i = 0; i < at.length; i++) {
      if (failed[i]) {
        return at[i];
      }
    }
    throw new IllegalStateException("no failure in the window");
  }
}
