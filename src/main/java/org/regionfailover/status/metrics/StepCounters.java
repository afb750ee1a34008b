package org.regionfailover.status.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;
import java.util.Set;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Transition;
import org.regionfailover.probe.ProbeResult;

/**
 * The counters that move with the loop's steps: each input and each decision of a step is
 * counted once, on the loop's thread. Every label value comes from a fixed vocabulary or
 * from the configured order, so a strange input can never create a new series.
 */
final class StepCounters {
  /** 1 ms (a loopback answer) to 10 s (above any sane probe timeout). */
  static final double[] LATENCY_BUCKETS = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  static final String OTHER = "other";
  /** The act stage's step names ({@code Action.name()}), as the reason of a failed attempt starts. */
  private static final Set<String> STEPS = Set.of(
      "switch_begin", "env_file", "restart", "start_stack", "switch_end", "dry_run");
  /** The steps that are calls to supervisord. */
  private static final Set<String> SUPERVISORD_STEPS = Set.of("restart", "start_stack");
  private static final Set<String> COMMANDS = Set.of("failback", "region", "hold", "release");
  private static final Set<String> UNREACHABLE =
      Set.copyOf(org.regionfailover.probe.TrafficCounts.UNREACHABLE);
  private static final Set<String> BLOCK_REASONS = Set.of("budget", "no_healthy_target",
      "hook_veto", "traffic_healthy");

  private final String set;
  private final List<Region> order;
  private final Counter probes;
  private final Histogram probeSeconds;
  private final Counter transitions;
  private final Counter switches;
  private final Counter attemptsFailed;
  private final Counter blocked;
  private final Counter outages;
  private final Counter lateProbes;
  private final Counter stackChecks;
  private final Counter stackRepairs;
  private final Counter supervisordErrors;
  private final Counter commands;
  private final Counter traffic;
  /**
   * The kind of the transition in flight, to label its completion: the act stage runs one at
   * a time, so the last one decided is the one that completes. Loop thread only.
   */
  private String inFlight = "unknown";
  private final Counting counting = new Counting();

  /** The counters of set {@code set}, whose order is {@code order}, in {@code families}. */
  StepCounters(String set, List<Region> order, Families families) {
    this.set = set;
    this.order = List.copyOf(order);
    probes = families.probes;
    probeSeconds = families.probeSeconds;
    transitions = families.transitions;
    switches = families.switches;
    attemptsFailed = families.attemptsFailed;
    blocked = families.blocked;
    outages = families.outages;
    lateProbes = families.lateProbes;
    stackChecks = families.stackChecks;
    stackRepairs = families.stackRepairs;
    supervisordErrors = families.supervisordErrors;
    commands = families.commands;
    traffic = families.traffic;
    // Zeros for the series an alert or a rate() would look for before the first event.
    for (Region r : this.order) {
      for (String kind : List.of("chain", "direct")) {
        probes.initLabelValues(set, r.name(), kind, "ok");
        probes.initLabelValues(set, r.name(), kind, "failed");
      }
    }
    List.of("budget", "no_healthy_target", "hook_veto", "traffic_healthy", "maintenance",
        "held").forEach(v -> blocked.initLabelValues(set, v));
    List.of("switch", "watch").forEach(v -> supervisordErrors.initLabelValues(set, v));
    List.of("ok", "not_running", "unreachable").forEach(v -> stackChecks.initLabelValues(set, v));
    List.of("repaired", "abandoned").forEach(v -> stackRepairs.initLabelValues(set, v));
  }

  /** Forgets this set's series: a set removed by a reload leaves nothing behind. */
  void remove() {
    for (var family : List.of(probes, transitions, switches, attemptsFailed, blocked, outages,
        lateProbes, stackChecks, stackRepairs, supervisordErrors, commands, traffic)) {
      family.removeIf(labels -> labels.get(0).equals(set));
    }
    probeSeconds.removeIf(labels -> labels.get(0).equals(set));
  }

  /**
   * The counter families, registered once per registry: every set's series are in the same
   * family, told apart by their first label, {@code set}.
   */
  static final class Families {
    final Counter probes;
    final Histogram probeSeconds;
    final Counter transitions;
    final Counter switches;
    final Counter attemptsFailed;
    final Counter blocked;
    final Counter outages;
    final Counter lateProbes;
    final Counter stackChecks;
    final Counter stackRepairs;
    final Counter supervisordErrors;
    final Counter commands;
    final Counter traffic;

