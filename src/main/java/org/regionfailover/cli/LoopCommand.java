package org.regionfailover.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.regionfailover.act.Action;
import org.regionfailover.act.DryRunAction;
import org.regionfailover.act.EnvFileLock;
import org.regionfailover.act.EnvFileWriter;
import org.regionfailover.act.StackRepair;
import org.regionfailover.act.StackWatch;
import org.regionfailover.act.StackStart;
import org.regionfailover.act.SupervisordRestart;
import org.regionfailover.act.SwitchJournal;
import org.regionfailover.config.DatadogSettings;
import org.regionfailover.config.Region;
import org.regionfailover.config.Setting;
import org.regionfailover.config.Settings;
import org.regionfailover.config.SettingsLoader;
import org.regionfailover.config.SupervisorSettings;
import org.regionfailover.loop.Supervisor;
import org.regionfailover.probe.HttpProbe;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
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

  int call() {
    Settings settings = loader.load();
    if (!useSupervisord && !settings.dryRun()) {
      throw new IllegalStateException("running without supervisord needs dry run");
    }
    SupervisorSettings sup = loader.supervisor();
    DatadogSettings datadog = loader.datadog();
    Ticker ticker = Ticker.system();
    // Before anything else touches the env file or supervisord: a second instance must
    // leave at once, not after it has fought the first one.
    EnvFileLock lock;
    try {
      lock = lockEnvFile ? EnvFileLock.acquire(settings.envFile(), ProcessHandle.current().pid())
          : null;
    } catch (EnvFileLock.HeldException | IOException e) {
      return fail("startup_failed", e instanceof EnvFileLock.HeldException ? e.getMessage()
          : "cannot lock " + EnvFileLock.fileFor(settings.envFile()) + ": " + e, null);
    }
    try (lock) {
      return run(settings, sup, datadog, ticker);
    } catch (IOException e) {
      return Cli.OK; // releasing the lock at exit failed; the kernel releases it anyway
    }
  }

  private int run(Settings settings, SupervisorSettings sup, DatadogSettings datadog,
      Ticker ticker) {
    HttpProbe probe = new HttpProbe(settings.probe(), ticker);
    AtomicReference<String> region = new AtomicReference<>("none");
    try (Closeable shipping = DatadogShipping.install(datadog, region::get, ticker);
        // try-with-resources skips a null resource: no connection without supervisord.
        SupervisordConnection supervisord = useSupervisord ? new SupervisordConnection(sup) : null) {
      log.emit(startupEvent(settings, datadog));
      loader.warnings().forEach(w -> log.emit(Event.warn("insecure_setting", w)));
      List<Action> switchActions = List.of(new DryRunAction(log));
      List<Action> startupActions = List.of();
      StackWatch watch = null;
      StackRepair repair = null;
      if (supervisord != null) {
        supervisord.abortOnStop(stop, STOP_GRACE);
        supervisord.check(log, stop, ticker);
      }
      if (!settings.dryRun()) {
        SupervisordRestart restart =
            new SupervisordRestart(supervisord.client(), sup.programs(), log, ticker);
        SwitchJournal journal = new SwitchJournal(settings.envFile());
        switchActions = List.of(journal.begin(), new EnvFileWriter(settings.envFile()), restart,
            journal.end());
        startupActions = startupActions(journal, restart);
        watch = new StackWatch(supervisord.client(), sup.programs());
        repair = new StackRepair(restart);
      }
      Supervisor supervisor = new Supervisor(settings, probe, switchActions, startupActions, log,
          ticker, Supervisor.SWITCH_BACKOFF, watch, repair);
      region.set(settings.order().get(0).name());
      return run(supervisor, settings, region, ticker);
    } catch (SupervisordConnection.Unreachable e) {
      return fail("startup_failed", e.getMessage(), probe);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      probe.close();
      log.emit(Event.info("shutdown", "stopped during start-up"));
      return Cli.OK;
    } catch (IOException e) {
      // Closing the Datadog shipper (its bounded flush) failed; the run itself was fine.
      return Cli.OK;
    }
  }

  /**
   * Normally start only what is not running, so a restart of the supervisor never bounces
   * the stack; after an interrupted switch, restart all of it onto the env file's region.
   */
  private List<Action> startupActions(SwitchJournal journal, SupervisordRestart restart) {
    var pending = journal.pending();
    if (pending.isEmpty()) {
      return List.of(new StackStart(restart));
    }
    log.emit(Event.warn("switch_resumed", "a switch to " + pending.get() + " did not finish"
            + " (" + journal.marker() + " is present): restarting the whole stack on the"
            + " region the env file names")
        .with("region", pending.get()).with("marker", journal.marker().toString()));
    return List.of(restart, journal.end());
  }

  private int run(Supervisor supervisor, Settings settings, AtomicReference<String> region,
      Ticker ticker) throws InterruptedException {
    try {
      supervisor.start();
      region.set(supervisor.loop().activeRegion().name());
      // The Datadog region tag follows the loop without ever taking its lock.
      supervisor.loop().onActiveRegion(r -> region.set(r.name()));
    } catch (IOException e) {
      supervisor.stop(Duration.ofSeconds(1));
      return fail("startup_failed", "cannot write the env file " + settings.envFile() + ": " + e,
          null);
    }
    stop.await();
    long t0 = ticker.read();
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
