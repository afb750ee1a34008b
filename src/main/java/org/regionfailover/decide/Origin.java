package org.regionfailover.decide;

/**
 * Who decided a move: this host's own rules, or the fleet's decider at fencing
 * {@code epoch}. A fleet's move is the same kind of transition as a host's (a failover
 * pages as a failover); this only adds where it came from.
 */
public record Origin(boolean fleet, int epoch) {
  /** Decided by this host. */
  public static final Origin HOST = new Origin(false, -1);

  public Origin {
    if (fleet != epoch >= 0) {
      throw new IllegalArgumentException("a fleet decision has an epoch, a host's none: "
          + fleet + "/" + epoch);
    }
  }

  /** Decided by the fleet at {@code epoch}. */
  public static Origin fleet(int epoch) {
    return new Origin(true, epoch);
  }
}
