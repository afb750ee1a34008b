package org.regionfailover.cli;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.regionfailover.act.envfile.EnvFileLock;
import org.regionfailover.config.ConfigDiff;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.Configuration;
import org.regionfailover.config.MaintenanceSettings;
import org.regionfailover.config.ProcessConfiguration;
import org.regionfailover.config.SetConfiguration;
import org.regionfailover.config.Setting;
import org.regionfailover.config.SettingsLoader;
import org.regionfailover.loop.Supervisor;
import org.regionfailover.report.Event;

/**
 * What a reload changes in the sets of a running process: a set whose rules changed takes
 * them between two steps of its loop (after a switch in progress), keeping its state; a set
 * added is started as at start-up (its env file locked and adopted, its stack started if
 * stopped); a set removed stops its loop and releases its lock, its stack left running as a
 * stop leaves it. Everything that can refuse (a bad merged configuration, a lock another
 * process holds) is done in {@link #prepare}, so a refused reload changes nothing.
 */
final class SetsReload implements Applier {
  /** How the process starts a set a reload added, and stops one it removed. */
  interface Sets {
    /**
     * A set's parts, its lock taken if {@code lock} (else it takes over the lock of a set
     * removed, see {@link SetRun#takeLock}); a {@link ConfigException} refuses the reload.
     */
    SetRun prepare(SetConfiguration set, boolean lock);

    /** Serves and starts a prepared set. */
    void start(SetRun set) throws InterruptedException;

    /** Stops a set and takes it out of the status server. */
    void remove(SetRun set);
  }

  private final List<SetRun> running;
  private final Sets sets;

  /** {@code running}: the process's sets, changed here as sets come and go. */
  SetsReload(CopyOnWriteArrayList<SetRun> running, Sets sets) {
    this.running = running;
    this.sets = sets;
  }

  @Override
  public Change prepare(ProcessConfiguration last, ProcessConfiguration next, ConfigDiff diff) {
    List<Runnable> reconfigure = new ArrayList<>();
    List<SetRun> removed = new ArrayList<>();
    List<SetRun> added = new ArrayList<>();
    Map<SetRun, SetRun> heirs = new java.util.IdentityHashMap<>();
    try {
      for (SetRun set : running) {
        Optional<SetConfiguration> now = next.set(set.name());
        if (now.isEmpty()) {
          removed.add(set);
        } else if (changesRules(set, now.get())) {
          SetConfiguration merged = merged(set.configuration(), now.get());
          reconfigure.add(() -> set.reconfigure(merged));
        }
      }
      for (String name : diff.setsAdded()) {
        SetConfiguration set = next.set(name).orElseThrow();
        // A set renamed (its file moved to another name): the env file this process locks
        // for the set removed passes to the set added, never free in between.
        Optional<SetRun> from = removed.stream().filter(r -> sameEnvFile(r, set)).findFirst();
        SetRun prepared = sets.prepare(set, from.isEmpty());
        added.add(prepared);
        from.ifPresent(r -> heirs.put(r, prepared));
      }
    } catch (RuntimeException e) {
      added.forEach(SetRun::unlock);
      throw e;
    }
    return () -> {
      for (Runnable r : reconfigure) {
        r.run();
      }
      awaitAll();
      for (SetRun set : removed) {
        SetRun heir = heirs.get(set);
        if (heir != null) {
          heir.takeLock(set);
        }
        sets.remove(set);
      }
      for (SetRun set : added) {
        sets.start(set);
      }
    };
  }

  private void awaitAll() throws InterruptedException {
    for (SetRun set : running) {
      CompletableFuture<Void> f = set.pendingReconfigure();
      try {
        f.get();
      } catch (ExecutionException e) {
        // The loop stopped first (a standby that lost its lease): its next term is built
        // from the new configuration anyway.
        set.log().emit(Event.warn("reload_not_taken", "set " + set.name() + " did not take"
            + " the new rules: " + e.getCause()).with("reason", String.valueOf(e.getCause())));
      }
    }
  }

  /** Whether {@code set} would lock the env file {@code running} locks. */
  private static boolean sameEnvFile(SetRun running, SetConfiguration set) {
    return EnvFileLock.fileFor(running.configuration().config().settings().envFile())
        .equals(EnvFileLock.fileFor(set.config().settings().envFile()));
  }

  /** Whether a setting the set's loop takes while running differs from what it runs with. */
  private static boolean changesRules(SetRun set, SetConfiguration next) {
    for (Setting s : Setting.values()) {
      if (s.perSet() && s.reloadable()
          && !set.current().value(s).equals(next.value(s))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The set's configuration under {@code next}: the settings a loop takes while running
   * from {@code next}, the others (the order, the env file, the programs, dry run,
   * supervisord, coordination) as the set started with. Validated as at start-up: a
   * {@link ConfigException} refuses the reload.
   */
  static SetConfiguration merged(SetConfiguration started, SetConfiguration next) {
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    Map<Setting, String> given = new EnumMap<>(Setting.class);
    for (Setting s : Setting.values()) {
      Optional<String> v = s.reloadable() ? next.value(s) : started.value(s);
      v.ifPresent(x -> values.put(s, x));
      // A default is left to the loader: a value given counts as set (--role with no
      // coordination is an error), and a default is not given.
      v.filter(x -> !s.defaultValue().equals(Optional.of(x))).ifPresent(x -> given.put(s, x));
    }
    Configuration merged = new SettingsLoader(given, Map.of()).configuration();
    Configuration c = started.config();
    // The coordination the set runs with, cluster included (CLUSTER/SET with several sets).
    return new SetConfiguration(started.name(), new Configuration(merged.settings(),
        merged.regionProbe(), merged.policy(), c.supervisor(), c.datadog(), c.listener(),
        c.coordination(), c.traffic(), c.hooks().withTimeout(merged.hooks().timeout()),
        new MaintenanceSettings(c.maintenance().file(), merged.maintenance().lead())), values);
  }
}
