package org.regionfailover.act.hook;

import java.time.Duration;
import java.util.Objects;

/**
 * How one hook run ended: its exit code (-1 when it could not start or was killed), whether
 * its timeout killed it, the last line it printed (stdout and stderr together; empty if
 * none, or why it could not start) and how long it took.
 */
public record HookOutcome(int exitCode, boolean timedOut, String lastLine, Duration took) {
  public HookOutcome {
    Objects.requireNonNull(lastLine, "lastLine");
    Objects.requireNonNull(took, "took");
  }

  /** Exited 0 within its timeout. */
  public boolean succeeded() {
    return exitCode == 0 && !timedOut;
  }
}
