package org.regionfailover.coordinate;

import java.util.Objects;

/**
 * The fleet's decision as written to its node: be on {@code region}, because of
 * {@code kind} ({@code initial}, {@code failover}, {@code failback}, {@code operator}) and
 * {@code reason}, decided by {@code decider} at {@code atMillis} (wall clock). Its epoch is
 * the node's version, not a field: only the conditional write can make one.
 */
public record FleetDecision(String region, String kind, String reason, String decider,
    long atMillis) {
  public FleetDecision {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(decider, "decider");
  }

  /** The decision with the epoch and node identity it was read with. */
  public record Read(FleetDecision decision, int epoch, long createdZxid) {}
}
