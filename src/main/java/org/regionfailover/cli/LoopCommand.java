package org.regionfailover.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.regionfailover.act.envfile.EnvFileLock;
import org.regionfailover.config.Configuration;
import org.regionfailover.config.ProcessConfiguration;
import org.regionfailover.config.SetConfiguration;
import org.regionfailover.config.Region;
import org.regionfailover.config.Setting;
import org.regionfailover.config.Settings;
import org.regionfailover.config.SettingsLoader;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Ticker;

/** Runs the supervisor loop until told to stop: loads the settings, builds the host, runs it. */
final class LoopCommand {
  private final ProcessConfiguration process;
  private final List<String> warnings;
  private final CountDownLatch stop;
  private final PrintStream err;
  private final EventLog log;
  private final boolean demo;
  private Consumer<URI> onListening = url -> { };

  /**
   * The production loop locks the env file, checks supervisord at start-up and restarts
   * through it. A {@code demo} leaves the env file unlocked, and in a dry run (a machine
   * without supervisord) does without supervisord.
   */
  LoopCommand(SettingsLoader loader, CountDownLatch stop, PrintStream err, EventLog log,
      boolean demo) {
    this(ProcessConfiguration.single(loader.set(SetConfiguration.DEFAULT)), loader.warnings(),
        stop, err, log, demo);
  }

  /** Runs the first set of {@code process} (several sets: issue 26's runtime, to come). */
  LoopCommand(ProcessConfiguration process, List<String> warnings, CountDownLatch stop,
      PrintStream err, EventLog log, boolean demo) {
    this.process = process;
    this.warnings = List.copyOf(warnings);
    this.stop = stop;
    this.err = err;
    this.log = log;
    this.demo = demo;
  }

  /** Tells {@code listener} the status server's URL once it listens (the demo prints it). */
  LoopCommand onListening(Consumer<URI> listener) {
    this.onListening = listener;
    return this;
  }

  int call() {
    Configuration config = process.main();
    HostAssembler host = new HostAssembler(config, log, Ticker.system());
    Settings settings = config.settings();
    // Before anything else touches the env file or supervisord: a second instance must
    // leave at once, not after it has fought the first one.
    EnvFileLock lock;
    try {
      lock = !demo ? EnvFileLock.acquire(settings.envFile(), ProcessHandle.current().pid())
          : null;
    } catch (EnvFileLock.HeldException e) {
      log.emit(Event.error("startup_failed", e.getMessage()).with("reason", e.getMessage()));
      err.println("region-failover: " + e.getMessage());
      return Cli.FAILED;
    } catch (IOException e) {
      // Issue 25, defect 6: a dry run skips the temp-file check but still takes the lock, so
      // a directory that cannot hold it (/proc, a read-only mount) is found here: exit 2.
      throw SettingsLoader.unwritableEnvFile(settings.envFile(), e, "the supervisor keeps its"
          + " lock " + EnvFileLock.fileFor(settings.envFile()).getFileName()
          + " there, even in a dry run");
    }
    List<Event> startup = new ArrayList<>(List.of(startupEvent(config)));
    warnings.forEach(w -> startup.add(Event.warn("insecure_setting", w).build()));
    try (lock) {
      return host.run(!demo || !settings.dryRun(), startup, stop, err, onListening);
    } catch (IOException e) {
      return Cli.OK; // releasing the lock at exit failed; the kernel releases it anyway
    }
  }

  private Event startupEvent(Configuration config) {
    Settings settings = config.settings();
    Event.Builder b = Event.info("startup", "region-failover " + Version.get() + " starting;"
            + " order " + String.join(" > ", settings.order().stream().map(Region::name).toList())
            + (settings.dryRun() ? " (dry run: nothing will be changed)" : ""))
        .with("version", Version.get())
        .with("pid", ProcessHandle.current().pid())
        .with("order", settings.order().stream().map(Region::name).toList())
        .with("datadog_shipping", config.datadog().enabled());
    for (Setting s : Setting.values()) {
      b.with("setting_" + s.env().toLowerCase(Locale.ROOT),
          process.sets().get(0).value(s).map(v -> s.isSecret() ? "****" : Setting.withoutUserInfo(v)).orElse(null));
    }
    return b.build();
  }
}
