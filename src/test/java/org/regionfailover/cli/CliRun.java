package org.regionfailover.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.report.Slf4jEventLog;

/**
 * The production command line run in-process on a background thread, as an operator would
 * run it, with its events recorded (and still logged through SLF4J, so logback appenders
 * such as the Datadog shipper see them). {@link #stop()} plays the part of SIGTERM.
 */
final class CliRun implements AutoCloseable {
  final RecordingEventLog events = new RecordingEventLog();
  /** When each event was emitted ({@link System#nanoTime()}), by identity. */
  final Map<Event, Long> emittedAt = Collections.synchronizedMap(new IdentityHashMap<>());
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final AtomicInteger exit = new AtomicInteger(-1);
  private final Thread thread;

  /**
   * Runs with {@code env}; without {@code FAILOVER_LISTEN} the status server takes a free
   * loopback port, since tests run in parallel (and beside other builds) and the default
   * port would collide.
   */
  CliRun(Map<String, String> env, List<String> args) {
    this(env, args, new ReloadRequests());
  }

  /**
   * As {@link #CliRun(Map, List)}, its reloads asked through {@code reloads}, as SIGHUP asks
   * in {@code main} (a signal cannot be sent to a run in this JVM).
   */
  CliRun(Map<String, String> env, List<String> args, ReloadRequests reloads) {
    env = withFreePort(env);
    EventLog slf4j = new Slf4jEventLog();
    EventLog tee = e -> {
      emittedAt.put(e, System.nanoTime());
      events.emit(e);
      slf4j.emit(e);
    };
    Cli cli = new Cli(env, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), stop, tee).reloads(reloads);
    thread = new Thread(() -> exit.set(cli.run(args.toArray(String[]::new))), "cli-under-test");
    thread.start();
  }

  /** {@code env} with {@code FAILOVER_LISTEN=127.0.0.1:0} unless it sets the variable. */
  static Map<String, String> withFreePort(Map<String, String> env) {
    Map<String, String> e = new java.util.HashMap<>(env);
    e.putIfAbsent("FAILOVER_LISTEN", "127.0.0.1:0");
    return e;
  }

  boolean isRunning() {
    return thread.isAlive();
  }

  String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Waits for the run to end by itself; returns its exit code. */
  int awaitExit(Duration within) throws InterruptedException {
    thread.join(within.toMillis());
    if (thread.isAlive()) {
      throw new AssertionError("still running after " + within + "; events " + events.names());
    }
    return exit.get();
  }

  /** SIGTERM: asks the loop to stop; returns the exit code. */
  int stop() throws InterruptedException {
    stop.countDown();
    return awaitExit(Duration.ofSeconds(30));
  }

  @Override
  public void close() throws InterruptedException {
    if (thread.isAlive()) {
      stop();
    }
  }
}
