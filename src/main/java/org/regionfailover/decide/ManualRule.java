package org.regionfailover.decide;

import java.util.List;
import org.regionfailover.config.Region;
import org.regionfailover.decide.RegionView.Health;

/**
 * An operator's move: refused while the stack is being switched or repaired (the act stage
 * is busy with it; the operator tries again in a moment), onto the region the host is
 * already on, or onto a region down on its direct probe unless forced (pre-flight, as for
 * a failover). The failover budget does not apply: an operator overrides the brake.
 */
final class ManualRule {
  private final List<Region> order;

  ManualRule(List<Region> order) {
    this.order = order;
  }

  /**
   * Why a move to {@code target} cannot be carried out now, or null when it can;
   * {@code force} skips pre-flight (an operator's choice, or the fleet's, whose decider ran
   * it on the fleet's views).
   */
  String refusal(State phase, RegionView view, int targetIndex, boolean force, long now) {
    if (targetIndex < 0 || targetIndex >= order.size()) {
      return "no region " + targetIndex + " in the order";
    }
    Region target = order.get(targetIndex);
    if (phase instanceof State.Switching s) {
      return (s.startup() ? "the stack is starting on " : s.inPlace()
          ? "the stack is being restarted on " : "a switch to ")
          + order.get(s.target()).name() + " is in progress; ask again when it is done";
    }
    if (phase instanceof State.Repairing r) {
      return "the stack on " + order.get(r.active()).name() + " is being repaired ("
          + r.reason() + "); ask again when it is done";
    }
    if (targetIndex == phase.active()) {
      return "the host is already on " + target.name();
    }
    if (!force && view.health(targetIndex, now) == Health.DOWN) {
      return target.name() + " is down on its direct probe ("
          + view.last(targetIndex).result().reason() + "); add force=true to move anyway";
    }
    return null;
  }
}
