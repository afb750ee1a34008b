package org.regionfailover.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.regionfailover.act.ActionChain;
import org.regionfailover.act.ActionChainStage;
import org.regionfailover.act.DryRunAction;
import org.regionfailover.act.EnvFileLock;
import org.regionfailover.act.EnvFileWriter;
import org.regionfailover.act.StackRepair;
import org.regionfailover.act.StackWatch;
import org.regionfailover.act.TransitionHistoryFile;
import org.regionfailover.act.StackStart;
import org.regionfailover.act.StartPermit;
import org.regionfailover.act.SupervisordRestart;
import org.regionfailover.act.SwitchJournal;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.DatadogSettings;
import org.regionfailover.config.ListenerSettings;
import org.regionfailover.config.RegionProbeSettings;
import org.regionfailover.config.Region;
import org.regionfailover.config.Setting;
import org.regionfailover.config.Settings;
import org.regionfailover.config.SettingsLoader;
import org.regionfailover.config.SupervisorSettings;
import org.regionfailover.coordinate.standby.StackWatchdog;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.loop.Supervisor;
import org.regionfailover.probe.HttpProbe;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.report.datadog.DatadogCounts;
import org.regionfailover.status.http.StatusServer;
import org.regionfailover.time.Ticker;

/** Runs the supervisor loop until told to stop. */
final class LoopCommand {
  /**
   * How long a stop waits for a tick, then for a switch step in progress before
   * interrupting it (a restart then finishes the program it is on). Kept well under
   * supervisord's default stopwaitsecs (10 s), after which it would SIGKILL us.
   */
  static final Duration STOP_GRACE = Duration.ofSeconds(3);

  private final SettingsLoader loader;
  private final CountDownLatch stop;
  private final PrintStream err;
  private final EventLog log;
  private final boolean useSupervisord;
  private final boolean lockEnvFile;
  private Consumer<URI> onListening = url -> { };
  /** A fleet host's coordination (null: none, or another role). */
  private FleetWiring fleet;
  /** An active/standby host's lease (null: none, or another role). */
  private StandbyWiring standby;
  private org.regionfailover.config.CoordinationSettings coordination;

  /**
   * The production loop: locks the env file, checks supervisord at start-up and restarts
   * through it.
   */
  LoopCommand(SettingsLoader loader, CountDownLatch stop, PrintStream err, EventLog log) {
    this(loader, stop, err, log, true, true);
  }

  /**
   * With {@code useSupervisord} false the supervisord preflight is skipped; only allowed
   * with dry run (the demo on a machine without supervisord), since a real switch needs it.
   */
  LoopCommand(SettingsLoader loader, CountDownLatch stop, PrintStream err, EventLog log,
      boolean useSupervisord) {
    this(loader, stop, err, log, useSupervisord, false);
  }

  private LoopCommand(SettingsLoader loader, CountDownLatch stop, PrintStream err,
      EventLog log, boolean useSupervisord, boolean lockEnvFile) {
    this.lockEnvFile = lockEnvFile;
    this.loader = loader;
    this.stop = stop;
    this.err = err;
    this.log = log;
    this.useSupervisord = useSupervisord;
  }

  /** Tells {@code listener} the status server's URL once it listens (the demo prints it). */
  LoopCommand onListening(Consumer<URI> listener) {
    this.onListening = listener;
    return this;
  }

  int call() {
    Settings settings = loader.load();
    if (!useSupervisord && !settings.dryRun()) {
      throw new IllegalStateException("running without supervisord needs dry run");
    }
    SupervisorSettings sup = loader.supervisor();
    DatadogSettings datadog = loader.datadog();
    ListenerSettings listener = loader.listener();
    coordination = loader.coordination();
    // A bad htpasswd or TLS file is exit 2 now, before anything is locked or started.
    StatusListener.Security security = StatusListener.security(listener);
    Ticker ticker = Ticker.system();
    // Before anything else touches the env file or supervisord: a second instance must
    // leave at once, not after it has fought the first one.
    EnvFileLock lock;
    try {
      lock = lockEnvFile ? EnvFileLock.acquire(settings.envFile(), ProcessHandle.current().pid())
          : null;
    } catch (EnvFileLock.HeldException e) {
      return fail("startup_failed", e.getMessage(), null);
    } catch (IOException e) {
      // Issue 25, defect 6: a dry run skips the temp-file check but still takes the lock, so
      // a directory that cannot hold it (/proc, a read-only mount) is found here: exit 2.
      throw SettingsLoader.unwritableEnvFile(settings.envFile(), e, "the supervisor keeps its"
          + " lock " + EnvFileLock.fileFor(settings.envFile()).getFileName()
          + " there, even in a dry run");
    }
    if (coordination.enabled()
        && coordination.role() == org.regionfailover.config.CoordinationSettings.Role.FLEET) {
      fleet = new FleetWiring(coordination, log);
    }
    try (lock; FleetWiring f = fleet) {
      return run(settings, sup, datadog, listener, security, ticker);
    } catch (IOException e) {
      return Cli.OK; // releasing the lock at exit failed; the kernel releases it anyway
    }
  }

