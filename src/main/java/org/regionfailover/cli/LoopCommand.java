package org.regionfailover.cli;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.regionfailover.config.ConfigSource;
import org.regionfailover.config.Configuration;
import org.regionfailover.config.ProcessConfiguration;
import org.regionfailover.config.SetConfiguration;
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
  private final ConfigSource source;
  private final ProcessConfiguration process;
  private final List<String> warnings;
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
    this(flagsAndEnvironment(loader), ProcessConfiguration.single(
        loader.set(SetConfiguration.DEFAULT)), loader.warnings(), stop, err, log, demo);
  }

  /**
   * Runs every set of {@code process}, as {@code source} loaded it; a reload loads through
   * {@code source} again.
   */
  LoopCommand(ConfigSource source, ProcessConfiguration process, List<String> warnings,
      CountDownLatch stop, PrintStream err, EventLog log, boolean demo) {
    this.source = source;
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

  /** Takes reloads from {@code requests} (SIGHUP's, made in main) as well as POST /reload. */
  LoopCommand reloads(ReloadRequests requests) {
    this.reloads = requests;
    return this;
  }

  int call() {
    Configuration config = process.main();
    Settings settings = config.settings();
    List<Event> startup = new ArrayList<>(List.of(startupEvent(process.sets().get(0))));
    // Several sets: one startup line per set, each with its own settings (replay of a set
    // reads them), all before the first probe of any.
    for (SetConfiguration set : process.sets().subList(1, process.sets().size())) {
      startup.add(startupEvent(set));
    }
    warnings.forEach(w -> startup.add(Event.warn("insecure_setting", w).build()));
    // A demo leaves its env file unlocked; the service locks each set's before anything
    // else touches it (HostAssembler.run): a second instance leaves at once.
    return HostAssembler.run(process, log, Ticker.system(), !demo, !demo || !settings.dryRun(),
        startup, stop, err, onListening, new HostAssembler.Reloads(reloads, source));
  }

  /** The one set of the flags and the environment (a demo's), as a reload sees it. */
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

  private Event startupEvent(SetConfiguration set) {
    Configuration config = set.config();
    Settings settings = config.settings();
    Event.Builder b = Event.info("startup", "region-failover " + Version.get() + " starting;"
            + " order " + String.join(" > ", settings.order().stream().map(Region::name).toList())
            + (settings.dryRun() ? " (dry run: nothing will be changed)" : ""))
        .with("set", process.multiSet() ? set.name() : null)
        .with("version", Version.get())
        .with("pid", ProcessHandle.current().pid())
        .with("order", settings.order().stream().map(Region::name).toList())
        .with("datadog_shipping", config.datadog().enabled())
        .with("config_file", process.file().map(Object::toString).orElse(null))
        .with("sets", process.multiSet()
            ? process.sets().stream().map(SetConfiguration::name).toList() : null);
    for (Setting s : Setting.values()) {
      b.with("setting_" + s.env().toLowerCase(Locale.ROOT),
          set.value(s).map(v -> s.isSecret() ? "****" : Setting.withoutUserInfo(v)).orElse(null));
    }
    return b.build();
  }
}