    Families(PrometheusRegistry registry) {
      probes = counter(registry, "region_failover_probes",
          "Probes seen by the loop, by region, kind (chain: through the local tunnel; direct: the"
              + " region's own host) and result (slow: answered, but over the latency band).",
          "region", "kind", "result");
      probeSeconds = Histogram.builder().name("region_failover_probe_duration_seconds")
          .unit(Unit.SECONDS)
          .help("Probe latency by region and kind, failed probes included (time to the failure).")
          .labelNames(PrometheusMetrics.SET, "region", "kind").classicOnly()
          .classicUpperBounds(LATENCY_BUCKETS)
          .withoutExemplars().build();
      registry.register(probeSeconds);
      transitions = counter(registry, "region_failover_transitions",
          "Transitions decided, by kind (failover, failback, repair: a restart in place,"
              + " manual) and from/to region.", "kind", "from", "to");
      switches = counter(registry, "region_failover_switches",
          "Switches the act stage finished, by kind (also startup) and outcome (completed, or"
              + " abandoned after retries).", "kind", "outcome");
      attemptsFailed = counter(registry, "region_failover_switch_attempts_failed",
          "Failed attempts of a switch (each is retried), by kind and the step that failed.",
          "kind", "step");
      blocked = counter(registry, "region_failover_transitions_blocked",
          "Automatic transitions refused, by reason: budget (once per freed slot),"
              + " no_healthy_target (at every probe while it lasts), held (once per hold).",
          "reason");
      outages = counter(registry, "region_failover_outages",
          "Outages of the active region's chain probe that began, by region.", "region");
      lateProbes = counter(registry, "region_failover_late_probes",
          "Probes that came far later than scheduled (a paused process); the gap did not count"
              + " as outage.");
      stackChecks = counter(registry, "region_failover_stack_checks",
          "Checks of the stack's programs by result (ok, not_running, unreachable: supervisord"
              + " did not answer).", "result");
      stackRepairs = counter(registry, "region_failover_stack_repairs",
          "Repairs of the stack's programs that ended, by outcome (repaired, abandoned).",
          "outcome");
      supervisordErrors = counter(registry, "region_failover_supervisord_call_errors",
          "Failed calls to supervisord, by call (switch: a restart step of a switch; watch: the"
              + " stack check).", "call");
      commands = counter(registry, "region_failover_manual_commands",
          "Operators' commands by command and outcome (accepted, refused).", "command", "outcome");
      traffic = counter(registry, "region_failover_traffic_calls",
          "The applications' calls as their traffic sources reported them (issue 27), by"
              + " region and outcome: ok, or the class that found the region unreachable"
              + " (refused, reset, timeout, tls, 502, 503, 504).", "region", "outcome");
    }
  }

  /** Every series of a family has the set first, then its own labels. */
  private static Counter counter(PrometheusRegistry registry, String name, String help,
      String... labels) {
    String[] names = new String[labels.length + 1];
    names[0] = PrometheusMetrics.SET;
    System.arraycopy(labels, 0, names, 1, labels.length);
    Counter c = Counter.builder().name(name).help(help).labelNames(names).withoutExemplars()
        .build();
    registry.register(c);
    return c;
  }

  /** Counts one step: its input, then its decisions in order. */
  void stepped(Input input, Transition t) {
    counting.seenFailed = false;
    t.decisions().forEach(d -> d.accept(counting));
    if (input instanceof Input.Probed p) {
      probe(p.region(), "chain", p.result(), chainResult(p.result(), counting.seenFailed));
    } else if (input instanceof Input.RegionProbed p) {
      probe(p.region(), "direct", p.result(), p.result().healthy() ? "ok" : "failed");
    } else if (input instanceof Input.SwitchAttemptFailed f) {
      String step = step(f.reason());
      attemptsFailed.labelValues(set, inFlight, step).inc();
      if (SUPERVISORD_STEPS.contains(step)) {
        supervisordErrors.labelValues(set, "switch").inc();
      }
    } else if (input instanceof Input.StackChecked c) {
      stackChecks.labelValues(set, c.up() ? "ok" : c.unreachable() != null ? "unreachable"
          : "not_running").inc();
      if (c.unreachable() != null) {
        supervisordErrors.labelValues(set, "watch").inc();
      }
    }
  }

  /** What each decision adds to the counters. */
  private final class Counting implements Decision.Visitor<Void> {
    /** The step's probe, as the policy judged it, failed (the latency band may fail it). */
    private boolean seenFailed;

    @Override
    public Void failOver(Decision.FailOver f) {
      return transition("failover", f.from(), f.to());
    }

    @Override
    public Void failBack(Decision.FailBack f) {
      return transition("failback", f.from(), f.to());
    }

    @Override
    public Void repairInPlace(Decision.RepairInPlace r) {
      return transition("repair", r.region(), r.region());
    }

    @Override
    public Void manualMove(Decision.ManualMove m) {
      return transition("manual", m.from(), m.to());
    }

    @Override
    public Void plannedMove(Decision.PlannedMove m) {
      return transition("maintenance", m.from(), m.to());
    }

