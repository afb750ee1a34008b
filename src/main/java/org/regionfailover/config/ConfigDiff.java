package org.regionfailover.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What differs between two configurations of one process: each changed setting (per set,
 * or once for a process-wide one) with its old and new value as a message may show them
 * (masked by {@link Setting#display}), whether a reload can apply it, and the sets added
 * and removed. Compares the raw values ({@link SetConfiguration#values}), so a setting given
 * differently with the same effect (an unchanged default now written out) is no change.
 */
public record ConfigDiff(List<Change> changes, List<String> setsAdded, List<String> setsRemoved) {
  /**
   * One changed setting: {@code set} is empty for a process-wide one; {@code was} and
   * {@code now} are shown values (null: no value); {@code applied} whether a running
   * process takes it (else it keeps its running value until a restart).
   */
  public record Change(Optional<String> set, Setting setting, String was, String now,
      boolean applied) {
    public Change {
      Objects.requireNonNull(set, "set");
      Objects.requireNonNull(setting, "setting");
    }

    /** As an event or an answer lists it: {set, setting (the variable), old, new}. */
    public Map<String, Object> fields() {
      Map<String, Object> m = new LinkedHashMap<>();
      set.ifPresent(s -> m.put("set", s));
      m.put("setting", setting.env());
      m.put("old", was);
      m.put("new", now);
      return m;
    }

    @Override
    public String toString() {
      return set.map(s -> s + ": ").orElse("") + setting.env() + " " + was + " -> " + now;
    }
  }

  public ConfigDiff {
    changes = List.copyOf(changes);
    setsAdded = List.copyOf(setsAdded);
    setsRemoved = List.copyOf(setsRemoved);
  }

  /**
   * From {@code before} to {@code after}: the process-wide settings compared once (on the
   * first set, where every set has the same), the per-set settings of every set both have.
   */
  public static ConfigDiff between(ProcessConfiguration before, ProcessConfiguration after) {
    List<Change> changes = new ArrayList<>();
    compare(Optional.empty(), before.sets().get(0), after.sets().get(0), false, changes);
    Set<String> added = new TreeSet<>();
    for (SetConfiguration next : after.sets()) {
      Optional<SetConfiguration> was = before.set(next.name());
      if (was.isPresent()) {
        compare(Optional.of(next.name()), was.get(), next, true, changes);
      } else {
        added.add(next.name());
      }
    }
    Set<String> removed = new TreeSet<>();
    before.sets().stream().map(SetConfiguration::name)
        .filter(n -> after.set(n).isEmpty()).forEach(removed::add);
    return new ConfigDiff(changes, List.copyOf(added), List.copyOf(removed));
  }

  private static void compare(Optional<String> set, SetConfiguration before,
      SetConfiguration after, boolean perSet, List<Change> into) {
    for (Setting s : Setting.values()) {
      if (s.perSet() != perSet) {
        continue;
      }
      Optional<String> was = before.value(s);
      Optional<String> now = after.value(s);
      if (!was.equals(now)) {
        into.add(new Change(set, s, s.display(was.orElse(null)), s.display(now.orElse(null)),
            appliesWhileRunning(s, before, after)));
      }
    }
  }

  /**
   * {@link Setting#reloadable()}, except that TLS turned on or off is not: the listener's
   * scheme changes, which needs a new socket on the listen address (itself restart-only). A
   * new certificate or key for a listener that already speaks TLS is taken at once.
   */
  static boolean appliesWhileRunning(Setting s, SetConfiguration before,
      SetConfiguration after) {
    if (s == Setting.TLS_CERT || s == Setting.TLS_KEY) {
      return before.value(s).isPresent() == after.value(s).isPresent();
    }
    return s.reloadable();
  }

  /** The changes a running process takes. */
  public List<Change> applied() {
    return changes.stream().filter(Change::applied).toList();
  }

  /** The changes that keep their running value until a restart. */
  public List<Change> restartOnly() {
    return changes.stream().filter(c -> !c.applied()).toList();
  }

  /** Whether nothing differs. */
  public boolean isEmpty() {
    return changes.isEmpty() && setsAdded.isEmpty() && setsRemoved.isEmpty();
  }
}
