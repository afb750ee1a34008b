package org.regionfailover.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.regionfailover.act.envfile.EnvFileLock;
import org.regionfailover.config.ConfigSource;
import org.regionfailover.config.Configuration;
import org.regionfailover.config.ProcessConfiguration;
import org.regionfailover.config.Region;
import org.regionfailover.config.SetConfiguration;
import org.regionfailover.config.Setting;
import org.regionfailover.config.Settings;
import org.regionfailover.config.SettingsLoader;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Ticker;

/** Runs the supervisor loop until told to stop: loads the settings, builds the host, runs it. */
final class LoopCommand {
  private final SettingsLoader loader;
  private final CountDownLatch stop;
  private final PrintStream err;
  private final EventLog log;
  private final boolean demo;
  private Consumer<URI> onListening = url -> { };
  private ReloadRequests reloads = new ReloadRequests();

  /**
   * The production loop locks the env file, checks supervisord at start-up and restarts
   * through it. A {@code demo} leaves the env file unlocked, and in a dry run (a machine
   * without supervisord) does without supervisord.
   */
  LoopCommand(SettingsLoader loader, CountDownLatch stop, PrintStream err, EventLog log,
      boolean demo) {
    this.loader = loader;
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

  /** Takes reloads from {@code requests} (SIGHUP's, made in main) as well as POST /reload. */
  LoopCommand reloads(ReloadRequests requests) {
    this.reloads = requests;
    return this;
  }

  int call() {
    Configuration config = loader.configuration();
    HostAssembler host = new HostAssembler(config, log, Ticker.system());
    // Issue 26: until the settings file's source and the loops' applier are merged, a
    // reload reads the flags and environment (fixed) and the listener's files again.
    ConfigSource source = flagsAndEnvironment(loader);
    host.reloading(new Reloading(reloads, source, source.load(), Applier.NONE, log));
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
    loader.warnings().forEach(w -> startup.add(Event.warn("insecure_setting", w).build()));
    try (lock) {
      return host.run(!demo || !settings.dryRun(), startup, stop, err, onListening);
    } catch (IOException e) {
      return Cli.OK; // releasing the lock at exit failed; the kernel releases it anyway
    }
  }

  /** The one set of the flags and the environment, as a reload sees it. */
  static ConfigSource flagsAndEnvironment(SettingsLoader loader) {
    return () -> {
      Map<Setting, String> values = new EnumMap<>(Setting.class);
      for (Setting s : Setting.values()) {
        loader.raw(s).ifPresent(v -> values.put(s, v));
      }
      return ProcessConfiguration.single(new SetConfiguration(SetConfiguration.DEFAULT,
          loader.configuration(), values));
    };
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
          loader.raw(s).map(v -> s.isSecret() ? "****" : Setting.withoutUserInfo(v)).orElse(null));
    }
    return b.build();
  }
}
