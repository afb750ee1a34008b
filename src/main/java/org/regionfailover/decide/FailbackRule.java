package org.regionfailover.decide;

import java.time.Duration;

/**
 * Fail-back: come home to a region earlier in the order than the active one once it has
 * been up on its direct probe continuously for {@code after}, and the last transition is at
 * least that long ago, so a region that blinks does not drag the host back and forth (the
 * RPC failover proxy's rule: fail back only after the primary has been healthy a set time).
 */
final class FailbackRule {
  /** Fail back by itself ({@code AUTO}) or stay where a failover put the host ({@code OFF}). */
  enum Mode { AUTO, OFF }

  private final Mode mode;
  private final long afterNanos;

  FailbackRule(Mode mode, Duration after) {
    this.mode = mode;
    this.afterNanos = after.toNanos();
  }

  /**
   * The region to fail back to at {@code now}, or -1. {@code lastTransitionAt}: the last
   * transition, or none ({@code hasTransition} false).
   */
  int target(int active, RegionView view, boolean hasTransition, long lastTransitionAt,
      long now) {
    if (mode == Mode.OFF || hasTransition && now - lastTransitionAt - afterNanos < 0) {
      return -1;
    }
    for (int r = 0; r < active; r++) {
      // Only a region seen coming back after the host left it: one that was up on its
      // direct probe all along was left because its chain failed, which the direct probe
      // cannot see; failing back to it would bounce the host between a broken chain and a
      // good one (manual fail-back is the operator's call there).
      boolean cameBack = !hasTransition || view.last(r).upSince() - lastTransitionAt > 0;
      if (view.upFor(r, afterNanos, now) && cameBack) {
        return r;
      }
    }
    return -1;
  }
}
