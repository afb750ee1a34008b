package org.regionfailover.coordinate;

/**
 * Where a cluster lives in ZooKeeper, relative to the client's namespace
 * ({@code region-failover/<cluster>}): each host's view (ephemeral), the decider's and the
 * standby lease's latches, the fleet's decision (its version is the fencing epoch), the
 * fleet's budget history and hold, and operators' commands with their answers.
 */
public final class ClusterPaths {
  public static final String HOSTS = "/hosts";
  public static final String DECIDER = "/decider";
  public static final String DECISION = "/decision";
  public static final String FLEET_STATE = "/fleet-state";
  public static final String COMMANDS = "/commands";
  public static final String RESULTS = "/results";
  public static final String LEASE = "/lease";
  public static final String LEASE_EPOCH = "/lease-epoch";

  private ClusterPaths() {}

  /** The namespace of {@code cluster}: every path above is under it. */
  public static String namespace(String cluster) {
    return "region-failover/" + cluster;
  }

  public static String host(String hostId) {
    return HOSTS + "/" + hostId;
  }

  public static String result(String commandNode) {
    return RESULTS + "/" + commandNode;
  }
}
