package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.ClusterHosts;
import org.regionfailover.Ensembles;
import org.regionfailover.coordinate.ClusterPaths;

/**
 * Issue 13, fleet mode against a paused decider: two hosts run as child JVMs from the
 * launcher, each with its real supervisord, against a three-server ZooKeeper ensemble.
 * The region the fleet is on goes down and the decider is SIGSTOPped at once, with its
 * outage clock running. The other host becomes the decider once the paused one's session
 * expires and moves the fleet. When the paused decider resumes, its clock says the region
 * has been down far beyond the threshold: it must write nothing (the decision and the
 * fleet's state in ZooKeeper are untouched), apply nothing stale, and follow the new
 * decision once.
 */
class FleetProcessIT {
  /** One round per region the fleet can leave: EU, then NAM. */
  private static final int ROUNDS = 2;
  private static final Duration SESSION = Duration.ofSeconds(6);
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  /** ZooKeeper expires sessions on tick boundaries: an expiry can come up to a tick late. */
  private static final Duration TICK = Duration.ofMillis(500);
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final List<String> ORDER = List.of("EU", "NAM", "APAC");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  TestingCluster zk;
  CuratorFramework observer;
  ClusterHosts cluster;
  final List<ChildHost> hosts = new ArrayList<>();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeEach
  void start() throws Exception {
    zk = Ensembles.threeServers(TICK);
    observer = CuratorFrameworkFactory.builder().connectString(zk.getConnectString())
        .namespace(ClusterPaths.namespace("fleet")).retryPolicy(new RetryOneTime(200)).build();
    observer.start();
    cluster = new ClusterHosts(dir, "fleet", zk);
  }

  @AfterEach
  void stop() throws Exception {
    for (ChildHost h : hosts) {
      h.stop();
    }
    observer.close();
    cluster.close();
  }

  private ChildHost launch(String id) throws Exception {
    Map<String, String> env = cluster.env(cluster.supervisord(id, 1), id, SESSION);
    env.put("FAILOVER_INTERVAL", INTERVAL.toMillis() + "ms");
    env.put("FAILOVER_OUTAGE_THRESHOLD", "3s");
    env.put("FAILOVER_PROBE_TIMEOUT", "500ms");
    env.put("FAILOVER_REGION_INTERVAL", "1s");
    ChildHost h = new ChildHost(id, List.of("--region", "EU"), env,
        dir.resolve(id).resolve("stderr.log"));
    hosts.add(h);
    return h;
  }

  private String describe() {
    StringBuilder b = new StringBuilder();
    for (ChildHost h : hosts) {
      b.append(h.id).append(": ").append(h.names()).append('\n').append(h.stderrTail())
          .append('\n');
    }
    return b.toString();
  }

  /** The epochs {@code h} applied, in order. */
  private static List<Integer> applied(ChildHost h) {
    return h.named("fleet_decision_applied").stream().map(e -> e.get("epoch").asInt()).toList();
  }

  private static boolean applied(ChildHost h, int epoch) {
    return applied(h).contains(epoch);
  }

