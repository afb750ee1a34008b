package org.regionfailover.time;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "full jitter": attempt n waits a random time in
 * [initial * 2^n / 2, initial * 2^n], capped at {@code max}.
 *
 * <p>Half the window is kept as a floor so that a retry never fires immediately after a
 * failure; the random half spreads a fleet of hosts that failed together.
 */
public record Backoff(Duration initial, Duration max) {
  public Backoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial backoff must be positive: " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max backoff " + max + " is below initial " + initial);
    }
  }

  /** The delay before retry number {@code attempt} (0 for the first retry). */
  public Duration delay(int attempt, DoubleSupplier random) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt cannot be negative: " + attempt);
    }
    long cap = max.toNanos();
    long window = initial.toNanos();
    // Doubling with a cap instead of a shift: a shift overflows silently for large attempts.
    for (int i = 0; i < attempt && window < cap; i++) {
      window = window > cap / 2 ? cap : window * 2;
    }
    window = Math.min(window, cap);
    double r = Math.max(0.0, Math.min(1.0, random.getAsDouble()));
    long half = window / 2;
    return Duration.ofNanos(half + (long) (r * (window - half)));
  }
}
