package org.regionfailover;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Waits for a condition that real processes or threads make true, with a deadline. Only for
 * integration tests that run on the real clock; unit tests advance a fake ticker instead.
 */
public final class Await {
  private Await() {}

  /** Waits for {@code what} to become true, e.g. "supervisord to be RUNNING". */
  public static long until(String what, Duration within, Callable<Boolean> condition) {
    return until(within, condition, () -> what);
  }

  /** Returns the {@link System#nanoTime()} at which {@code condition} held; fails after {@code within}. */
  public static long until(Duration within, Callable<Boolean> condition, Supplier<String> onTimeout) {
    long deadline = System.nanoTime() + within.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return System.nanoTime();
        }
      } catch (Exception e) {
        last = e; // not yet: a file may be mid-creation, a socket not yet open
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + within + ": " + onTimeout.get(), last);
      }
      LockSupport.parkNanos(5_000_000L);
    }
  }
}
