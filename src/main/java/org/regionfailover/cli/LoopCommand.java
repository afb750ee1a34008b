package org.regionfailover.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.regionfailover.act.Action;
import org.regionfailover.act.DryRunAction;
import org.regionfailover.act.EnvFileWriter;
import org.regionfailover.config.Region;
import org.regionfailover.config.Setting;
import org.regionfailover.config.Settings;
import org.regionfailover.config.SettingsLoader;
import org.regionfailover.loop.Supervisor;
import org.regionfailover.probe.HttpProbe;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.report.Slf4jEventLog;
import org.regionfailover.time.Ticker;

/** Runs the supervisor loop until told to stop. */
final class LoopCommand {
  /** How long a stop waits for a tick or a switch step in progress. */
  static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final SettingsLoader loader;
  private final CountDownLatch stop;
  private final PrintStream err;

  LoopCommand(SettingsLoader loader, CountDownLatch stop, PrintStream err) {
    this.loader = loader;
    this.stop = stop;
    this.err = err;
  }

  int call() {
    Settings settings = loader.load();
    Ticker ticker = Ticker.system();
    EventLog log = new Slf4jEventLog();
    HttpProbe probe = new HttpProbe(settings.probe(), ticker);
    log.emit(startupEvent(settings));
    List<Action> actions = settings.dryRun()
        ? List.of(new DryRunAction(log))
        : List.of(new EnvFileWriter(settings.envFile()));
    Supervisor supervisor = new Supervisor(settings, probe, actions, log, ticker);
    try {
      supervisor.start();
    } catch (IOException e) {
      String msg = "cannot write the env file " + settings.envFile() + ": " + e;
      log.emit(Event.error("startup_failed", msg).with("reason", e.toString()));
      err.println("region-failover: " + msg);
      supervisor.stop(Duration.ofSeconds(1));
      return Cli.FAILED;
    }
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long t0 = System.nanoTime();
    supervisor.stop(STOP_GRACE);
    log.emit(Event.info("shutdown", "stopped on request; final region "
            + supervisor.loop().activeRegion().name())
        .with("region", supervisor.loop().activeRegion().name())
        .with("duration_ms", (System.nanoTime() - t0) / 1_000_000));
    return Cli.OK;
  }

  private Event startupEvent(Settings settings) {
    Event.Builder b = Event.info("startup", "region-failover " + Version.get() + " starting;"
            + " order " + String.join(" > ", settings.order().stream().map(Region::name).toList())
            + (settings.dryRun() ? " (dry run: nothing will be changed)" : ""))
        .with("version", Version.get())
        .with("pid", ProcessHandle.current().pid())
        .with("order", settings.order().stream().map(Region::name).toList());
    for (Setting s : Setting.values()) {
      b.with("setting_" + s.env().toLowerCase(java.util.Locale.ROOT),
          loader.raw(s).map(v -> s.isSecret() ? "****" : v).orElse(null));
    }
    return b.build();
  }
}