  private int run(Settings settings, SupervisorSettings sup, DatadogSettings datadog,
      ListenerSettings listener, StatusListener.Security security, Ticker ticker) {
    HttpProbe probe = new HttpProbe(settings.probe(), ticker);
    AtomicReference<String> region = new AtomicReference<>("none");
    // Commands reach the loop through this once it runs; until then they are refused.
    AtomicReference<FailoverLoop> loop = new AtomicReference<>();
    try (Closeable shipping = DatadogShipping.install(datadog, region::get, ticker);
        // try-with-resources skips a null resource: no connection without supervisord.
        SupervisordConnection supervisord = useSupervisord ? new SupervisordConnection(sup) : null) {
      log.emit(startupEvent(settings, datadog));
      loader.warnings().forEach(w -> log.emit(Event.warn("insecure_setting", w)));
      StatusFeed feed = new StatusFeed(settings, Supervisor.policy(settings, loader.policy()),
          loader.regionProbe().interval(),
          shipping instanceof DatadogCounts counts ? counts : null, Clock.systemUTC(), ticker);
      // After the lock (a second instance reports the lock, not a busy port) and before
      // the loop: a bad address is a start-up error, and the page is up while supervisord
      // is awaited.
      if (coordination.enabled() && coordination.role()
          == org.regionfailover.config.CoordinationSettings.Role.ACTIVE_STANDBY) {
        standby = new StandbyWiring(coordination, settings.interval(),
            settings.outageThreshold(), sup.programs(), loop, log, ticker);
        feed.recorder().extra("role", true, standby::role);
        feed.recorder().extra("coordination", false, standby::coordination);
      }
      org.regionfailover.status.http.ReadEndpoints reads = feed.endpoints();
      if (fleet != null) {
        reads.withFleet(fleet::status);
      }
      if (standby != null) {
        reads.whenIdle(standby::idleReason);
      }
      StatusServer server;
      try {
        server = listener.enabled() ? StatusListener.start(listener, security,
            StatusListener.routes(settings.order(), command -> fleet != null
                ? fleet.command(command, loop) : StatusListener.post(loop.get(), command),
                reads, standby != null ? standby::register : r -> { }), log, ticker) : null;
        if (fleet != null) {
          feed.recorder().extra("coordination", false, fleet::check);
        }
      } catch (ConfigException e) {
        probe.close();
        log.emit(Event.error("startup_failed", e.getMessage()).with("reason", e.getMessage()));
        err.println("region-failover: " + e.getMessage());
        return Cli.USAGE;
      }
      try (server; StandbyWiring s = standby) {
        if (server != null) {
          onListening.accept(server.url());
        }
        return run(settings, sup, supervisord, probe, region, loop, server, feed, ticker);
      }
    } catch (IOException e) {
      // Closing the Datadog shipper (its bounded flush) failed; the run itself was fine.
      return Cli.OK;
    }
  }

  private int run(Settings settings, SupervisorSettings sup, SupervisordConnection supervisord,
      HttpProbe probe, AtomicReference<String> region, AtomicReference<FailoverLoop> loop,
      StatusServer server, StatusFeed feed, Ticker ticker) {
    try {
      ActionChain chain = Supervisor.chain(Supervisor.SWITCH_BACKOFF, log, ticker);
      Supervisor.Acting acting = new Supervisor.Acting(new ActionChainStage(chain,
          List.of(new DryRunAction(log)), List.of(), List.of(), null), false, null);
      if (supervisord != null) {
        supervisord.abortOnStop(stop, STOP_GRACE);
        supervisord.check(log, stop, ticker);
      }
      if (standby != null) {
        probe.close();
        return runStandby(settings, sup, supervisord, feed, server, ticker);
      }
      if (!settings.dryRun()) {
        acting = acting(settings, sup, supervisord, chain, ticker);
      }
      RegionProbeSettings direct = loader.regionProbe();
      Supervisor supervisor = new Supervisor(settings, probe,
          RegionProbes.create(direct, settings.probe(), ticker), loader.policy(), acting, log,
          ticker);
      region.set(settings.order().get(0).name());
      supervisor.onLoopCreated(feed::attach);
      if (fleet != null) {
        supervisor.deferToFleet();
        fleet.connect(log);
      }
      return run(supervisor, settings, region, loop, server, ticker);
    } catch (SupervisordConnection.Unreachable e) {
      return fail("startup_failed", e.getMessage(), probe);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      probe.close();
      log.emit(Event.info("shutdown", "stopped during start-up"));
      return Cli.OK;
    }
  }

