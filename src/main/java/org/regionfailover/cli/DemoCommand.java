package org.regionfailover.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.ListenAddress;
import org.regionfailover.config.ListenerSettings;
import org.regionfailover.config.Setting;
import org.regionfailover.config.SettingsLoader;
import org.regionfailover.demo.DemoScenario;
import org.regionfailover.demo.DemoSummary;
import org.regionfailover.demo.DemoSupervisord;
import org.regionfailover.demo.RegionSimulator;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.report.TeeEventLog;
import org.regionfailover.time.NamedThreads;
import org.regionfailover.time.Ticker;
import org.slf4j.LoggerFactory;

/**
 * {@code region-failover demo}: the production {@link LoopCommand}, with settings of its
 * own, against simulated regions on loopback and (when installed) a real supervisord in a
 * temp directory; a {@link DemoScenario} takes regions down and ends the run.
 */
final class DemoCommand {
  /** Failover list order; the preferred region EU goes first, so the order is EU, NAM, APAC. */
  static final List<String> REGIONS = List.of("NAM", "EU", "APAC");
  static final String PREFERRED = "EU";
  /**
   * The scenario needs about 25 s with supervisord (3 s stack start, twice: 1 s to see
   * the outage, 5 s threshold, ~3 s restart at startsecs=1 per program). Past this the
   * demo gives up: a safety net for a run that is stuck, not a promise of speed, so it
   * leaves room for a busy machine (a 2-core CI runner beside other builds took 25-30 s
   * for what an idle one does in 22), where giving up at 27 s failed runs that were fine.
   */
  static final Duration DEADLINE = Duration.ofSeconds(75);
  /**
   * Where the demo's status server listens ({@code 127.0.0.1:PORT}), in a file of this name
   * beside the demo's env file, for {@code status --listen} (the port is a free one).
   */
  static final String LISTEN_FILE = "listen";

  private final Map<String, String> env;
  private final boolean stay;
  private final PrintStream err;
  private final CountDownLatch stop;
  private final EventLog log;
  /** The operators who may give commands on the demo's pages; empty: manual control off. */
  private Optional<Path> htpasswd = Optional.empty();

  /** {@code env} only supplies PATH (to find supervisord); {@code stop} ends the demo early. */
  DemoCommand(Map<String, String> env, PrintStream err, CountDownLatch stop, EventLog log) {
    this(env, err, stop, log, false);
  }

  /** {@code stay}: after the scenario, run on until stopped (the status page stays up). */
  DemoCommand(Map<String, String> env, PrintStream err, CountDownLatch stop, EventLog log,
      boolean stay) {
    this.stay = stay;
    this.env = env;
    this.err = err;
    this.stop = stop;
    this.log = log;
  }

  /** The demo's status pages take commands from the operators of {@code file} (htpasswd). */
  DemoCommand htpasswd(Optional<Path> file) {
    this.htpasswd = file;
    return this;
  }

