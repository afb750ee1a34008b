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
 * since the last transition ({@code traffic}), a move waiting for the pre-switch hook's
 * answer ({@code pending}, null: none; issue 28) with how many were asked for so far
 * ({@code asks}: each request's id, so that an answer to one given up is known stale),
 * and the planned maintenance windows with what has been reported of them
 * ({@code maintenance}).
 */
public record PolicyState(State phase, RegionView regions, boolean repairedInPlace,
    ProbeWindow window, long windowSince, boolean slow, TransitionHistory history,
    Blocked blocked, Hold hold, int failbackWaiting, boolean fleet, TrafficWindow traffic,
    PendingSwitch pending, long asks, MaintenancePlan maintenance) {
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
        null, -1, false, TrafficWindow.EMPTY, null, 0,
        MaintenancePlan.NONE);
  }

  /** Without a move waiting for the pre-switch hook, with the maintenance plan. */
  public PolicyState(State phase, RegionView regions, boolean repairedInPlace,
      ProbeWindow window, long windowSince, boolean slow, TransitionHistory history,
      Blocked blocked, Hold hold, int failbackWaiting, boolean fleet, TrafficWindow traffic,
      MaintenancePlan maintenance) {
    this(phase, regions, repairedInPlace, window, windowSince, slow, history, blocked, hold,
        failbackWaiting, fleet, traffic, null, 0, maintenance);
  }

  /** Without a move waiting for the pre-switch hook. */
  public PolicyState(State phase, RegionView regions, boolean repairedInPlace,
      ProbeWindow window, long windowSince, boolean slow, TransitionHistory history,
      Blocked blocked, Hold hold, int failbackWaiting, boolean fleet, TrafficWindow traffic) {
    this(phase, regions, repairedInPlace, window, windowSince, slow, history, blocked, hold,
        failbackWaiting, fleet, traffic, null, 0, MaintenancePlan.NONE);
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
        windowSince, slow, history, blocked, hold, failbackWaiting, fleet, traffic, pending, asks,
        maintenance);
  }

  PolicyState with(RegionView next) {
    return new PolicyState(phase, next, repairedInPlace, window, windowSince, slow, history,
        blocked, hold, failbackWaiting, fleet, traffic, pending, asks,
        maintenance);
  }

  PolicyState repaired(boolean repaired) {
    return new PolicyState(phase, regions, repaired, window, windowSince, slow, history,
        blocked, hold, failbackWaiting, fleet, traffic, pending, asks,
        maintenance);
  }

  PolicyState chain(ProbeWindow nextWindow, boolean nextSlow) {
    return new PolicyState(phase, regions, repairedInPlace, nextWindow, windowSince, nextSlow,
        history, blocked, hold, failbackWaiting, fleet, traffic, pending, asks,
        maintenance);
  }

  /** A clean chain record (probes and traffic) from {@code now}: after every transition. */
  PolicyState cleanChain(long now) {
    return new PolicyState(phase, regions, repairedInPlace, ProbeWindow.EMPTY, now, false,
        history, blocked, hold, -1, fleet, TrafficWindow.EMPTY, pending, asks,
        maintenance);
  }

  PolicyState history(TransitionHistory next) {
    return new PolicyState(phase, regions, repairedInPlace, window, windowSince, slow, next,
        blocked, hold, failbackWaiting, fleet, traffic, pending, asks,
        maintenance);
  }

  PolicyState blocked(Blocked next) {
    return new PolicyState(phase, regions, repairedInPlace, window, windowSince, slow, history,
        next, hold, failbackWaiting, fleet, traffic, pending, asks,
        maintenance);
  }

  /**
   * A block for want of a target is over: a probe no longer finds the active region down, or
   * a transition was made. A budget block is kept: it is reported once per slot. So is the
   * pre-switch hook's veto of a fail-back: the fail-back is wanted again at every probe of a
   * healthy region, and its veto is over only when it is not ({@link #vetoOver}).
   */
  PolicyState blockOver() {
    boolean over = blocked instanceof Blocked.NoTarget || blocked instanceof Blocked.TrafficHealthy
        || blocked instanceof Blocked.HookVeto v && v.kind() != PendingSwitch.Kind.FAILBACK;
    return over ? blocked(null) : this;
  }

  /** The pre-switch hook's veto, of any move, is over: a move was made, or is not wanted. */
  PolicyState vetoOver() {
    return blocked instanceof Blocked.HookVeto ? blocked(null) : this;
  }

  PolicyState traffic(TrafficWindow next) {
    return next == traffic ? this : new PolicyState(phase, regions, repairedInPlace, window,
        windowSince, slow, history, blocked, hold, failbackWaiting, fleet, next, pending, asks,
        maintenance);
  }

  PolicyState hold(Hold next) {
    return new PolicyState(phase, regions, repairedInPlace, window, windowSince, slow, history,
        blocked, next, failbackWaiting, fleet, traffic, pending, asks,
        maintenance);
  }

  /** With failovers and fail-backs left to the fleet ({@code next}) or decided here. */
  public PolicyState fleet(boolean next) {
    return next == fleet ? this : new PolicyState(phase, regions, repairedInPlace, window,
        windowSince, slow, history, blocked, hold, failbackWaiting, next, traffic, pending, asks,
        maintenance);
  }

  /** With {@code next} waiting for the pre-switch hook (null: none waits). */
  PolicyState pending(PendingSwitch next) {
    return next == pending ? this : new PolicyState(phase, regions, repairedInPlace, window,
        windowSince, slow, history, blocked, hold, failbackWaiting, fleet, traffic, next,
        next == null ? asks : Math.max(asks, next.id()), maintenance);
  }

  /** Whether a move waits for the pre-switch hook's answer. */
  public boolean waiting() {
    return pending != null;
  }

  PolicyState failbackWaiting(int region) {
    return region == failbackWaiting ? this : new PolicyState(phase, regions, repairedInPlace,
        window, windowSince, slow, history, blocked, hold, region, fleet, traffic, pending, asks,
        maintenance);
  }

  PolicyState maintenance(MaintenancePlan next) {
    return next == maintenance ? this : new PolicyState(phase, regions, repairedInPlace, window,
        windowSince, slow, history, blocked, hold, failbackWaiting, fleet, traffic, pending, asks,
        next);
  }
}
