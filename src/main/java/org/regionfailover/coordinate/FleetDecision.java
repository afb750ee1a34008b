package org.regionfailover.coordinate;

import java.util.Objects;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Operator;

/**
 * The fleet's decision as written to its node: be on {@code region}, because of
 * {@code kind} ({@code initial}, {@code failover}, {@code failback}, {@code operator}) and
 * {@code reason}, decided by {@code decider} at {@code atMillis} (wall clock), asked by
 * {@code by} (an operator's move; else the decider itself). Its epoch is
 * the node's version, not a field: only the conditional write can make one.
 */
public record FleetDecision(String region, String kind, String reason, String decider,
    long atMillis, Operator by) {
  public FleetDecision {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(decider, "decider");
    Objects.requireNonNull(by, "by");
  }

  /** The user of a decision no operator asked for. */
  public static final String FLEET_USER = "fleet";

  /**
   * The host's input that carries this decision out at {@code epoch} on region
   * {@code target}: the same kind of move a host makes alone, when the host follows the
   * fleet epoch by epoch ({@code following}). A host that catches up (new, restarted across
   * decisions, rejoining after deciding alone) or the fleet's first decision aligns it: a
   * move of the fleet's, not a failover that would page for a decision made long before.
   */
  public Input.FleetMove move(int target, int epoch, boolean following) {
    Input.FleetMove.Kind k = !following ? Input.FleetMove.Kind.MANUAL : switch (kind) {
      case "failover" -> Input.FleetMove.Kind.FAILOVER;
      case "failback" -> Input.FleetMove.Kind.FAILBACK;
      default -> Input.FleetMove.Kind.MANUAL;
    };
    Operator who = k == Input.FleetMove.Kind.MANUAL && !kind.equals("operator")
        ? new Operator(FLEET_USER, decider) : by;
    return new Input.FleetMove(target, k, epoch, reason, who);
  }

  /** The decision with the epoch and node identity it was read with. */
  public record Read(FleetDecision decision, int epoch, long createdZxid) {}
}
