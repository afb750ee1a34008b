package org.regionfailover.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.PolicyStatus;

/**
 * Everything the status server answers from, immutable, published by the loop's thread
 * after each step: where the host stands ({@code state}, its {@code phase} name and since
 * when), each region, the budget and the fail-back to come (with their wall-clock times,
 * so a reader counts down without asking the loop), the hold, the components of
 * {@code /health}, the last transitions, newest first, and since when a failover has been
 * blocked for want of a healthy region ({@code blockedSince}, null: it is not).
 */
public record StatusSnapshot(Instant at, String version, PolicyState state, String phase,
    Instant phaseSince, String phaseReason, Duration threshold, List<RegionStatus> regions,
    PolicyStatus.Budget budget, Instant budgetFreeAt, PolicyStatus.Failback failback,
    Instant failbackAt, Instant holdSince, Instant holdUntil, List<Component> components,
    List<TransitionRecord> transitions, Instant blockedSince, TrafficView traffic) {
  /**
   * The last traffic report the loop took (issue 27): its region, its counts, and the
   * active region's window ({@code volume} calls, {@code share} unreachable) at {@code at};
   * {@code ignored}: about another region than the active one.
   */
  public record TrafficView(String region, String source, long ok, long unreachable,
      boolean ignored, long volume, double share, Instant at) {}

  /** Without traffic evidence seen (issue 27 off, or nothing reported yet). */
  public StatusSnapshot(Instant at, String version, PolicyState state, String phase,
      Instant phaseSince, String phaseReason, Duration threshold, List<RegionStatus> regions,
      PolicyStatus.Budget budget, Instant budgetFreeAt, PolicyStatus.Failback failback,
      Instant failbackAt, Instant holdSince, Instant holdUntil, List<Component> components,
      List<TransitionRecord> transitions, Instant blockedSince) {
    this(at, version, state, phase, phaseSince, phaseReason, threshold, regions, budget,
        budgetFreeAt, failback, failbackAt, holdSince, holdUntil, components, transitions,
        blockedSince, null);
  }

  public StatusSnapshot {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(state, "state");
    regions = List.copyOf(regions);
    components = List.copyOf(components);
    transitions = List.copyOf(transitions);
  }

  /** The region the host is on. */
  public RegionStatus active() {
    return regions.get(state.active());
  }

  /** Whether every aggregated component (this host's own: {@code /health}) is OK. */
  public boolean healthy() {
    return components.stream().filter(Component::aggregated).allMatch(Component::ok);
  }

  /** The component named {@code name} ({@code active}, {@code region/EU}, ...), any case. */
  public Optional<Component> component(String name) {
    return components.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
  }
}
