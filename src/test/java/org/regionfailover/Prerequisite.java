package org.regionfailover;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (a Debian package): skipped with a reason on a
 * developer machine without it, a failure on CI (env CI=true), where a silent skip would
 * hide the gap.
 */
public final class Prerequisite {
  private Prerequisite() {}

  /** The executable {@code name} on PATH, or null when there is none. */
  public static Path onPath(String name) {
    for (String dir : path().split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** The PATH of this process, empty when unset. */
  public static String path() {
    return System.getenv().getOrDefault("PATH", "");
  }

  /** Skips the test saying {@code message}, or fails it on CI; never returns. */
  public static <T> T missing(String message) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message + " -- required when CI=true");
    }
    System.err.println("SKIPPED: " + message);
    return Assumptions.abort(message);
  }
}
