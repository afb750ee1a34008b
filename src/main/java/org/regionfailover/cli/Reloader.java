package org.regionfailover.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.regionfailover.config.ConfigDiff;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.ConfigSource;
import org.regionfailover.config.ProcessConfiguration;
import org.regionfailover.config.ReloadOutcome;
import org.regionfailover.config.SetConfiguration;
import org.regionfailover.config.Setting;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;

/**
 * One reload: reads the files again through the same {@link ConfigSource} as the start,
 * and either rejects them ({@code reload_rejected}: nothing changes) or hands the
 * difference to the {@link Applier} and reports it ({@code reload_applied}, or
 * {@code reload_unchanged} when neither a setting nor a file read again changed, and
 * {@code reload_partial} while settings that need a restart differ from what runs).
 *
 * <p>Nothing changed is its own event rather than a {@code reload_applied} with an empty
 * list: a burst of SIGHUPs, or {@code systemctl reload} run by habit, then gives one
 * {@code reload_applied} per distinct content, which is what a monitor counting changes
 * wants.
 *
 * <p>Two configurations are kept, so that a second reload of the same file reports no
 * change applied but still reports the restart it waits for:
 * <ul>
 *   <li>{@code running}: the last configuration applied. The next reload's changes are
 *       counted from it (a change is reported as applied once).
 *   <li>{@code started}: what each part was started with, i.e. the values the restart-only
 *       settings really have: the process-wide ones from start-up, a set's from start-up
 *       or from the reload that added it. {@code reload_partial} compares the files with it,
 *       so it names a restart-only setting on every reload until the file says what runs
 *       again (or a restart).
 * </ul>
 * Called on one thread at a time ({@link ReloadRequests}).
 */
final class Reloader {
  private final ConfigSource source;
  private final Applier applier;
  private final EventLog log;
  private ProcessConfiguration running;
  private ProcessConfiguration started;

  /** {@code boot}: the configuration the process started with. */
  Reloader(ConfigSource source, ProcessConfiguration boot, Applier applier, EventLog log) {
    this.source = Objects.requireNonNull(source, "source");
    this.running = Objects.requireNonNull(boot, "boot");
    this.started = boot;
    this.applier = Objects.requireNonNull(applier, "applier");
    this.log = Objects.requireNonNull(log, "log");
  }

  /** The configuration last applied. */
  ProcessConfiguration running() {
    return running;
  }

  /** Reloads for {@code batch}; reports and returns what happened. */
  ReloadOutcome reload(ReloadRequests.Batch batch) {
    ProcessConfiguration next;
    ConfigDiff diff;
    Applier.Change change;
    try {
      next = source.load();
      diff = ConfigDiff.between(running, next);
      change = applier.prepare(running, next, diff);
    } catch (ConfigException e) {
      return rejected(batch, e.getMessage());
    } catch (RuntimeException e) {
      // Not a bad file (that is a ConfigException): still, nothing was changed.
      return rejected(batch, "cannot reload: " + e);
    }
    try {
      change.apply();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return rejected(batch, "the process is stopping: the reload was cut short");
    }
    List<ConfigDiff.Change> pending = ConfigDiff.between(started, next).restartOnly();
    ReloadOutcome outcome = new ReloadOutcome(
        diff.applied().isEmpty() && diff.setsAdded().isEmpty() && diff.setsRemoved().isEmpty()
            && change.files().isEmpty() ? ReloadOutcome.Kind.UNCHANGED
            : ReloadOutcome.Kind.APPLIED, Optional.empty(), diff.applied(), diff.setsAdded(),
        diff.setsRemoved(), change.files(), pending);
    started = startedAfter(next);
    running = next;
    report(batch, outcome);
    return outcome;
  }

  private ReloadOutcome rejected(ReloadRequests.Batch batch, String reason) {
    log.emit(who(Event.error("reload_rejected", "reload rejected, nothing changed: " + reason
            + "; the process runs on with its settings (a restart with these files would"
            + " fail: fix them)"), batch)
        .with("reason", reason));
    return ReloadOutcome.rejected(reason);
  }

  private void report(ReloadRequests.Batch batch, ReloadOutcome o) {
    if (o.kind() == ReloadOutcome.Kind.UNCHANGED && o.partial()) {
      // Only reload_partial: "the settings and files are as running" would be untrue, the
      // files differ from what runs (in settings that wait for a restart).
    } else if (o.kind() == ReloadOutcome.Kind.UNCHANGED) {
      log.emit(who(Event.info("reload_unchanged", "reload: the settings and files are as"
          + " running, nothing changed"), batch));
    } else {
      List<String> parts = new ArrayList<>();
      if (!o.applied().isEmpty()) {
        parts.add("changed " + o.applied().stream().map(ConfigDiff.Change::toString)
            .collect(Collectors.joining(", ")));
      }
      if (!o.setsAdded().isEmpty()) {
        parts.add("sets added " + String.join(", ", o.setsAdded()));
      }
      if (!o.setsRemoved().isEmpty()) {
        parts.add("sets removed " + String.join(", ", o.setsRemoved()));
      }
      if (!o.files().isEmpty()) {
        parts.add("read again " + String.join(", ", o.files()));
      }
      log.emit(who(Event.info("reload_applied", "reload applied: " + String.join("; ", parts)),
          batch)
          .with("changed", o.applied().stream().map(ConfigDiff.Change::fields).toList())
          .with("sets_added", o.setsAdded())
          .with("sets_removed", o.setsRemoved())
          .with("files_changed", o.files()));
    }
    if (o.partial()) {
      log.emit(who(Event.warn("reload_partial", "settings that need a restart differ from"
              + " the running ones and keep their running value until a restart: "
              + o.pending().stream().map(ConfigDiff.Change::toString)
                  .collect(Collectors.joining(", "))), batch)
          .with("restart_pending", o.pending().stream().map(ConfigDiff.Change::fields)
              .toList()));
    }
  }

  /** Who asked: {@code trigger} (the first kind), {@code user} for http, how many merged. */
  private static Event.Builder who(Event.Builder b, ReloadRequests.Batch batch) {
    ReloadRequests.Trigger first = batch.triggers().get(0);
    return b.with("trigger", first.kind())
        .with("user", batch.triggers().stream().map(ReloadRequests.Trigger::user)
            .filter(Objects::nonNull).findFirst().orElse(null))
        .with("requests", batch.requests());
  }

  /**
   * What each part runs with after {@code next} is applied: the sets kept, as they were
   * started; a set added, as {@code next} has it, but with the process-wide values of the
   * start (only {@link ConfigDiff} reads these values, and it reads the process-wide ones on
   * the first set, which may be a new one).
   */
  private ProcessConfiguration startedAfter(ProcessConfiguration next) {
    SetConfiguration processWide = started.sets().get(0);
    List<SetConfiguration> sets = new ArrayList<>();
    for (SetConfiguration set : next.sets()) {
      sets.add(started.set(set.name()).orElseGet(() -> {
        Map<Setting, String> values = new java.util.EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
          (s.perSet() ? set : processWide).value(s).ifPresent(v -> values.put(s, v));
        }
        return new SetConfiguration(set.name(), set.config(), values);
      }));
    }
    return new ProcessConfiguration(sets, next.file(), next.setsDir());
  }
}
