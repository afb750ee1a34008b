package org.regionfailover.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one reload did, for {@code POST /reload} and the tests: rejected (with the reason,
 * which names file, line and setting), unchanged, or applied (the changed settings, the
 * sets added and removed, and the files read again whose content changed, such as the
 * htpasswd file). Either of the last two may leave restart-only settings pending: their
 * new value waits for a restart ({@link #partial()}).
 */
public record ReloadOutcome(Kind kind, Optional<String> rejection, List<ConfigDiff.Change> applied,
    List<String> setsAdded, List<String> setsRemoved, List<String> files,
    List<ConfigDiff.Change> pending) {
  /** Whether anything changed. */
  public enum Kind { APPLIED, UNCHANGED, REJECTED }

  public ReloadOutcome {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(rejection, "rejection");
    applied = List.copyOf(applied);
    setsAdded = List.copyOf(setsAdded);
    setsRemoved = List.copyOf(setsRemoved);
    files = List.copyOf(files);
    pending = List.copyOf(pending);
  }

  /** Refused for {@code reason}: nothing changed. */
  public static ReloadOutcome rejected(String reason) {
    return new ReloadOutcome(Kind.REJECTED, Optional.of(reason), List.of(), List.of(),
        List.of(), List.of(), List.of());
  }

  /** Whether settings that need a restart differ from what the process runs with. */
  public boolean partial() {
    return !pending.isEmpty();
  }

  /** The outcome as JSON fields: outcome, and the lists that apply to it. */
  public Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("outcome", kind.name().toLowerCase(java.util.Locale.ROOT));
    rejection.ifPresent(r -> m.put("reason", r));
    if (kind != Kind.REJECTED) {
      m.put("changed", applied.stream().map(ConfigDiff.Change::fields).toList());
      m.put("sets_added", setsAdded);
      m.put("sets_removed", setsRemoved);
      m.put("files_changed", files);
      m.put("restart_pending", pending.stream().map(ConfigDiff.Change::fields).toList());
    }
    return m;
  }
}
