package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingZooKeeperServer;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.ClusterHosts;
import org.regionfailover.Ensembles;
import org.regionfailover.HtpasswdTool;
import org.regionfailover.StackOverlaps;

/**
 * Issue 13, active/standby: two hosts started from the command line, each with its own real
 * supervisord and stack, against a real three-server ZooKeeper ensemble. The leader's
 * session is expired by the ensemble again and again (and it is asked to resign); after
 * each, the other host takes over, and the two supervisord logs, merged by timestamp, never
 * show both stacks running at once.
 */
class ActiveStandbyIT {
  private static final int FAILURES = 50;
  private static final Duration SESSION = Duration.ofSeconds(18);
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final String PASSWORD = "correct horse";

  @TempDir Path dir;
  TestingCluster zk;
  ClusterHosts cluster;
  final List<CliRun> runs = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    zk = Ensembles.threeServers();
    cluster = new ClusterHosts(dir, "pair", zk);
  }

  @AfterEach
  void stop() throws Exception {
    for (CliRun r : runs) {
      r.close();
    }
    cluster.close();
  }

  private CliRun host(String id) throws Exception {
    Map<String, String> env = cluster.env(cluster.supervisord(id), id, SESSION);
    env.put("FAILOVER_INTERVAL", INTERVAL.toMillis() + "ms");
    env.put("FAILOVER_OUTAGE_THRESHOLD", "3s");
    env.put("FAILOVER_PROBE_TIMEOUT", "500ms");
    env.put("FAILOVER_REGION_INTERVAL", "2s");
    env.put("FAILOVER_ROLE", "active-standby");
    Path htpasswd = dir.resolve("htpasswd");
    if (!Files.exists(htpasswd)) {
      HtpasswdTool.add(htpasswd, "alice", PASSWORD, "-B", "-C", "5");
    }
    env.put("FAILOVER_HTPASSWD", htpasswd.toString());
    CliRun run = new CliRun(env, List.of("--region", "EU"));
    runs.add(run);
    return run;
  }

  private int leaders() {
    return (int) runs.stream().filter(r -> isLeader(r)).count();
  }

  /** Whether {@code r}'s last lease event says it leads. */
  private static boolean isLeader(CliRun r) {
    List<String> names = r.events.names();
    int became = names.lastIndexOf("became_leader");
    int lost = names.lastIndexOf("lost_leadership");
    return became > lost;
  }

  private int becameLeaderCount() {
    return runs.stream().mapToInt(r -> r.events.named("became_leader").size()).sum();
  }

  /** Expires the session that owns the lease's lowest latch node, as the ensemble would. */
  private void expireLeaderSession() throws Exception {
    try (ZooKeeper client = new ZooKeeper(zk.getConnectString(), 10_000, e -> { })) {
      String base = "/region-failover/pair/lease";
      List<String> nodes = new ArrayList<>(client.getChildren(base, false));
      nodes.sort(Comparator.comparing(n -> n.substring(n.lastIndexOf('-') + 1)));
      Stat stat = client.exists(base + "/" + nodes.get(0), false);
      long session = stat.getEphemeralOwner();
      for (TestingZooKeeperServer s : zk.getServers()) {
        org.apache.zookeeper.server.quorum.QuorumPeer peer = peer(s);
        ZooKeeperServer active = peer.getActiveServer();
        if (active != null && peer.leader != null) {
          active.expire(session);
          return;
        }
      }
      throw new AssertionError("no leader among the ZooKeeper servers");
    }
  }

  /**
   * The server's quorum peer. Curator's test server keeps it private; the ensemble leader's
   * session tracker is what expires sessions, so the test reaches it by reflection.
   */
  private static org.apache.zookeeper.server.quorum.QuorumPeer peer(TestingZooKeeperServer s)
      throws Exception {
    // TestingZooKeeperServer.main -> ZooKeeperServerEmbeddedAdapter.zooKeeperEmbedded ->
    // ZooKeeperServerEmbeddedImpl.maincluster -> QuorumPeerMain.quorumPeer
    Object o = field(s, "main");
    o = field(o, "zooKeeperEmbedded");
    o = field(o, "maincluster");
    return (org.apache.zookeeper.server.quorum.QuorumPeer) field(o, "quorumPeer");
  }

  private static Object field(Object o, String name) throws Exception {
    for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
      try {
        java.lang.reflect.Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(name + " in " + o.getClass());
  }

  private HttpResponse<String> resign(CliRun r) throws Exception {
    URI base = URI.create(r.events.named("listening").get(0).fields().get("url").toString());
    return http.send(HttpRequest.newBuilder(base.resolve("/resign"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            ("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void fiftyInjectedFailuresNeverLeaveTwoStacksRunning() throws Exception {
    host("a");
    await("a leads and runs its stack").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> leaders() == 1 && !runs.get(0).events.named("stack_started").isEmpty());
    host("b");
    await("b is a candidate with its stack stopped").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> !runs.get(1).events.named("stack_stopped_for_fencing").isEmpty());
    List<Long> takeovers = new ArrayList<>();
    for (int n = 0; n < FAILURES; n++) {
      int i = n;
      int before = becameLeaderCount();
      CliRun leader = runs.stream().filter(ActiveStandbyIT::isLeader).findFirst().orElseThrow();
      long t0 = System.nanoTime();
      if (i % 10 == 9) {
        assertThat(resign(leader).statusCode()).isEqualTo(202);
      } else {
        expireLeaderSession();
      }
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(
          becameLeaderCount() > before && leaders() == 1)
          .as(() -> "no takeover after failure " + i + "; a: " + runs.get(0).events.names()
              + " b: " + runs.get(1).events.names()).isTrue());
      takeovers.add((System.nanoTime() - t0) / 1_000_000);
      CliRun now = runs.stream().filter(ActiveStandbyIT::isLeader).findFirst().orElseThrow();
      int started = now.events.named("stack_started").size();
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(
          now.events.named("stack_started").size() >= started
          && cluster.supervisords.get(runs.indexOf(now)).client().getAllProcessInfo().stream()
              .allMatch(p -> p.statename().equals("RUNNING")))
          .as(() -> "the new leader's stack never ran after failure " + i).isTrue());
    }
    List<long[]> overlaps = overlaps();
    takeovers.sort(null);
    System.out.printf("active/standby: %d injected failures, %d takeovers; takeover ms median"
        + " %d, max %d; intervals with two stacks running: %d%n", FAILURES, takeovers.size(),
        takeovers.get(takeovers.size() / 2), takeovers.get(takeovers.size() - 1),
        overlaps.size());
    assertThat(takeovers).hasSize(FAILURES);
    assertThat(takeovers).allMatch(ms -> ms < SESSION.plus(INTERVAL).toMillis());
    assertThat(overlaps).as("intervals in which both hosts' stacks ran").isEmpty();
  }

  /** Both supervisord logs merged by timestamp: the intervals where both stacks ran. */
  private List<long[]> overlaps() throws Exception {
    List<StackOverlaps.Change> changes = StackOverlaps.changes(List.of(
        dir.resolve("a").resolve("supervisord.log"), dir.resolve("b").resolve("supervisord.log")));
    assertThat(changes).as("the logs show the stacks starting").anyMatch(StackOverlaps.Change::up);
    assertThat(changes).as("the logs show the stacks stopping").anyMatch(c -> !c.up());
    return StackOverlaps.of(changes, 2);
  }
}
