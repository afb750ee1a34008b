package org.regionfailover.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How this host coordinates with others: not at all ({@link #NONE}), or through the
 * ZooKeeper ensemble {@code servers} (under {@code chroot}) as {@code hostId} in
 * {@code cluster}, in {@code role}; its session lasts {@code sessionTimeout}, the fleet
 * moves on {@code quorum}, and a host without ZooKeeper for {@code fallback} decides alone
 * again (null: never).
 */
public record CoordinationSettings(List<HostPort> servers, String chroot, String cluster,
    String hostId, Role role, Duration sessionTimeout, Quorum quorum, Duration fallback) {
  /** One leader decides for every host; or one host of the cluster runs the stack. */
  public enum Role { FLEET, ACTIVE_STANDBY }

  /** Each host alone, as before coordination existed. */
  public static final CoordinationSettings NONE = new CoordinationSettings(List.of(), "", "",
      "", Role.FLEET, Duration.ofSeconds(15), Quorum.MAJORITY, null);

  /** Names that are one ZooKeeper path element and one word in a log. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  public CoordinationSettings {
    servers = List.copyOf(servers);
    Objects.requireNonNull(chroot, "chroot");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(sessionTimeout, "sessionTimeout");
    Objects.requireNonNull(quorum, "quorum");
  }

  /** Whether the host coordinates at all. */
  public boolean enabled() {
    return !servers.isEmpty();
  }

  /** The connect string ZooKeeper's client takes: {@code host:port,host:port/chroot}. */
  public String connectString() {
    StringBuilder b = new StringBuilder();
    for (HostPort s : servers) {
      b.append(b.length() == 0 ? "" : ",").append(s.host().contains(":") ? "[" + s.host() + "]"
          : s.host()).append(':').append(s.port());
    }
    return b.append(chroot).toString();
  }

  /** The {@code zookeeper://} URL as an operator writes it. */
  public String url() {
    return enabled() ? "zookeeper://" + connectString() : "none";
  }

  /**
   * As coordinated by failover set {@code set} of a process with several: each set is its
   * own cluster, {@code CLUSTER/SET}, so two sets never share a decision, a lease or a
   * budget.
   */
  public CoordinationSettings inSet(String set) {
    return !enabled() ? this : new CoordinationSettings(servers, chroot, cluster + "/" + set,
        hostId, role, sessionTimeout, quorum, fallback);
  }
}
