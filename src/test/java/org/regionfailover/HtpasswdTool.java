package org.regionfailover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code htpasswd} (apache2-utils), to make the files operators will give the
 * server. Skipped with a reason without it, a failure on CI (env CI=true).
 */
public final class HtpasswdTool {
  private HtpasswdTool() {}

  /** Adds {@code user} with {@code password} to {@code file} (created if new) with {@code options}. */
  public static void add(Path file, String user, String password, String... options)
      throws IOException, InterruptedException {
    // -i: the password on stdin, not in the process list.
    List<String> cmd = new ArrayList<>(List.of(require().toString(), "-i"));
    if (!Files.exists(file)) {
      cmd.add("-c");
    }
    cmd.addAll(List.of(options));
    cmd.addAll(List.of(file.toString(), user));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write((password + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("htpasswd failed: " + output);
    }
  }

  /** The htpasswd executable on PATH; skips (or fails on CI) when there is none. */
  public static Path require() {
    Path htpasswd = Prerequisite.onPath("htpasswd");
    return htpasswd != null ? htpasswd
        : Prerequisite.missing("htpasswd is not on PATH; install Debian's 'apache2-utils'");
  }
}
