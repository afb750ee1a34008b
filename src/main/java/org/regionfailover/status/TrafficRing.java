package org.regionfailover.status;

/**
 * A bounded ring of the applications' calls through one region, one point per interval,
 * written by the loop's thread only, as {@link LatencyRing} is for probes. The reports of
 * one drain (every source's, stamped with the same slot) add up into one point, so two
 * sources make one share per interval, not two.
 */
final class TrafficRing {
  private final long[] at;
  private final long[] volume;
  private final long[] unreachable;
  private int next;
  private int size;
  /** The ticker slot of the newest point: a report of the same drain adds to it. */
  private long lastSlot;

  TrafficRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    at = new long[capacity];
    volume = new long[capacity];
    unreachable = new long[capacity];
  }

  /**
   * Adds a report taken at ticker {@code slot} ({@code atMillis} on the wall clock): to the
   * newest point when of the same slot, else as a new one; the oldest goes once full.
   */
  void add(long slot, long atMillis, long ok, long unreachableCalls) {
    if (size > 0 && slot == lastSlot) {
      int newest = (next - 1 + at.length) % at.length;
      volume[newest] += ok + unreachableCalls;
      unreachable[newest] += unreachableCalls;
      return;
    }
    at[next] = atMillis;
    volume[next] = ok + unreachableCalls;
    unreachable[next] = unreachableCalls;
    lastSlot = slot;
    next = (next + 1) % at.length;
    size = Math.min(size + 1, at.length);
  }

  /** A ring of {@code capacity} holding this one's newest points, oldest first. */
  TrafficRing resized(int capacity) {
    if (capacity == at.length) {
      return this;
    }
    TrafficRing grown = new TrafficRing(capacity);
    TrafficSeries kept = series();
    int n = kept.size();
    for (int i = Math.max(0, n - capacity); i < n; i++) {
      grown.add(i, kept.at(i), kept.volume(i) - kept.unreachable(i), kept.unreachable(i));
    }
    // A report of the newest point's drain still adds to it after the resize.
    grown.lastSlot = lastSlot;
    return grown;
  }

  /** The points now, oldest first. */
  TrafficSeries series() {
    long[] a = new long[size];
    long[] v = new long[size];
    long[] u = new long[size];
    int start = (next - size + at.length) % at.length;
    for (int i = 0; i < size; i++) {
      int j = (start + i) % at.length;
      a[i] = at[j];
      v[i] = volume[j];
      u[i] = unreachable[j];
    }
    return new TrafficSeries(a, v, u);
  }
}