  private Optional<JsonNode> fleetStatus(ChildHost h) {
    try {
      URI base = URI.create(h.named("listening").get(0).get("url").asText());
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/status"))
          .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body()).path("fleet"))
          : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** The host that says it decides, once exactly one does. */
  private ChildHost decider() {
    ChildHost[] found = new ChildHost[1];
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      List<ChildHost> deciding = hosts.stream().filter(h -> fleetStatus(h)
          .map(f -> f.path("this_host_decides").asBoolean()).orElse(false)).toList();
      assertThat(deciding).as(() -> "no single decider\n" + describe()).hasSize(1);
      found[0] = deciding.get(0);
    });
    return found[0];
  }

  private Stat stat(String path) throws Exception {
    return observer.checkExists().forPath(path);
  }

  private String writerOfDecision() throws Exception {
    return JSON.readTree(observer.getData().forPath(ClusterPaths.DECISION)).get("decider")
        .asText();
  }

  @Test
  void aPausedDeciderIsReplaced_andWhenResumedWritesNothingAndAppliesNothingStale()
      throws Exception {
    launch("a");
    launch("b");
    for (ChildHost h : hosts) {
      await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(
          applied(h, 0))
          .as(() -> h.id + " never applied epoch 0\n"
          + describe()).isTrue());
    }
    List<Long> takeovers = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      String from = ORDER.get(round);
      String to = ORDER.get(round + 1);
      int epoch = round + 1;
      ChildHost paused = decider();
      ChildHost other = hosts.get(0) == paused ? hosts.get(1) : hosts.get(0);
      long electedBefore = other.count("decider_elected");

      cluster.cloud.chain(from, 503);
      cluster.cloud.direct(from, 503);
      paused.signal("STOP");
      long t0 = System.nanoTime();
      int r = round;
      await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(
          other.count("decider_elected") > electedBefore)
          .as(() -> "round " + r + ": no new decider\n" + describe()).isTrue());
      takeovers.add((System.nanoTime() - t0) / 1_000_000);
      await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(
          applied(other, epoch))
          .as(() -> "round " + r + ": the new decider's move was not applied\n" + describe()).isTrue());
      Stat decision = stat(ClusterPaths.DECISION);
      Stat fleetState = stat(ClusterPaths.FLEET_STATE);
      assertThat(decision.getVersion()).as("the fencing epoch").isEqualTo(epoch);
      assertThat(writerOfDecision()).isEqualTo(other.id);

      int resumedAt = paused.events().size();
      paused.signal("CONT");
      await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(
          applied(paused, epoch))
          .as(() -> "round " + r + ": the resumed host never followed the fleet\n" + describe()).isTrue());
      // Its view, published after it applied: it is back in the fleet and has run its
      // loop (and its decider's passes) with the clock that jumped.
      await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(
          fleetStatus(other).map(f -> {
        for (JsonNode host : f.path("hosts")) {
          if (host.path("host_id").asText().equals(paused.id)) {
            return host.path("applied_epoch").asInt() == epoch;
          }
        }
        return false;
      }).orElse(false))
          .as(() -> "round " + r + ": the resumed host's view never came back\n"
          + describe()).isTrue());

      List<String> since = paused.names().subList(resumedAt, paused.names().size());
      System.out.printf("round %d: %s paused, %s decided epoch %d after %d ms; the resumed"
          + " host then: %s%n", round, paused.id, other.id, epoch,
          takeovers.get(takeovers.size() - 1), since);
      assertThat(since).as("what the resumed decider did").doesNotContain("fleet_decision",
          "decider_elected");
      // Its one move is the fleet's epoch, applied as a failover (issue 25), never its own.
      assertThat(paused.events().subList(resumedAt, paused.events().size()).stream()
          .filter(e -> e.path("event").asText().equals("failover")))
          .as("the resumed host's failovers").allSatisfy(e -> {
            assertThat(e.path("fleet").asBoolean()).isTrue();
            assertThat(e.path("epoch").asInt()).isEqualTo(epoch);
          });
      Stat after = stat(ClusterPaths.DECISION);
      assertThat(after.getMzxid()).as("the decision was not written again")
          .isEqualTo(decision.getMzxid());
      assertThat(after.getVersion()).isEqualTo(epoch);
      assertThat(writerOfDecision()).isEqualTo(other.id);
      assertThat(stat(ClusterPaths.FLEET_STATE).getMzxid())
          .as("the fleet's budget and hold were not written").isEqualTo(fleetState.getMzxid());
      for (ChildHost h : hosts) {
        assertThat(applied(h)).as(h.id + "'s applied epochs: each once, never backwards")
            .isSortedAccordingTo(Integer::compare).doesNotHaveDuplicates()
            .endsWith(epoch);
        assertThat(h.named("failover")).as(h.id + " never decided alone: every failover"
            + " is the fleet's").allSatisfy(e -> assertThat(e.path("fleet").asBoolean()).isTrue());
        assertThat(Files.readString(cluster.supervisords.get(hosts.indexOf(h)).envFile()))
            .contains("cloud." + to.toLowerCase(Locale.ROOT));
      }
    }
    System.out.printf("fleet processes: %d SIGSTOPs of the decider; new decider after ms:"
            + " %s (session %d s + interval %d s); stale writes: 0%n",
        ROUNDS, takeovers, SESSION.toSeconds(), INTERVAL.toSeconds());
    assertThat(takeovers).allMatch(ms -> ms < SESSION.plus(INTERVAL).plus(TICK).toMillis());
  }
}
