package org.regionfailover.act;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a real process to reach a condition, with a deadline: for integration tests only. */
final class Poll {
  private Poll() {}

  /** Polls {@code condition} every 50 ms until true; fails with {@code what} after {@code deadline}. */
  static void until(String what, Duration deadline, Callable<Boolean> condition) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    Exception last = null;
    while (end - System.nanoTime() > 0) {
      try {
        if (condition.call()) {
          return;
        }
      } catch (Exception e) {
        last = e; // the process may not be up yet; keep the latest reason for the failure message
      }
      Thread.sleep(50);
    }
    throw new AssertionError("timed out after " + deadline + " waiting for " + what, last);
  }
}
