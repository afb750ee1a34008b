package org.regionfailover.status;

import java.util.Arrays;

/**
 * The probes of one region of one kind (chain or direct) over the last hour, oldest first,
 * immutable: when each began (epoch milliseconds), its latency and whether it was healthy.
 */
public final class LatencySeries {
  static final LatencySeries EMPTY = new LatencySeries(new long[0], new long[0], new boolean[0]);

  private final long[] at;
  private final long[] latencyMs;
  private final boolean[] ok;

  LatencySeries(long[] at, long[] latencyMs, boolean[] ok) {
    this.at = at;
    this.latencyMs = latencyMs;
    this.ok = ok;
  }

  public int size() {
    return at.length;
  }

  /** When probe {@code i} began, epoch milliseconds. */
  public long at(int i) {
    return at[i];
  }

  public long latencyMs(int i) {
    return latencyMs[i];
  }

  public boolean ok(int i) {
    return ok[i];
  }

  @Override
  public String toString() {
    return "LatencySeries" + Arrays.toString(at);
  }
}
