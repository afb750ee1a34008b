package org.regionfailover.time;

/**
 * A monotonic time source in nanoseconds, injected wherever code measures or waits.
 *
 * <p>Values are only meaningful relative to each other: compare them by subtraction
 * ({@code a - b > 0}), never with {@code <}, so that a wrap past {@link Long#MAX_VALUE}
 * is harmless.
 */
@FunctionalInterface
public interface Ticker {
  /** Nanoseconds from an arbitrary origin. */
  long read();

  /** The JVM's monotonic clock. */
  static Ticker system() {
    return System::nanoTime;
  }
}
