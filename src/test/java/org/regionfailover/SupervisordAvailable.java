package org.regionfailover;

import java.nio.file.Path;

/**
 * Guards tests that need a real supervisord: skipped with a reason on a developer machine
 * without it, but a failure on CI (env CI=true), where a silent skip would hide the gap.
 */
public final class SupervisordAvailable {
  private SupervisordAvailable() {}

  /** The supervisord executable on PATH; skips (or fails on CI) when there is none. */
  public static Path require() {
    Path supervisord = Prerequisite.onPath("supervisord");
    return supervisord != null ? supervisord : Prerequisite.missing(
        "supervisord is not on PATH (" + Prerequisite.path() + "); install Debian's 'supervisor'");
  }
}
