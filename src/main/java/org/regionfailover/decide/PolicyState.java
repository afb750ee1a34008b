package org.regionfailover.decide;

import java.util.Objects;

/**
 * The one value the decide stage owns: where the host stands ({@code phase}: watching,
 * down since, switching, repairing), what the direct probes say of every region, and
 * whether this outage already had its repair in place ({@code repairedInPlace}: at most one
 * per outage, then a failover as usual).
 */
public record PolicyState(State phase, RegionView regions, boolean repairedInPlace) {
  public PolicyState {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(regions, "regions");
  }

  /** Index of the active region in the order. */
  public int active() {
    return phase.active();
  }

  PolicyState with(State next) {
    return next == phase ? this : new PolicyState(next, regions, repairedInPlace);
  }

  PolicyState with(RegionView next) {
    return new PolicyState(phase, next, repairedInPlace);
  }

  PolicyState repaired(boolean repaired) {
    return new PolicyState(phase, regions, repaired);
  }
}