  /**
   * An active/standby host: checks the session rule against the programs' stopwaitsecs
   * (exit 2), stops its stack, joins the election, and runs a fresh supervisor whenever it
   * holds the lease. On the way out it stops the stack and leaves the election.
   */
  private int runStandby(Settings settings, SupervisorSettings sup,
      SupervisordConnection supervisord, StatusFeed feed, StatusServer server, Ticker ticker)
      throws InterruptedException {
    java.util.Map<String, Integer> stopWait;
    try {
      stopWait = supervisord.client().stopWaitSecs(sup.programs());
    } catch (org.regionfailover.act.xmlrpc.XmlRpcException e) {
      return fail("startup_failed", "cannot read the programs' stopwaitsecs from supervisord: "
          + e.getMessage(), null);
    }
    try {
      StandbyWiring.checkSessionRule(coordination.sessionTimeout(), settings.interval(),
          stopWait);
    } catch (ConfigException e) {
      log.emit(Event.error("startup_failed", e.getMessage()).with("reason", e.getMessage()));
      err.println("region-failover: " + e.getMessage());
      return Cli.USAGE;
    }
    int longest = stopWait.values().stream().mapToInt(Integer::intValue).max().orElse(10);
    RegionProbeSettings direct = loader.regionProbe();
    standby.prepare(() -> {
      ActionChain chain = Supervisor.chain(Supervisor.SWITCH_BACKOFF, log, ticker);
      Supervisor.Acting acting = settings.dryRun()
          ? new Supervisor.Acting(new ActionChainStage(chain, List.of(new DryRunAction(log)),
              List.of(), List.of(), null), false, null)
          : acting(settings, sup, supervisord, standby.permit(), chain, ticker);
      Supervisor s = new Supervisor(settings, new HttpProbe(settings.probe(), ticker),
          RegionProbes.create(direct, settings.probe(), ticker), loader.policy(), acting, log,
          ticker);
      s.onLoopCreated(feed::attach);
      return s;
    }, settings.dryRun() ? null : supervisord.fencingClient(Duration.ofSeconds(longest + 10L)),
        settings.dryRun() ? null : watchdog(sup), feed.recorder());
    try {
      standby.start();
    } catch (IOException e) {
      return fail("startup_failed", "cannot start the stack watchdog: " + e.getMessage(), null);
    }
    stop.await();
    long t0 = ticker.read();
    if (server != null) {
      server.close();
    }
    boolean reachable = standby.client().connected();
    standby.close(); // stops the stack if it runs here, then leaves the election
    log.emit(Event.info("shutdown", "stopped on request; stack stopped, " + (reachable
            ? "lease released" : "lease left to expire with the session (ZooKeeper unreachable)"))
        .with("duration_ms", (ticker.read() - t0) / 1_000_000));
    return Cli.OK;
  }

  /**
   * The process that stops the stack when this one is killed or paused while it leads
   * (python3 comes with supervisord); a start-up error without python3.
   */
  private StackWatchdog watchdog(SupervisorSettings sup) {
    String python = StackWatchdog.findPython();
    if (python == null) {
      throw new ConfigException(Setting.ROLE.label(), "active-standby needs python3 on the"
          + " PATH for its stack watchdog (Debian's supervisor package brings it)");
    }
    return new StackWatchdog(python, sup.url(), sup.user().orElse(null),
        sup.password().orElse(null), sup.programs(),
        StandbyWiring.watchdogDeadline(coordination.sessionTimeout()), log);
  }

