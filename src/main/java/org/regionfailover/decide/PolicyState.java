package org.regionfailover.decide;

import java.util.Objects;

/**
 * The one value the decide stage owns: where the host stands ({@code phase}: watching,
 * down since, switching, repairing), what the direct probes say of every region, the chain
 * evidence since the last transition ({@code window} since {@code windowSince}, and whether
 * the active region is {@code slow}), the transitions of the budget's window
 * ({@code history}), whether this outage already had its repair in place, the refused
 * transition last reported ({@code blocked}, null: none; so that it is reported once, not
 * at every probe), an operator's {@code hold} (null: none) and, in manual fail-back mode,
 * the region a fail-back waits for an operator to go to ({@code failbackWaiting}, -1:
 * none), whether failovers and fail-backs are the fleet's to decide ({@code fleet}:
 * this host only repairs in place), and the applications' calls through the active region
 * since the last transition ({@code traffic}), and the planned maintenance windows with
 * what has been reported of them ({@code maintenance}).
 */
public record PolicyState(State phase, RegionView regions, boolean repairedInPlace,
    ProbeWindow window, long windowSince, boolean slow, TransitionHistory history,
    Blocked blocked, Hold hold, int failbackWaiting, boolean fleet, TrafficWindow traffic,
    MaintenancePlan maintenance) {
  public PolicyState {
    Objects.requireNonNull(traffic, "traffic");
    Objects.requireNonNull(maintenance, "maintenance");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(regions, "regions");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(history, "history");
    if (failbackWaiting < -1 || failbackWaiting >= regions.size()) {
      throw new IllegalArgumentException("no region " + failbackWaiting);
    }
  }

  /** Without a hold or a waiting fail-back. */
  public PolicyState(State phase, RegionView regions, boolean repairedInPlace,
      ProbeWindow window, long windowSince, boolean slow, TransitionHistory history,
      Blocked blocked) {
    this(phase, regions, repairedInPlace, window, windowSince, slow, history, blocked,
        null, -1, false, TrafficWindow.EMPTY, MaintenancePlan.NONE);
  }

  /** Index of the active region in the order. */
  public int active() {
    return phase.active();
  }

  /** Whether an operator holds the host in place. */
  public boolean held() {
    return hold != null;
  }

  PolicyState with(State next) {
    return next == phase ? this : new PolicyState(next, regions, repairedInPlace, window,
        windowSince, slow, history, blocked, hold, failbackWaiting, fleet, traffic, maintenance);
  }

  PolicyState with(RegionView next) {
    return new PolicyState(phase, next, repairedInPlace, window, windowSince, slow, history,
        blocked, hold, failbackWaiting, fleet, traffic, maintenance);
  }

  PolicyState repaired(boolean repaired) {
    return new PolicyState(phase, regions, repaired, window, windowSince, slow, history,
        blocked, hold, failbackWaiting, fleet, traffic, maintenance);
  }

  PolicyState chain(ProbeWindow nextWindow, boolean nextSlow) {
    return new PolicyState(phase, regions, repairedInPlace, nextWindow, windowSince, nextSlow,
        history, blocked, hold, failbackWaiting, fleet, traffic, maintenance);
  }

  /** A clean chain record (probes and traffic) from {@code now}: after every transition. */
  PolicyState cleanChain(long now) {
    return new PolicyState(phase, regions, repairedInPlace, ProbeWindow.EMPTY, now, false,
        history, blocked, hold, -1, fleet, TrafficWindow.EMPTY, maintenance);
  }

  PolicyState history(TransitionHistory next) {
    return new PolicyState(phase, regions, repairedInPlace, window, windowSince, slow, next,
        blocked, hold, failbackWaiting, fleet, traffic, maintenance);
  }

  PolicyState blocked(Blocked next) {
    return new PolicyState(phase, regions, repairedInPlace, window, windowSince, slow, history,
        next, hold, failbackWaiting, fleet, traffic, maintenance);
  }

  /**
   * A block for want of a target is over: a probe no longer finds the active region down, or
   * a transition was made. A budget block is kept: it is reported once per slot.
   */
  PolicyState blockOver() {
    return blocked instanceof Blocked.NoTarget || blocked instanceof Blocked.TrafficHealthy
        ? blocked(null) : this;
  }

  PolicyState traffic(TrafficWindow next) {
    return next == traffic ? this : new PolicyState(phase, regions, repairedInPlace, window,
        windowSince, slow, history, blocked, hold, failbackWaiting, fleet, next, maintenance);
  }

  PolicyState hold(Hold next) {
    return new PolicyState(phase, regions, repairedInPlace, window, windowSince, slow, history,
        blocked, next, failbackWaiting, fleet, traffic, maintenance);
  }

  /** With failovers and fail-backs left to the fleet ({@code next}) or decided here. */
  public PolicyState fleet(boolean next) {
    return next == fleet ? this : new PolicyState(phase, regions, repairedInPlace, window,
        windowSince, slow, history, blocked, hold, failbackWaiting, next, traffic, maintenance);
  }

  PolicyState failbackWaiting(int region) {
    return region == failbackWaiting ? this : new PolicyState(phase, regions, repairedInPlace,
        window, windowSince, slow, history, blocked, hold, region, fleet, traffic, maintenance);
  }

  PolicyState maintenance(MaintenancePlan next) {
    return next == maintenance ? this : new PolicyState(phase, regions, repairedInPlace, window,
        windowSince, slow, history, blocked, hold, failbackWaiting, fleet, traffic, next);
  }
}
