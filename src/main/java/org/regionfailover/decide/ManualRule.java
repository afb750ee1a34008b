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

  /** Why {@code move} cannot be carried out now, or null when it can. */
  String refusal(State phase, RegionView view, Input.MoveCommand move, long now) {
    if (move.target() < 0 || move.target() >= order.size()) {
      return "no region " + move.target() + " in the order";
    }
    Region target = order.get(move.target());
    if (phase instanceof State.Switching s) {
      return (s.startup() ? "the stack is starting on " : s.inPlace()
          ? "the stack is being restarted on " : "a switch to ")
          + order.get(s.target()).name() + " is in progress; ask again when it is done";
    }
    if (phase instanceof State.Repairing r) {
      return "the stack on " + order.get(r.active()).name() + " is being repaired ("
          + r.reason() + "); ask again when it is done";
    }
    if (move.target() == phase.active()) {
      return "the host is already on " + target.name();
    }
    if (!move.force() && view.health(move.target(), now) == Health.DOWN) {
      return target.name() + " is down on its direct probe ("
          + view.last(move.target()).result().reason() + "); add force=true to move anyway";
    }
    return null;
  }
}
