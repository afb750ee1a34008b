package org.regionfailover.coordinate.standby;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.NamedThreads;

/**
 * The active/standby dead man's switch, like Patroni's watchdog: a small process beside the
 * JVM (stack-watchdog.py) that stops the stack through supervisord when the JVM held the
 * lease and then exited (kill -9) or stopped sending heartbeats for the deadline (SIGSTOP,
 * a stalled VM). The JVM arms it before it starts the stack and disarms it once it has
 * stopped the stack itself. If the watchdog dies, it is started again, armed as before.
 */
public final class StackWatchdog implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration READY_WITHIN = Duration.ofSeconds(15);

  private final String python;
  private final Map<String, Object> target;
  private final Duration deadline;
  private final EventLog log;
  private Process process;
  private OutputStream commands;
  private boolean armed;
  private boolean closed;
  private Thread beats;

  /**
   * A watchdog that stops {@code programs} through supervisord at {@code url} (basic auth if
   * {@code user} is not null) after {@code deadline} without a heartbeat.
   */
  public StackWatchdog(String python, String url, String user, String password,
      List<String> programs, Duration deadline, EventLog log) {
    this.python = Objects.requireNonNull(python, "python");
    this.deadline = Objects.requireNonNull(deadline, "deadline");
    this.log = Objects.requireNonNull(log, "log");
    if (deadline.toMillis() < 100) {
      throw new IllegalArgumentException("deadline must be at least 100 ms: " + deadline);
    }
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("url", Objects.requireNonNull(url, "url"));
    t.put("user", user);
    t.put("password", password);
    t.put("programs", List.copyOf(programs));
    t.put("deadline_ms", deadline.toMillis());
    this.target = java.util.Collections.unmodifiableMap(t);
  }

  /** python3 on the PATH, or the Debian one; null if there is none. */
  public static String findPython() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "python3");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : null;
  }

  /** Starts the watchdog process and waits until it has read its target; disarmed. */
  public synchronized void start() throws IOException, InterruptedException {
    spawn();
    beats = NamedThreads.daemon("watchdog-beat", this::beat);
    beats.start();
  }

  private void spawn() throws IOException, InterruptedException {
    Path script = Files.createTempFile("region-failover-stack-watchdog", ".py",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (InputStream in = StackWatchdog.class.getResourceAsStream("stack-watchdog.py")) {
        Files.write(script, Objects.requireNonNull(in, "stack-watchdog.py").readAllBytes());
      }
      // stderr is the JVM's own: the watchdog's JSON lines land in the same log, and still
      // do after the JVM is gone.
      Process p = new ProcessBuilder(python, "-u", script.toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      OutputStream out = p.getOutputStream();
      out.write((JSON.writeValueAsString(target) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      awaitReady(p);
      process = p;
      commands = out;
      p.onExit().thenRun(() -> exited(p));
    } finally {
      Files.deleteIfExists(script); // python has read it once it said ready
    }
  }

  private static void awaitReady(Process p) throws IOException, InterruptedException {
    CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
      try {
        return new BufferedReader(new InputStreamReader(p.getInputStream(),
            StandardCharsets.UTF_8)).readLine();
      } catch (IOException e) {
        return null;
      }
    });
    try {
      String line = ready.get(READY_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
      if (!"ready".equals(line)) {
        p.destroyForcibly();
        throw new IOException("the stack watchdog did not start (" + (line == null
            ? "exit " + p.waitFor() : "said " + line) + "); see its message on stderr");
      }
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      p.destroyForcibly();
      throw new IOException("the stack watchdog did not start within " + READY_WITHIN, e);
    }
  }

  /** The stack is about to start: from now on, the JVM's death or silence stops it. */
  public synchronized void arm() {
    armed = true;
    send("arm");
  }

  /** The JVM stopped the stack itself: nothing to guard. */
  public synchronized void disarm() {
    armed = false;
    send("disarm");
  }

  /**
   * The JVM could not stop the stack: it stops its heartbeats and lets the watchdog try,
   * one deadline from now.
   */
  public synchronized void handOver() {
    armed = false;
  }

  private void beat() {
    long every = Math.max(50, Math.min(1000, deadline.toMillis() / 4));
    while (true) {
      try {
        Thread.sleep(every);
      } catch (InterruptedException e) {
        return;
      }
      synchronized (this) {
        if (closed) {
          return;
        }
        if (armed) {
          send("beat");
        }
      }
    }
  }

  private void send(String command) {
    if (commands == null) {
      return;
    }
    try {
      commands.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
      commands.flush();
    } catch (IOException e) {
      // It died: exited() starts another.
    }
  }

  private void exited(Process p) {
    synchronized (this) {
      if (closed || p != process) {
        return;
      }
      log.emit(Event.error("watchdog_restarted", "the stack watchdog exited (code "
              + p.exitValue() + "); starting another" + (armed ? ", armed" : ""))
          .with("exit_code", p.exitValue()).with("armed", armed));
      try {
        spawn();
        if (armed) {
          send("arm");
        }
      } catch (IOException e) {
        log.emit(Event.error("watchdog_failed", "cannot start the stack watchdog again: "
            + e.getMessage() + "; a kill -9 or a pause of this process would leave the stack"
            + " running").with("reason", e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Disarms and ends the watchdog; the stack is left as it is. */
  @Override
  public void close() {
    Process p;
    synchronized (this) {
      closed = true;
      armed = false;
      send("disarm");
      p = process;
      try {
        if (commands != null) {
          commands.close(); // EOF while disarmed: it exits without touching the stack
        }
      } catch (IOException e) {
        // already gone
      }
    }
    if (beats != null) {
      beats.interrupt();
    }
    if (p != null) {
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
