package org.regionfailover.act.hook;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.regionfailover.time.Ticker;

/**
 * Runs one hook the way operators' hooks must run: the executable itself (no shell), in a
 * session and process group of its own ({@code setsid}), with an environment of its own
 * (a fixed {@code PATH}, {@code LANG}, {@code HOME} and the {@code RF_*} context: nothing
 * of this process's environment, where {@code DD_API_KEY} and supervisord's password live),
 * the event's JSON line on stdin, and its output in a file (no pipe to drain, no thread).
 * Past its timeout the whole process group is killed, children included: a hook that
 * started a daemon cannot keep the next one waiting.
 */
public final class HookProcess {
  /** The PATH a hook gets: the system's directories, never this process's PATH. */
  public static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  /** How much of the output's end is read for its last line. */
  private static final int TAIL_BYTES = 4096;
  /** The longest last line kept: it goes into an event. */
  private static final int LINE_CHARS = 300;

  private final Duration timeout;
  private final Ticker ticker;
  private final Map<String, String> inherited;

  /**
   * Runs hooks for at most {@code timeout}; {@code processEnv} is this process's
   * environment, of which only {@code LANG} and {@code HOME} pass.
   */
  public HookProcess(Duration timeout, Ticker ticker, Map<String, String> processEnv) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.inherited = new java.util.LinkedHashMap<>();
    inherited.put("LANG", processEnv.getOrDefault("LANG", "C.UTF-8"));
    if (processEnv.containsKey("HOME")) {
      inherited.put("HOME", processEnv.get("HOME"));
    }
  }

  /** The timeout this runs hooks with. */
  public Duration timeout() {
    return timeout;
  }

  /** The environment a hook run for {@code delivery} gets, whole. */
  public Map<String, String> environment(Delivery delivery) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    env.put("PATH", PATH);
    env.putAll(inherited);
    env.putAll(delivery.variables());
    return env;
  }

  /**
   * Runs {@code hook} for {@code delivery} and waits for it, at most the timeout;
   * {@code onStart} gets its pid once it runs. Never throws for the hook's sake: a hook
   * that cannot start is an outcome (exit -1, why).
   */
  public HookOutcome run(Path hook, Delivery delivery, java.util.function.LongConsumer onStart)
      throws InterruptedException {
    long t0 = ticker.read();
    Path input = null;
    Path output = null;
    try {
      input = Files.createTempFile("rf-hook-", ".in");
      output = Files.createTempFile("rf-hook-", ".out");
      Files.writeString(input, delivery.line() + "\n", StandardCharsets.UTF_8);
      ProcessBuilder pb = new ProcessBuilder(command(hook))
          .redirectInput(input.toFile())
          .redirectOutput(output.toFile())
          .redirectErrorStream(true);
      pb.environment().clear();
      pb.environment().putAll(environment(delivery));
      Process p = pb.start();
      onStart.accept(p.pid());
      return await(p, output, t0);
    } catch (IOException e) {
      return new HookOutcome(-1, false, "cannot run: " + e.getMessage(), since(t0));
    } finally {
      deleteQuietly(input);
      deleteQuietly(output);
    }
  }

  private HookOutcome await(Process p, Path output, long t0) throws InterruptedException,
      IOException {
    boolean exited;
    try {
      exited = p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      // A stop while it runs: left running (it is the operator's); the stop goes on.
      throw e;
    }
    if (!exited) {
      killGroup(p);
      return new HookOutcome(-1, true, lastLine(output), since(t0));
    }
    return new HookOutcome(p.exitValue(), false, lastLine(output), since(t0));
  }

  /**
   * Kills the hook's process group (its pid: {@code setsid} made it the leader), then
   * whatever descends from it still, in case a child left the group.
   */
  private void killGroup(Process p) throws InterruptedException, IOException {
    List<ProcessHandle> descendants = p.descendants().toList();
    Process kill = new ProcessBuilder(executable("kill"), "-KILL", "--", "-" + p.pid())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    kill.waitFor(5, TimeUnit.SECONDS);
    descendants.forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    p.waitFor(5, TimeUnit.SECONDS);
  }

  private static List<String> command(Path hook) {
    List<String> cmd = new ArrayList<>();
    // --wait: should setsid ever have to fork, it still waits and passes on the exit code.
    cmd.add(executable("setsid"));
    cmd.add("--wait");
    cmd.add(hook.toAbsolutePath().toString());
    return cmd;
  }

  /** {@code name} from the system's directories, not from whatever PATH this process has. */
  static String executable(String name) {
    for (String dir : PATH.split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return name;
  }

  /** The last non-blank line of {@code output}, read from its end, cut to a sane length. */
  static String lastLine(Path output) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(output.toFile(), "r")) {
      long length = f.length();
      int n = (int) Math.min(length, TAIL_BYTES);
      byte[] tail = new byte[n];
      f.seek(length - n);
      f.readFully(tail);
      String[] lines = new String(tail, StandardCharsets.UTF_8).split("\r?\n");
      for (int i = lines.length - 1; i >= 0; i--) {
        String line = lines[i].strip();
        if (!line.isEmpty()) {
          return line.length() > LINE_CHARS ? line.substring(0, LINE_CHARS) : line;
        }
      }
      return "";
    }
  }

  private Duration since(long t0) {
    return Duration.ofNanos(ticker.read() - t0);
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // a temp file left in /tmp; nothing of a secret in it
      }
    }
  }
}
