package org.regionfailover.decide;

import java.util.Arrays;

/** The times (ticker nanoseconds) of the automatic transitions in the budget's window. */
public final class TransitionHistory {
  static final TransitionHistory NONE = new TransitionHistory(new long[0]);

  private final long[] times;

  private TransitionHistory(long[] times) {
    this.times = times;
  }

  /** From times read back at start-up (a restart must not escape its budget). */
  public static TransitionHistory of(long... times) {
    return new TransitionHistory(times.clone());
  }

  long[] times() {
    return times;
  }

  /** With a transition at {@code now}; those older than {@code keepNanos} dropped, the last kept. */
  TransitionHistory record(long now, long keepNanos) {
    long[] kept = Arrays.stream(times).filter(t -> now - t - keepNanos < 0).toArray();
    long[] next = Arrays.copyOf(kept, kept.length + 1);
    next[kept.length] = now;
    return new TransitionHistory(next);
  }

  /** Whether there was any transition. */
  boolean any() {
    return times.length > 0;
  }

  /** The last transition; only when {@link #any()}. */
  long last() {
    return times[times.length - 1];
  }

  /** The times, oldest first, to persist. */
  public long[] toArray() {
    return times.clone();
  }

  /** How many, for reports. */
  public int size() {
    return times.length;
  }

  @Override
  public String toString() {
    return Arrays.toString(times);
  }
}
