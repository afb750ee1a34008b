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
   * {@code target}: the same kind of move a host makes alone. The first decision (where
   * most hosts were) aligns a host as a move of the fleet's, not as a failover.
   */
  public Input.FleetMove move(int target, int epoch) {
    Input.FleetMove.Kind k = switch (kind) {
      case "failover" -> Input.FleetMove.Kind.FAILOVER;
      case "failback" -> Input.FleetMove.Kind.FAILBACK;
      default -> Input.FleetMove.Kind.MANUAL;
    };
    return new Input.FleetMove(target, k, epoch, reason, by);
  }

  /** The decision with the epoch and node identity it was read with. */
  public record Read(FleetDecision decision, int epoch, long createdZxid) {}
}
