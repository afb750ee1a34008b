package org.regionfailover.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.regionfailover.act.envfile.EnvFileLock;

/**
 * {@code region-failover reload}: finds the supervisor that holds the env file's lock (its
 * pid is in the lock file) and sends it SIGHUP, which the JVM cannot send itself. Exit 0
 * signalled, 1 the signal could not be sent or would be ignored (a process started under
 * nohup ignores SIGHUP), 2 the holder runs with another settings file, 3 not running (nobody
 * holds the lock).
 */
final class ReloadCommand {
  static final int NOT_RUNNING = 3;

  private final List<Path> envFiles;
  private final Optional<Path> settingsFile;
  private final Path proc;
  private final PrintStream out;
  private final PrintStream err;

  /**
   * Signals the holder of the first of {@code envFiles} (each set's, in order) that is
   * locked, if it was started with {@code settingsFile} (empty: none), as far as
   * {@code proc} ({@code /proc}) tells.
   */
  ReloadCommand(List<Path> envFiles, Optional<Path> settingsFile, Path proc, PrintStream out,
      PrintStream err) {
    this.envFiles = List.copyOf(envFiles);
    this.settingsFile = settingsFile;
    this.proc = proc;
    this.out = out;
    this.err = err;
  }

  int call() throws InterruptedException {
    // The first set may be one the running process does not have yet (a new file in the
    // sets directory): any set's lock finds it.
    Path envFile = envFiles.get(0);
    OptionalLong pid = OptionalLong.empty();
    for (Path candidate : envFiles) {
      try {
        pid = EnvFileLock.holder(candidate);
      } catch (IOException e) {
        err.println("region-failover reload: cannot read the lock "
            + EnvFileLock.fileFor(candidate) + ": " + e);
        return Cli.FAILED;
      }
      if (pid.isPresent()) {
        envFile = candidate;
        break;
      }
    }
    Path lock = EnvFileLock.fileFor(envFile);
    if (pid.isEmpty()) {
      err.println("region-failover reload: not running: no supervisor holds " + lock
          + " (the lock of " + envFile + ")");
      return NOT_RUNNING;
    }
    if (pid.getAsLong() <= 0) {
      err.println("region-failover reload: " + lock + " is held, but names no pid");
      return Cli.FAILED;
    }
    String n = Long.toString(pid.getAsLong());
    Optional<ProcSettingsFileLookup.StartedWith> theirs =
        new ProcSettingsFileLookup(proc).of(pid.getAsLong());
    if (theirs.isPresent()
        && !ProcSettingsFileLookup.same(theirs.get().file(), settingsFile)) {
      // It would read its own file: "sent" would make the operator believe these edits run.
      err.println("region-failover reload: not signalled: pid " + n + " (holding " + lock
          + ") runs with " + theirs.get().describe() + ", not "
          + new ProcSettingsFileLookup.StartedWith(settingsFile).describe()
          + "; a reload reads its own file: edit that one, or restart it with this one");
      return Cli.USAGE;
    }
    if (ignoresHangup(proc.resolve(n).resolve("status"))) {
      // kill would succeed and the process would never know: say so instead of "sent".
      err.println("region-failover reload: pid " + n + " ignores SIGHUP (started under nohup,"
          + " or by a parent that ignores it), so the signal would do nothing; reload it with"
          + " POST /reload, or restart it without nohup");
      return Cli.FAILED;
    }
    try {
      Process kill = new ProcessBuilder("kill", "-HUP", n).redirectErrorStream(true).start();
      String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
          .strip();
      if (kill.waitFor() != 0) {
        err.println("region-failover reload: cannot signal pid " + n + ": " + said);
        return Cli.FAILED;
      }
    } catch (IOException e) {
      err.println("region-failover reload: cannot run kill: " + e.getMessage());
      return Cli.FAILED;
    }
    out.println("sent SIGHUP to pid " + n + "; see reload_applied/reload_rejected in its log");
    return Cli.OK;
  }

  /**
   * Whether the process whose {@code /proc/PID/status} is {@code procStatus} ignores SIGHUP
   * (bit 0 of {@code SigIgn}). The JVM does not install a handler for a signal its parent
   * ignored (nohup), so such a process never reloads on a signal. Unknown (no /proc, not
   * Linux, the process gone): false, and the signal is sent as before.
   */
  static boolean ignoresHangup(Path procStatus) {
    try {
      for (String line : Files.readAllLines(procStatus, StandardCharsets.US_ASCII)) {
        if (line.startsWith("SigIgn:")) {
          String hex = line.substring("SigIgn:".length()).strip();
          return !hex.isEmpty() && (Character.digit(hex.charAt(hex.length() - 1), 16) & 1) != 0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return false;
  }
}
