package org.regionfailover.coordinate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingZooKeeperServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.Ensembles;
import org.regionfailover.time.Ticker;

/**
 * Three in-process hosts (the production loop, real HTTP probes against WireMock, env
 * files) coordinating through a real three-server ZooKeeper ensemble (Curator's
 * TestingCluster): a host alone with a broken chain repairs and the fleet stays; a quorum
 * moves the whole fleet once; a decider that loses its session is replaced and writes
 * nothing; an ensemble without quorum moves nobody until it returns.
 */
class FleetCoordinationIT {
  private static final Duration SESSION = Duration.ofSeconds(4);
  private static final Duration SOON = Duration.ofSeconds(30);

  @TempDir Path dir;
  TestingCluster zk;
  WireMockServer cloud;
  final List<FleetHost> hosts = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    zk = Ensembles.threeServers();
    cloud = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    cloud.start();
    cloud.stubFor(get(urlPathMatching("/.*")).atPriority(10)
        .willReturn(aResponse().withStatus(200)));
  }

  @AfterEach
  void stop() throws Exception {
    hosts.forEach(FleetHost::close);
    cloud.stop();
    zk.close();
  }

  private void fleet(int n) throws Exception {
    for (int i = 1; i <= n; i++) {
      hosts.add(new FleetHost("h" + i, dir, cloud.port(), zk.getConnectString(), "test",
          SESSION));
    }
    // The first decision: where the hosts are (EU), epoch 0, applied by every host.
    await().atMost(SOON).until(() -> hosts.stream().allMatch(h -> h.member.appliedEpoch() == 0));
  }

  private void chainDown(String host, String region) {
    cloud.stubFor(get(urlPathEqualTo("/" + host + "/chain/" + region)).atPriority(1)
        .willReturn(aResponse().withStatus(503)));
  }

  private void directDown(String region) {
    cloud.stubFor(get(urlPathEqualTo("/direct/" + region)).atPriority(1)
        .willReturn(aResponse().withStatus(503)));
  }

  private FleetHost decider() {
    await().atMost(SOON).until(() -> hosts.stream().filter(h -> h.decider.leading()).count() == 1);
    return hosts.stream().filter(h -> h.decider.leading()).findFirst().orElseThrow();
  }

  /** Passes, one per interval, that span {@code span}. */
  private static long passesIn(Duration span) {
    return span.toMillis() / FleetHost.INTERVAL.toMillis();
  }

  /**
   * Waits until the decider has run the fleet's rules through {@code span} more of its
   * passes (evidence that it looked, where a sleep proves nothing on a busy machine),
   * failing at once if {@code wrong} holds meanwhile.
   */
  private void deciderLooks(Duration span, Callable<Boolean> wrong) {
    FleetHost d = decider();
    long from = d.decider.passes();
    await().atMost(SOON).failFast("the fleet moved", wrong)
        .until(() -> d.decider.passes() >= from + passesIn(span));
  }

  /** The chain probes {@code h} has seen fail so far. */
  private static long failedProbes(FleetHost h) {
    return h.log.named("probe").stream()
        .filter(e -> Boolean.FALSE.equals(e.fields().get("healthy"))).count();
  }

  private long decisions(String kind) {
    return hosts.stream().flatMap(h -> h.log.named("fleet_decision").stream())
        .filter(e -> kind.equals(e.fields().get("kind"))).count();
  }

  @Test
  void aHostAloneWithABrokenChainRepairsInPlaceAndTheFleetStays() throws Exception {
    fleet(3);
    chainDown("h1", "EU");
    FleetHost h1 = hosts.get(0);
    await().atMost(SOON).until(() -> !h1.log.named("repair").isEmpty());
    // The decider looks well past the threshold for h1: one host of three is no quorum.
    deciderLooks(FleetHost.THRESHOLD.multipliedBy(3), () -> decisions("failover") > 0
        || hosts.stream().anyMatch(h -> !h.log.named("failover").isEmpty()));
    assertThat(decisions("failover")).isZero();
    for (FleetHost h : hosts) {
      assertThat(h.region()).isEqualTo("EU");
      assertThat(h.fleetSwitches()).isZero();
      assertThat(h.log.named("failover")).as("no host fails over alone").isEmpty();
    }
  }

  @Test
  void aQuorumDownMovesTheWholeFleetOnceToTheNextRegion() throws Exception {
    fleet(3);
    directDown("EU");
    chainDown("h1", "EU");
    chainDown("h2", "EU");
    await().atMost(SOON).until(() -> hosts.stream().allMatch(h -> h.member.appliedEpoch() == 1));
    for (FleetHost h : hosts) {
      await().atMost(SOON).until(() -> h.region().equals("NAM"));
      assertThat(h.fleetSwitches()).as(h.id + " moved once for epoch 1").isEqualTo(1);
      assertThat(new AppliedEpochFile(h.envFile).load().epoch()).isEqualTo(1);
    }
    assertThat(decisions("failover")).isEqualTo(1);
    // Settled: the next passes see NAM healthy and decide nothing more.
    deciderLooks(FleetHost.THRESHOLD.multipliedBy(2), () -> decisions("failover") > 1
        || hosts.stream().anyMatch(h -> h.fleetSwitches() > 1));
    assertThat(decisions("failover")).isEqualTo(1);
    assertThat(hosts).allMatch(h -> h.fleetSwitches() == 1);
  }

  @Test
  void aDeciderWhoseSessionExpiresIsReplacedAndWritesNothing() throws Exception {
    fleet(3);
    FleetHost old = decider();
    long writesBefore = old.decider.writes();
    old.zk.curator().getZookeeperClient().getZooKeeper().getTestable()
        .injectSessionExpiration();
    long t0 = System.nanoTime();
    await().atMost(SOON).until(() -> hosts.stream()
        .anyMatch(h -> h != old && h.decider.leading()));
    long took = (System.nanoTime() - t0) / 1_000_000;
    assertThat(took).as("a new decider within the session timeout + one interval (ms)")
        .isLessThan(SESSION.plus(FleetHost.INTERVAL).toMillis() + 5_000);
    assertThat(old.decider.writes()).isEqualTo(writesBefore);
    // The fleet still decides, under the new decider, and every host applies it once.
    directDown("EU");
    chainDown("h1", "EU");
    chainDown("h2", "EU");
    chainDown("h3", "EU");
    await().atMost(SOON).until(() -> hosts.stream().allMatch(h -> h.member.appliedEpoch() == 1));
    assertThat(decisions("failover")).isEqualTo(1);
    assertThat(hosts).allMatch(h -> h.fleetSwitches() == 1);
  }

  /**
   * What a paused decider's expiry looks like before it notices: its latch node is gone
   * while its latch still says it leads (Curator's leader watches only its predecessor).
   * The other hosts have left the election, so nobody else decides: only the fencing
   * transaction (the latch node checked in the same write) keeps it from moving the fleet.
   */
  @Test
  void aDeciderThatStillBelievesItLeadsCannotWriteOnceItsLatchNodeIsGone() throws Exception {
    fleet(3);
    FleetHost old = decider();
    hosts.stream().filter(h -> h != old).forEach(h -> h.decider.close());
    long writesBefore = old.decider.writes();
    long decisionsBefore = old.log.named("fleet_decision").size();
    try (CuratorFramework admin = CuratorFrameworkFactory.builder()
        .connectString(zk.getConnectString()).namespace(ClusterPaths.namespace("test"))
        .retryPolicy(new RetryOneTime(100)).build()) {
      admin.start();
      List<String> latches = admin.getChildren().forPath(ClusterPaths.DECIDER);
      assertThat(latches).as("only the old decider is left in the election").hasSize(1);
      admin.delete().forPath(ClusterPaths.DECIDER + "/" + latches.get(0));

      directDown("EU");
      chainDown("h1", "EU");
      chainDown("h2", "EU");
      chainDown("h3", "EU");
      await().atMost(SOON).until(() -> !old.log.named("decider_fenced").isEmpty());
      assertThat(old.decider.writes()).as("writes by the fenced decider").isEqualTo(writesBefore);
      assertThat(old.log.named("fleet_decision")).hasSize((int) decisionsBefore);
      assertThat(admin.checkExists().forPath(ClusterPaths.DECISION).getVersion())
          .as("the fencing epoch").isZero();
      assertThat(hosts).allMatch(h -> h.member.appliedEpoch() == 0 && h.fleetSwitches() == 0);
    }
  }

  @Test
  void anOperatorsCommandOnAnyHostBecomesOneFleetDecision() throws Exception {
    fleet(3);
    // A wait far beyond the test's: the answer comes when the decider writes it (the watch),
    // not when the wait runs out.
    FleetCommands onH3 = new FleetCommands(hosts.get(2).zk, "h3", Duration.ofMinutes(10),
        Ticker.system());
    org.regionfailover.decide.Operator alice =
        new org.regionfailover.decide.Operator("alice", "127.0.0.1");
    // APAC is index 2 in the order EU, NAM, APAC.
    var answer = onH3.submit(new org.regionfailover.decide.Input.MoveCommand(2, false,
        "region", alice)).get(SOON.toSeconds(), TimeUnit.SECONDS);
    assertThat(answer.accepted()).as(answer.outcome()).isTrue();
    assertThat(answer.outcome()).contains("fleet epoch 1");
    await().atMost(SOON).until(() -> hosts.stream().allMatch(h -> h.member.appliedEpoch() == 1));
    for (FleetHost h : hosts) {
      await().atMost(SOON).until(() -> h.region().equals("APAC"));
      assertThat(h.fleetSwitches()).isEqualTo(1);
      // Issue 25: the operator's move of the fleet is a manual move on every host, in the
      // operator's name, with the fleet's epoch; not a failover, and not a command here.
      assertThat(h.log.named("manual_switch")).singleElement().satisfies(e ->
          assertThat(e.fields()).containsEntry("user", "alice").containsEntry("fleet", true)
              .containsEntry("epoch", 1).containsEntry("to_region", "APAC"));
      assertThat(h.log.named("failover")).isEmpty();
    }
    var again = new FleetCommands(hosts.get(0).zk, "h1", Duration.ofMinutes(10),
        Ticker.system())
        .submit(new org.regionfailover.decide.Input.MoveCommand(2, false, "region", alice))
        .get(SOON.toSeconds(), TimeUnit.SECONDS);
    assertThat(again.accepted()).isFalse();
    assertThat(again.outcome()).contains("already on APAC");
    assertThat(hosts.stream().flatMap(h -> h.log.named("fleet_command").stream()).count())
        .as("each command answered once, by one decider").isEqualTo(2);
    assertThat(hosts.get(0).zk.curator().getChildren().forPath(ClusterPaths.COMMANDS))
        .isEmpty();
  }

  @Test
  void withoutQuorumNoHostMovesUntilZooKeeperReturnsThenTheyConverge() throws Exception {
    fleet(3);
    List<InstanceSpec> stopped = new ArrayList<>();
    for (TestingZooKeeperServer s : zk.getServers().subList(0, 2)) {
      stopped.add(s.getInstanceSpec());
      s.stop();
    }
    await().atMost(SOON).until(() -> hosts.stream().noneMatch(h -> h.zk.connected()));
    directDown("EU");
    hosts.forEach(h -> chainDown(h.id, "EU"));
    // Each host probes the broken chain far past the threshold: its own rules would have
    // moved it long before.
    Map<FleetHost, Long> before = new HashMap<>();
    hosts.forEach(h -> before.put(h, failedProbes(h)));
    long more = passesIn(FleetHost.THRESHOLD.multipliedBy(4));
    await().atMost(SOON)
        .failFast("a host moved without ZooKeeper", () -> hosts.stream().anyMatch(
            h -> !h.log.named("failover").isEmpty() || h.fleetSwitches() > 0))
        .until(() -> hosts.stream().allMatch(h -> failedProbes(h) >= before.get(h) + more));
    for (FleetHost h : hosts) {
      assertThat(h.region()).as(h.id + " keeps its region without ZooKeeper").isEqualTo("EU");
      assertThat(h.log.named("coordination_lost")).isNotEmpty();
    }
    for (TestingZooKeeperServer s : zk.getServers().subList(0, 2)) {
      s.restart();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> hosts.stream()
        .allMatch(h -> h.member.appliedEpoch() == 1));
    for (FleetHost h : hosts) {
      await().atMost(SOON).until(() -> h.region().equals("NAM"));
      assertThat(h.fleetSwitches()).isEqualTo(1);
    }
    assertThat(decisions("failover")).isEqualTo(1);
    assertThat(stopped).hasSize(2);
  }
}