  int call() {
    Ticker ticker = Ticker.system();
    long start = ticker.read();
    Path dir;
    try {
      dir = Files.createTempDirectory("region-failover-demo-");
    } catch (IOException e) {
      err.println("region-failover demo: cannot create a temp directory: " + e.getMessage());
      return Cli.FAILED;
    }
    List<String> notes = new ArrayList<>();
    AtomicReference<URI> listening = new AtomicReference<>();
    DemoScenario scenario = null;
    int code = Cli.FAILED;
    String failure = null;
    boolean[] timedOut = {false};
    DemoSupervisord supervisord = null;
    try (RegionSimulator regions = RegionSimulator.start(REGIONS)) {
      Optional<Path> executable = DemoSupervisord.find(env);
      if (executable.isPresent()) {
        supervisord = DemoSupervisord.start(executable.get(), dir, dir.resolve("ext_cloud.env"));
      } else {
        String msg = "supervisord is not installed (not found on PATH), so restarts run in dry"
            + " run: failovers are decided and logged, but no env file is written and nothing"
            + " is restarted. Install it (Debian/Ubuntu: apt-get install supervisor) to see"
            + " real restarts.";
        err.println("region-failover demo: " + msg);
        log.emit(Event.warn("demo_dry_run", msg));
        notes.add("dry run: supervisord is not installed, restarts were only logged");
      }
      List<String> order = new ArrayList<>(List.of(PREFERRED));
      REGIONS.stream().filter(r -> !r.equals(PREFERRED)).forEach(order::add);
      DemoScenario script = new DemoScenario(regions, order, supervisord != null, log, stay
          ? () -> staying(listening.get()) : stop::countDown, ticker, start);
      scenario = script;
      NamedThreads.daemon("demo-deadline", () -> {
        try {
          if (!stop.await(DEADLINE.toNanos() - (ticker.read() - start), TimeUnit.NANOSECONDS)
              && !(stay && script.finished())) {
            timedOut[0] = true;
            stop.countDown();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }).start();
      Map<String, String> settings = settings(regions, dir, supervisord);
      htpasswd.ifPresent(file -> settings.put(Setting.HTPASSWD.env(), file.toString()));
      SettingsLoader loader = new SettingsLoader(Map.of(), settings);
      code = new LoopCommand(loader, stop, err, new TeeEventLog(log, scenario), true)
          .onListening(url -> {
            listening.set(url);
            err.println("region-failover demo: status page: " + url);
            writeListenFile(dir, url);
          })
          .call();
      stop.countDown(); // the loop may have ended on its own (a failure): release the watchdog
    } catch (IOException e) {
      failure = "cannot set up the demo: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "interrupted while setting up the demo";
    } finally {
      if (supervisord != null) {
        supervisord.close();
        notes.add("supervisord stopped");
      }
      notes.add(delete(dir) ? "temp directory " + dir + " removed"
          : "could not fully remove the temp directory " + dir);
    }
    String outcome;
    if (failure != null) {
      outcome = "failed: " + failure;
      code = Cli.FAILED;
    } else if (code != Cli.OK) {
      outcome = "failed: the supervisor loop exited with " + code + " (see the log above)";
    } else if (scenario.finished()) {
      outcome = "complete, " + (scenario.legs().size()) + " failovers";
    } else if (timedOut[0]) {
      outcome = "did not complete within " + DEADLINE.toSeconds() + " s";
      code = Cli.FAILED;
    } else {
      outcome = "stopped early on request (Ctrl-C or SIGTERM)";
    }
    awaitLogsWritten();
    List<DemoScenario.Leg> legs = scenario == null ? List.of() : scenario.legs();
    err.println(DemoSummary.render(scenario == null ? List.of() : scenario.visited(), legs,
        scenario == null ? -1 : scenario.firstProbeAt(), ticker.read() - start, outcome, notes));
    URI url = listening.get();
    if (url != null) {
      err.println("  status page:       " + url + (stay ? " (closed now)"
          : " (closed with the demo; region-failover demo --stay keeps it open)"));
    }
    return code;
  }

  /**
   * With {@code --stay}, once the scenario is over: where to look now, last on the screen.
   * The status command names the port, a free one: plain {@code status} asks 9180.
   */
  private void staying(URI url) {
    err.println("region-failover demo: scenario complete; the supervisor and its status page"
        + " run on until Ctrl-C");
    if (url != null) {
      err.println("  status page:       " + url);
      err.println("  from a shell:      region-failover status --listen " + url.getHost() + ":"
          + url.getPort());
    }
  }

  /** Writes {@code 127.0.0.1:PORT} to {@link #LISTEN_FILE} in {@code dir}, whole or not at all. */
  private void writeListenFile(Path dir, URI url) {
    Path tmp = dir.resolve(LISTEN_FILE + ".tmp");
    try {
      Files.writeString(tmp, url.getHost() + ":" + url.getPort() + "\n");
      Files.move(tmp, dir.resolve(LISTEN_FILE), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      err.println("region-failover demo: cannot write " + dir.resolve(LISTEN_FILE) + ": "
          + e.getMessage());
    }
  }

  /** {@code demo --fleet n}: the fleet scenario in a temp directory, removed after. */
  int callFleet(int n) {
    try {
      // A bad htpasswd file is exit 2 before anything starts, as for the supervisor.
      htpasswd.ifPresent(file -> StatusListener.security(new ListenerSettings(
          new ListenAddress("127.0.0.1", 0), htpasswd, Optional.empty(), Optional.empty())));
    } catch (ConfigException e) {
      err.println("region-failover demo: " + e.getMessage());
      return Cli.USAGE;
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("region-failover-fleet-demo-");
    } catch (IOException e) {
      err.println("region-failover demo: cannot create a temp directory: " + e.getMessage());
      return Cli.FAILED;
    }
    org.regionfailover.demo.FleetDemo demo = new org.regionfailover.demo.FleetDemo(n, err, log,
        HostAssembler::fleetDemoHost, htpasswd, stay ? stop : null);
    // ZooKeeper's embedded server can hang in its own close after a failed start: the demo
    // promises to end, so past its deadline (and a margin) it ends the process; with --stay,
    // once the scenario is over, only when stopped.
    Thread guard = NamedThreads.daemon("fleet-demo-guard", () -> {
      try {
        if (!stop.await(org.regionfailover.demo.FleetDemo.DEADLINE.toSeconds() + 20,
            TimeUnit.SECONDS) && !demo.staying()) {
          err.println("region-failover demo --fleet: stuck past its deadline; exiting");
        } else {
          stop.await();
          Thread.sleep(5000); // Ctrl-C: the scenario's own cleanup gets 5 s
        }
        delete(dir);
        Runtime.getRuntime().halt(Cli.FAILED);
      } catch (InterruptedException e) {
        // the demo ended in time
      }
    });
    guard.start();
    boolean done;
    try {
      done = demo.run(dir);
    } catch (Exception e) {
      err.println("region-failover demo --fleet: failed: " + e);
      done = false;
    } finally {
      guard.interrupt();
      delete(dir);
    }
    awaitLogsWritten();
    err.println("region-failover demo --fleet: " + (done ? "complete" : "did not complete")
        + "; temp directory " + dir + " removed");
    return done ? Cli.OK : Cli.FAILED;
  }

  /** The loop's settings for the demo, as if given in the environment. */
  private static Map<String, String> settings(RegionSimulator regions, Path dir,
      DemoSupervisord supervisord) {
    Map<String, String> s = new HashMap<>();
    s.put(Setting.FAILOVER_LIST.env(), String.join(",",
        REGIONS.stream().map(r -> r + "=cloud." + r.toLowerCase(java.util.Locale.ROOT)
            + ".demo.invalid").toList()));
    s.put(Setting.REGION.env(), PREFERRED);
    s.put(Setting.ORG_ID.env(), "demo-org");
    s.put(Setting.TXN_ID.env(), "demo-txn");
    s.put(Setting.ENV_FILE.env(), dir.resolve("ext_cloud.env").toString());
    s.put(Setting.CLOUDLOOKUP_URL.env(), regions.urlTemplate());
    // The simulator is each region's own host too: the status page then plots direct
    // probes beside the chain's, and pre-flight sees a region that is down.
    s.put(Setting.REGION_PROBE.env(), regions.urlTemplate());
    s.put(Setting.REGION_INTERVAL.env(), "1s");
    s.put(Setting.INTERVAL.env(), "1s");
    s.put(Setting.OUTAGE_THRESHOLD.env(), "5s");
    // Loopback answers in a millisecond; half the interval keeps the rule timeout < interval.
    s.put(Setting.PROBE_TIMEOUT.env(), "500ms");
    s.put(Setting.DRY_RUN.env(), String.valueOf(supervisord == null));
    s.put(Setting.PROGRAMS.env(), DemoSupervisord.programList());
    s.put(Setting.SUPERVISOR_TIMEOUT.env(), "10s");
    // A free port: the demo must run beside a supervisor that has 9180, or another demo.
    s.put(Setting.LISTEN.env(), "127.0.0.1:0");
    if (supervisord != null) {
      s.put(Setting.SUPERVISOR_URL.env(), supervisord.url());
    }
    return s;
  }

  /**
   * Waits (at most a second) until the asynchronous JSON appender has handed its queue to
   * stdout, so that the summary on stderr comes after the last log line on a terminal.
   */
  private static void awaitLogsWritten() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    Ticker clock = Ticker.system();
    long deadline = clock.read() + Duration.ofSeconds(1).toNanos();
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof AsyncAppenderBase<?> async) {
        while (async.getNumberOfElementsInQueue() > 0 && clock.read() - deadline < 0) {
          LockSupport.parkNanos(5_000_000L);
        }
      }
    }
    // The worker takes a batch off the queue before writing it; give it a moment to write.
    LockSupport.parkNanos(50_000_000L);
  }

  /** Deletes {@code dir} and everything in it; true when it is gone. */
  static boolean delete(Path dir) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      return !Files.exists(dir);
    }
    return !Files.exists(dir);
  }
}
