package org.regionfailover;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a deadline passes: for tests of background threads. */
public final class Eventually {
  // Short enough to add little latency, long enough not to burn a core while polling.
  private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

  private Eventually() {}

  /** Returns once {@code condition} holds; fails naming {@code what} after {@code timeout}. */
  public static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
