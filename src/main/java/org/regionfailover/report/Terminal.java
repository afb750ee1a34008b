package org.regionfailover.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether stdout is a terminal, and whether that terminal takes colour. Read from
 * {@code /proc/self/fd/1}: Java 17's {@code System.console()} asks about stdin too, so
 * {@code region-failover demo < /dev/null} on a terminal would count as piped; it is the
 * fallback where {@code /proc} is missing.
 */
public final class Terminal {
  private Terminal() {}

  /** Whether the process's stdout is a terminal. */
  public static boolean stdout() {
    try {
      return device(Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString());
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }

  /** Whether {@code target}, where a file descriptor points, is a terminal device. */
  static boolean device(String target) {
    return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty")
        || target.equals("/dev/console");
  }

  /**
   * Whether a terminal in the environment {@code env} takes colour: not when NO_COLOR is set
   * to anything (no-color.org), nor when TERM is unset, empty or {@code dumb}.
   */
  public static boolean colour(Map<String, String> env) {
    String noColour = env.get("NO_COLOR");
    String term = env.get("TERM");
    return (noColour == null || noColour.isEmpty()) && term != null && !term.isBlank()
        && !term.equals("dumb");
  }
}
