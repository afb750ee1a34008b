package org.regionfailover.decide;

import java.time.Duration;
import java.util.Arrays;

/**
 * At most {@code count} automatic transitions (failover, fail-back, repair in place) in a
 * sliding {@code window}: a brake on a host moved again and again (Orchestrator blocks a
 * second recovery for an hour; Monit has restart limits). {@code count} 0: no limit.
 */
public record Budget(int count, Duration window) {
  static final Budget OFF = new Budget(0, Duration.ZERO);

  public Budget {
    if (count < 0 || window.isNegative()) {
      throw new IllegalArgumentException("budget needs count >= 0 and a window >= 0: " + count
          + "/" + window);
    }
  }

  public boolean limited() {
    return count > 0;
  }

  /** Whether one more transition at {@code now} fits, given the past ones in {@code history}. */
  public boolean allows(long[] history, long now) {
    return !limited() || used(history, now) < count;
  }

  /** Transitions in the window ending at {@code now}. */
  public int used(long[] history, long now) {
    long windowNanos = window.toNanos();
    return (int) Arrays.stream(history).filter(t -> now - t - windowNanos < 0).count();
  }

  /** When a slot frees: the oldest transition in the window leaves it. */
  public long nextFree(long[] history, long now) {
    long windowNanos = window.toNanos();
    return Arrays.stream(history).filter(t -> now - t - windowNanos < 0)
        .reduce((a, b) -> a - b <= 0 ? a : b).orElse(now) + windowNanos;
  }

  /** {@code history} with {@code now} added, older than the window dropped. */
  public long[] record(long[] history, long now) {
    long windowNanos = window.toNanos();
    long[] kept = Arrays.stream(history).filter(t -> now - t - windowNanos < 0).toArray();
    long[] next = Arrays.copyOf(kept, kept.length + 1);
    next[kept.length] = now;
    return next;
  }
}
