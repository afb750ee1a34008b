package org.regionfailover.decide;

import java.util.Objects;

/**
 * The one value the decide stage owns: where the host stands ({@code phase}: watching,
 * down since, switching, repairing), what the direct probes say of every region, the chain
 * evidence since the last transition ({@code window} since {@code windowSince}, and whether
 * the active region is {@code slow}), the automatic transitions of the budget's window
 * ({@code history}), whether this outage already had its repair in place, and the budget
 * block last reported (so it is reported once, not at every probe).
 */
public record PolicyState(State phase, RegionView regions, boolean repairedInPlace,
    ProbeWindow window, long windowSince, boolean slow, TransitionHistory history,
    long reportedFreeAt) {
  public PolicyState {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(regions, "regions");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(history, "history");
  }

  /** Index of the active region in the order. */
  public int active() {
    return phase.active();
  }

  PolicyState with(State next) {
    return next == phase ? this : new PolicyState(next, regions, repairedInPlace, window,
        windowSince, slow, history, reportedFreeAt);
  }

  PolicyState with(RegionView next) {
    return new PolicyState(phase, next, repairedInPlace, window, windowSince, slow, history,
        reportedFreeAt);
  }

  PolicyState repaired(boolean repaired) {
    return new PolicyState(phase, regions, repaired, window, windowSince, slow, history,
        reportedFreeAt);
  }

  PolicyState chain(ProbeWindow nextWindow, boolean nextSlow) {
    return new PolicyState(phase, regions, repairedInPlace, nextWindow, windowSince, nextSlow,
        history, reportedFreeAt);
  }

  /** A clean chain record from {@code now}: after every transition. */
  PolicyState cleanChain(long now) {
    return new PolicyState(phase, regions, repairedInPlace, ProbeWindow.EMPTY, now, false,
        history, reportedFreeAt);
  }

  PolicyState history(TransitionHistory next) {
    return new PolicyState(phase, regions, repairedInPlace, window, windowSince, slow, next,
        reportedFreeAt);
  }

  PolicyState reported(long freeAt) {
    return new PolicyState(phase, regions, repairedInPlace, window, windowSince, slow, history,
        freeAt);
  }
}
