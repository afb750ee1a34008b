package org.regionfailover.status;

import java.util.Arrays;

/**
 * The applications' calls through one region over the last hour (issue 27), one point per
 * interval that had a report, oldest first, immutable: when (epoch milliseconds), how many
 * calls ({@code volume}: went through or found the region unreachable, as the traffic rule
 * counts them) and how many of them found it unreachable.
 */
public final class TrafficSeries {
  static final TrafficSeries EMPTY = new TrafficSeries(new long[0], new long[0], new long[0]);

  private final long[] at;
  private final long[] volume;
  private final long[] unreachable;

  TrafficSeries(long[] at, long[] volume, long[] unreachable) {
    this.at = at;
    this.volume = volume;
    this.unreachable = unreachable;
  }

  public int size() {
    return at.length;
  }

  /** When the interval's reports were taken, epoch milliseconds. */
  public long at(int i) {
    return at[i];
  }

  public long volume(int i) {
    return volume[i];
  }

  public long unreachable(int i) {
    return unreachable[i];
  }

  /** The share of point {@code i}'s calls that found the region unreachable; 0 with none. */
  public double share(int i) {
    return volume[i] == 0 ? 0 : (double) unreachable[i] / volume[i];
  }

  @Override
  public String toString() {
    return "TrafficSeries" + Arrays.toString(at);
  }
}
