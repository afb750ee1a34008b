package org.regionfailover.decide;

import java.time.Duration;
import org.regionfailover.config.FailbackMode;

/**
 * Fail-back: come home to a region earlier in the order than the active one once it has
 * been up on its direct probe continuously for {@code after}, and the last transition is at
 * least that long ago, so a region that blinks does not drag the host back and forth (the
 * RPC failover proxy's rule: fail back only after the primary has been healthy a set time).
 * In manual mode the same region is only shown as waiting for an operator.
 */
public final class FailbackRule {
  /** An automatic fail-back to {@code region} expected at {@code at} (ticker nanoseconds). */
  record Eta(int region, long at) {}

  private final FailbackMode mode;
  private final long afterNanos;

  FailbackRule(FailbackMode mode, Duration after) {
    this.mode = mode;
    this.afterNanos = after.toNanos();
  }

  FailbackMode mode() {
    return mode;
  }

  /**
   * The region to fail back to by itself at {@code now}, or -1. {@code lastTransitionAt}:
   * the last transition, or none ({@code hasTransition} false).
   */
  int target(int active, RegionView view, boolean hasTransition, long lastTransitionAt,
      long now) {
    return target(active, view, hasTransition, lastTransitionAt, now, r -> false);
  }

  /** As above, never to a region {@code closed} (a maintenance window keeps it off). */
  int target(int active, RegionView view, boolean hasTransition, long lastTransitionAt,
      long now, java.util.function.IntPredicate closed) {
    if (mode != FailbackMode.AUTO) {
      return -1;
    }
    return eligible(active, view, hasTransition, lastTransitionAt, now, closed);
  }

  /**
   * In manual mode, the region an operator's fail-back would go to now, by the same rules
   * as an automatic one (so a deliberate move is not announced as a fail-back to make), or
   * -1.
   */
  int waiting(int active, RegionView view, boolean hasTransition, long lastTransitionAt,
      long now) {
    return waiting(active, view, hasTransition, lastTransitionAt, now, r -> false);
  }

  /** As above, never a region {@code closed}. */
  int waiting(int active, RegionView view, boolean hasTransition, long lastTransitionAt,
      long now, java.util.function.IntPredicate closed) {
    if (mode != FailbackMode.MANUAL) {
      return -1;
    }
    return eligible(active, view, hasTransition, lastTransitionAt, now, closed);
  }

  /**
   * When automatic fail-back to an earlier region would happen if nothing changes: the
   * region and the time (ticker nanoseconds), or null when none is coming.
   */
  Eta eta(int active, RegionView view, boolean hasTransition, long lastTransitionAt,
      long now) {
    return eta(active, view, hasTransition, lastTransitionAt, now, r -> false);
  }

  /** As above, never to a region {@code closed}. */
  Eta eta(int active, RegionView view, boolean hasTransition, long lastTransitionAt,
      long now, java.util.function.IntPredicate closed) {
    if (mode != FailbackMode.AUTO) {
      return null;
    }
    for (int r = 0; r < active; r++) {
      RegionView.Seen seen = view.last(r);
      if (closed.test(r) || view.health(r, now) != RegionView.Health.UP
          || !seenComingBack(seen.upSince(), hasTransition, lastTransitionAt)) {
        continue;
      }
      long at = seen.upSince() + afterNanos;
      if (hasTransition && lastTransitionAt + afterNanos - at > 0) {
        at = lastTransitionAt + afterNanos;
      }
      return new Eta(r, at);
    }
    return null;
  }

  private int eligible(int active, RegionView view, boolean hasTransition,
      long lastTransitionAt, long now, java.util.function.IntPredicate closed) {
    if (hasTransition && now - lastTransitionAt - afterNanos < 0) {
      return -1;
    }
    for (int r = 0; r < active; r++) {
      // upFor first: a region never probed since start-up has no last probe to look at.
      if (!closed.test(r) && view.upFor(r, afterNanos, now)
          && seenComingBack(view.last(r).upSince(), hasTransition, lastTransitionAt)) {
        return r;
      }
    }
    return -1;
  }

  /**
   * Whether a region up since {@code upSince} may be failed back to: only one seen coming
   * back after the last transition. One that was up on its direct probe all along was left
   * because its chain failed, which the direct probe cannot see; failing back to it would
   * bounce between a broken chain and a good one (manual fail-back is the operator's call
   * there). The same guard for a host and for a fleet.
   */
  public static boolean seenComingBack(long upSince, boolean hasTransition,
      long lastTransitionAt) {
    return !hasTransition || upSince - lastTransitionAt > 0;
  }
}