    @Override
    public Void maintenanceNotice(Decision.MaintenanceNotice d) {
      if (d.kind() == Decision.MaintenanceNotice.Kind.MOVE_BLOCKED) {
        blocked.labelValues(set, "maintenance").inc();
      }
      return null;
    }

    @Override
    public Void startStack(Decision.StartStack d) {
      inFlight = "startup";
      return null;
    }

    @Override
    public Void switchCompleted(Decision.SwitchCompleted c) {
      switches.labelValues(set, kind(c.startup(), c.inPlace()), "completed").inc();
      return null;
    }

    @Override
    public Void switchAbandoned(Decision.SwitchAbandoned a) {
      switches.labelValues(set, kind(a.startup(), a.inPlace()), "abandoned").inc();
      return null;
    }

    @Override
    public Void failoverBlocked(Decision.FailoverBlocked b) {
      blocked.labelValues(set, bounded(b.reason(), BLOCK_REASONS)).inc();
      return null;
    }

    @Override
    public Void heldBack(Decision.HeldBack d) {
      blocked.labelValues(set, "held").inc();
      return null;
    }

    @Override
    public Void outageStarted(Decision.OutageStarted o) {
      outages.labelValues(set, region(o.region())).inc();
      return null;
    }

    @Override
    public Void lateProbe(Decision.LateProbe d) {
      lateProbes.labelValues(set).inc();
      return null;
    }

    @Override
    public Void stackRepaired(Decision.StackRepaired d) {
      stackRepairs.labelValues(set, "repaired").inc();
      return null;
    }

    @Override
    public Void repairAbandoned(Decision.RepairAbandoned d) {
      stackRepairs.labelValues(set, "abandoned").inc();
      return null;
    }

    @Override
    public Void manualCommand(Decision.ManualCommand m) {
      commands.labelValues(set, bounded(m.command().name(), COMMANDS),
          m.accepted() ? "accepted" : "refused").inc();
      return null;
    }

    @Override
    public Void probeSeen(Decision.ProbeSeen d) {
      seenFailed = !d.result().healthy();
      return null;
    }

    // Counted from the inputs, or not counted.

    @Override public Void outageEnded(Decision.OutageEnded d) { return null; }

    @Override public Void regionProbeSeen(Decision.RegionProbeSeen d) { return null; }

    @Override public Void switchPending(Decision.SwitchPending d) { return null; }

    @Override
    public Void trafficSeen(Decision.TrafficSeen d) {
      // The region comes from the order; each class from the fixed vocabulary.
      String region = d.region().name();
      traffic.labelValues(set, region, "ok").inc(d.traffic().ok());
      d.traffic().byClass().forEach((c, n) -> traffic.labelValues(set, region,
          bounded(c, UNREACHABLE)).inc(n));
      return null;
    }

    @Override public Void regionProbeUnusable(Decision.RegionProbeUnusable d) { return null; }

    @Override public Void repairStack(Decision.RepairStack d) { return null; }

    @Override public Void holdStarted(Decision.HoldStarted d) { return null; }

    @Override public Void holdEnded(Decision.HoldEnded d) { return null; }

    @Override public Void failbackWaiting(Decision.FailbackWaiting d) { return null; }
  }

  private Void transition(String kind, Region from, Region to) {
    transitions.labelValues(set, kind, region(from), region(to)).inc();
    inFlight = kind;
    return null;
  }

  private String kind(boolean startup, boolean inPlace) {
    return startup ? "startup" : inPlace ? "repair" : inFlight;
  }

  private void probe(int index, String kind, ProbeResult r, String result) {
    if (index < 0 || index >= order.size()) {
      return; // not a configured region: no series of its own
    }
    String region = order.get(index).name();
    probes.labelValues(set, region, kind, result).inc();
    probeSeconds.labelValues(set, region, kind).observe(r.latencyMs() / 1000.0);
  }

  /**
   * A chain probe that answered but that the latency band turned into a failure (its
   * {@code ProbeSeen} failed) is slow; a stale probe, which the policy ignores, counts as
   * what it saw.
   */
  private static String chainResult(ProbeResult raw, boolean judgedFailed) {
    if (!raw.healthy()) {
      return "failed";
    }
    return judgedFailed ? "slow" : "ok";
  }

  private String region(Region r) {
    return order.contains(r) ? r.name() : OTHER;
  }

  /** The failing step's name: the act stage reports a failure as {@code "<step>: <why>"}. */
  static String step(String reason) {
    int colon = reason.indexOf(':');
    return colon < 0 ? OTHER : bounded(reason.substring(0, colon), STEPS);
  }

  private static String bounded(String value, Set<String> allowed) {
    return allowed.contains(value) ? value : OTHER;
  }
}
