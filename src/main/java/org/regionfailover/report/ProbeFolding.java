package org.regionfailover.report;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which events the text console shows. A probe (chain or direct) shows when its region's
 * health changes, the first of a region included, so a steady region is one line, not one a
 * second; the steps inside a switch (each action, each program stopped and started) and the
 * traffic counts show only when verbose, as the switch's own events say how it went. Every
 * other event shows. The JSON form and Datadog get every event whatever this says.
 */
public final class ProbeFolding {
  private static final Set<String> PROBES = Set.of("probe", "region_probe");
  private static final Set<String> DETAIL =
      Set.of("action_completed", "program_started", "program_stopped", "traffic");

  private final boolean verbose;
  /** The health last shown, by event, set, host and region. */
  private final Map<String, Object> shown = new ConcurrentHashMap<>();

  /** With {@code verbose}, every event shows. */
  public ProbeFolding(boolean verbose) {
    this.verbose = verbose;
  }

  /** Whether the event {@code name} with {@code fields} is shown; a probe is remembered. */
  public boolean shows(String name, Map<String, Object> fields) {
    if (verbose) {
      return true;
    }
    if (DETAIL.contains(name)) {
      return false;
    }
    if (!PROBES.contains(name)) {
      return true;
    }
    // host_id: the hosts of the fleet demo share one stdout.
    String key = name + '\u0000' + fields.get("set") + '\u0000' + fields.get("host_id")
        + '\u0000' + fields.get("region");
    Object health = Objects.requireNonNullElse(fields.get("healthy"), "unknown");
    return !health.equals(shown.put(key, health));
  }
}
