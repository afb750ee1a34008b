package org.regionfailover.status;

/**
 * A bounded ring of probes, written by the loop's thread only; readers get an immutable
 * {@link LatencySeries} built after each write (an hour is a few hundred probes at the
 * production cadences, so the copy is cheap, and no reader ever shares the ring).
 */
final class LatencyRing {
  private final long[] at;
  private final long[] latencyMs;
  private final boolean[] ok;
  private int next;
  private int size;

  LatencyRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    at = new long[capacity];
    latencyMs = new long[capacity];
    ok = new boolean[capacity];
  }

  /** Adds a probe; the oldest goes once the ring is full. */
  void add(long atMillis, long latency, boolean healthy) {
    at[next] = atMillis;
    latencyMs[next] = latency;
    ok[next] = healthy;
    next = (next + 1) % at.length;
    size = Math.min(size + 1, at.length);
  }

  /** A ring of {@code capacity} holding this one's newest probes, oldest first. */
  LatencyRing resized(int capacity) {
    if (capacity == at.length) {
      return this;
    }
    LatencyRing next = new LatencyRing(capacity);
    LatencySeries kept = series();
    int n = kept.size();
    for (int i = Math.max(0, n - capacity); i < n; i++) {
      next.add(kept.at(i), kept.latencyMs(i), kept.ok(i));
    }
    return next;
  }

  /** The probes now, oldest first. */
  LatencySeries series() {
    long[] a = new long[size];
    long[] l = new long[size];
    boolean[] o = new boolean[size];
    int start = (next - size + at.length) % at.length;
    for (int i = 0; i < size; i++) {
      int j = (start + i) % at.length;
      a[i] = at[j];
      l[i] = latencyMs[j];
      o[i] = ok[j];
    }
    return new LatencySeries(a, l, o);
  }

  /** Slots for one hour at one probe per {@code intervalMillis}, at most {@code max}. */
  static int hourAt(long intervalMillis, int max) {
    long n = 3_600_000L / Math.max(1, intervalMillis) + 1;
    return (int) Math.min(n, max);
  }
}