  /**
   * The act stage that changes the host: switches (journal, env file, ordered restart),
   * the start of the stack at start-up, and its repair. Whether this start follows a switch
   * cut short is read from the journal and reported here; what to do about it (restart the
   * whole stack) is the decide stage's call.
   */
  private Supervisor.Acting acting(Settings settings, SupervisorSettings sup,
      SupervisordConnection supervisord, ActionChain chain, Ticker ticker) {
    return acting(settings, sup, supervisord, StartPermit.ALWAYS, chain, ticker);
  }

  /** The act stage, whose every program start first asks {@code permit}. */
  private Supervisor.Acting acting(Settings settings, SupervisorSettings sup,
      SupervisordConnection supervisord, StartPermit permit, ActionChain chain, Ticker ticker) {
    SupervisordRestart restart = new SupervisordRestart(
        supervisord.client().withStartPermit(permit), sup.programs(), log, ticker);
    SwitchJournal journal = new SwitchJournal(settings.envFile());
    ActionChainStage stage = new ActionChainStage(chain,
        List.of(journal.begin(), new EnvFileWriter(settings.envFile()), restart, journal.end()),
        List.of(new StackStart(restart)), List.of(restart, journal.end()), List.of(restart),
        new StackRepair(restart, journal));
    var pending = journal.pending();
    pending.ifPresent(region -> log.emit(Event.warn("switch_resumed", "a switch to " + region
            + " did not finish (" + journal.marker() + " is present): restarting the whole"
            + " stack on the region the env file names")
        .with("region", region).with("marker", journal.marker().toString())));
    // The watch's own deadline, at most an interval: a slow supervisord answer must not let
    // the outage reach the threshold before the check that would have stopped it.
    Duration watchTimeout = sup.timeout().compareTo(settings.interval()) < 0 ? sup.timeout()
        : settings.interval();
    return new Supervisor.Acting(stage, pending.isPresent(),
        new StackWatch(supervisord.watchClient(watchTimeout), sup.programs(), journal),
        new TransitionHistoryFile(settings.envFile(), java.time.Clock.systemUTC(), ticker));
  }

  private int run(Supervisor supervisor, Settings settings, AtomicReference<String> region,
      AtomicReference<FailoverLoop> loop, StatusServer server, Ticker ticker)
      throws InterruptedException {
    try {
      supervisor.start();
      loop.set(supervisor.loop());
      region.set(supervisor.loop().activeRegion().name());
      // The Datadog region tag follows the loop without ever taking its lock.
      supervisor.loop().onActiveRegion(r -> region.set(r.name()));
      if (fleet != null) {
        fleet.join(supervisor.loop(), settings, loader.policy(), Clock.systemUTC(), ticker, log);
      }
    } catch (IOException e) {
      supervisor.stop(Duration.ofSeconds(1));
      return fail("startup_failed", "cannot write the env file " + settings.envFile() + ": " + e,
          null);
    }
    stop.await();
    long t0 = ticker.read();
    if (server != null) {
      server.close(); // first: no command may arrive while the loop winds down
    }
    supervisor.stopProbing(); // no evidence gathered while leaving: calls may be abandoned
    if (fleet != null) {
      fleet.close(); // leaves the fleet: another host decides, no decision arrives mid-stop
    }
    supervisor.stop(STOP_GRACE);
    Region last = supervisor.loop().activeRegion();
    log.emit(Event.info("shutdown", "stopped on request; final region " + last.name())
        .with("region", last.name())
        .with("duration_ms", (ticker.read() - t0) / 1_000_000));
    return Cli.OK;
  }

  private int fail(String event, String message, HttpProbe probe) {
    log.emit(Event.error(event, message).with("reason", message));
    err.println("region-failover: " + message);
    if (probe != null) {
      probe.close();
    }
    return Cli.FAILED;
  }

  private Event startupEvent(Settings settings, DatadogSettings datadog) {
    Event.Builder b = Event.info("startup", "region-failover " + Version.get() + " starting;"
            + " order " + String.join(" > ", settings.order().stream().map(Region::name).toList())
            + (settings.dryRun() ? " (dry run: nothing will be changed)" : ""))
        .with("version", Version.get())
        .with("pid", ProcessHandle.current().pid())
        .with("order", settings.order().stream().map(Region::name).toList())
        .with("datadog_shipping", datadog.enabled());
    for (Setting s : Setting.values()) {
      b.with("setting_" + s.env().toLowerCase(Locale.ROOT),
          loader.raw(s).map(v -> s.isSecret() ? "****" : Setting.withoutUserInfo(v)).orElse(null));
    }
    return b.build();
  }
}
