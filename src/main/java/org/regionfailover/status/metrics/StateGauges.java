package org.regionfailover.status.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Blocked;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.State;
import org.regionfailover.time.Ticker;

/**
 * Gauges computed at scrape time from the state the loop last published and the ticker:
 * nothing is stored, so a gauge cannot lag behind the state, and an outage keeps growing
 * between probes. Each reads the latest snapshot (immutable, so never torn); before the loop
 * has a state they have no samples. One family per gauge for the whole process, a series
 * per set ({@code set} label): several sets are several label values, never several families.
 */
final class StateGauges {
  private static final List<String> PHASES = List.of("watching", "down", "switching",
      "repairing");

  /** One set's gauges: what it decides with, its published state, its clock. */
  record Source(String set, java.util.concurrent.atomic.AtomicReference<FailoverPolicy> policy,
      Supplier<PolicyState> state, Ticker ticker) {}

  /** The sets read at a scrape, in the order they were added; changed by a reload. */
  private final List<Source> sources = new CopyOnWriteArrayList<>();

  StateGauges(PrometheusRegistry registry) {
    gauge(registry, "region_failover_active_region",
        "1 for the region the host is on (or leaving, while a switch is in flight), 0 for"
            + " the others.", (s, cb) -> {
          List<Region> order = s.policy().order();
          for (int i = 0; i < order.size(); i++) {
            cb.call(i == s.state().active() ? 1 : 0, s.set(), order.get(i).name());
          }
        }, "region");
    gauge(registry, "region_failover_phase",
        "1 for where the host stands: watching, down (the active region fails), switching"
            + " (a move or restart in flight), repairing (restarting stopped programs).",
        (s, cb) -> {
          String phase = phase(s.state().phase());
          PHASES.forEach(p -> cb.call(p.equals(phase) ? 1 : 0, s.set(), p));
        }, "phase");
    registry.register(GaugeWithCallback.builder().name("region_failover_outage_seconds")
        .unit(Unit.SECONDS).labelNames(PrometheusMetrics.SET)
        .help("How long the active region has been down on its chain probe; 0 unless down.")
        .callback(cb -> seen().forEach(s -> cb.call(outageSeconds(s), s.set()))).build());
    gauge(registry, "region_failover_held",
        "1 while an operator holds the host: no automatic transition.",
        (s, cb) -> cb.call(s.state().held() ? 1 : 0, s.set()));
    // failover_blocked is logged (and counted) when a block starts: this says it lasts.
    gauge(registry, "region_failover_failover_blocked",
        "1 while a failover is refused: no_healthy_target (every other region down), budget"
            + " (until a slot frees), traffic_healthy (the applications' calls go through),"
            + " hook_veto (the pre-switch hook said no).",
        (s, cb) -> {
          Blocked b = s.state().blocked();
          cb.call(b instanceof Blocked.NoTarget ? 1 : 0, s.set(), "no_healthy_target");
          cb.call(b instanceof Blocked.ByBudget x && x.freeAt() - s.at() > 0 ? 1 : 0, s.set(),
              "budget");
          cb.call(b instanceof Blocked.TrafficHealthy ? 1 : 0, s.set(), "traffic_healthy");
          cb.call(b instanceof Blocked.HookVeto ? 1 : 0, s.set(), Blocked.HookVeto.REASON);
        }, "reason");
    gauge(registry, "region_failover_failback_waiting",
        "1 when, in manual fail-back mode, a preferred region is up and a fail-back waits for"
            + " an operator.",
        (s, cb) -> cb.call(s.policy().failback(s.state(), s.at()).waiting() ? 1 : 0, s.set()));
    gauge(registry, "region_failover_budget_used",
        "Automatic transitions in the failover budget's window (manual moves count too).",
        (s, cb) -> cb.call(s.policy().budget(s.state(), s.at()).used(), s.set()));
    gauge(registry, "region_failover_budget_max",
        "Transitions the budget allows in its window; 0: no limit.",
        (s, cb) -> cb.call(s.policy().budget(s.state(), s.at()).max(), s.set()));
  }

  /** Adds a set's gauges from the next scrape on. */
  void add(Source source) {
    sources.add(source);
  }

  /** Removes a set's gauges. */
  void remove(Source source) {
    sources.remove(source);
  }

  /** One set's state and the time it is judged at. */
  private record Seen(String set, FailoverPolicy policy, PolicyState state, long at) {}

  /** Each set that has a state, judged now; a set before its loop's first state has none. */
  private List<Seen> seen() {
    List<Seen> out = new ArrayList<>();
    for (Source source : sources) {
      PolicyState s = source.state().get();
      if (s != null) {
        // The rules in force: a reload replaces them (same order).
        out.add(new Seen(source.set(), source.policy().get(), s, source.ticker().read()));
      }
    }
    return out;
  }

  private void gauge(PrometheusRegistry registry, String name, String help,
      BiConsumer<Seen, GaugeWithCallback.Callback> values, String... labels) {
    String[] names = new String[labels.length + 1];
    names[0] = PrometheusMetrics.SET;
    System.arraycopy(labels, 0, names, 1, labels.length);
    registry.register(GaugeWithCallback.builder().name(name).help(help).labelNames(names)
        .callback(cb -> seen().forEach(s -> values.accept(s, cb))).build());
  }

  private static String phase(State phase) {
    if (phase instanceof State.Down) {
      return "down";
    }
    if (phase instanceof State.Switching) {
      return "switching";
    }
    if (phase instanceof State.Repairing) {
      return "repairing";
    }
    return "watching";
  }

  /** Never negative: a state published by a step whose time is ahead of this read. */
  private static double outageSeconds(Seen s) {
    if (!(s.state().phase() instanceof State.Down d)) {
      return 0;
    }
    return Math.max(0, s.at() - d.since()) / 1e9;
  }
}
