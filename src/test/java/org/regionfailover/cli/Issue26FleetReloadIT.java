package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.ClusterHosts;
import org.regionfailover.Ensembles;
import org.regionfailover.HtpasswdTool;
import org.regionfailover.SupervisordFixture;

/**
 * Issue 26 in a fleet: two hosts from the command line, each with its own settings file and
 * real supervisord, against a real ZooKeeper. Both are reloaded with a longer outage
 * threshold: the fleet keeps its members, its decider and its decision (no coordination
 * event, no program restarted), and its decider decides with the new threshold: an outage
 * of the fleet's region lasting several of the old thresholds moves nothing, and the
 * fleet's {@code /status} shows the new one.
 */
class Issue26FleetReloadIT {
  private static final String PASSWORD = "fleet-s3cret";
  /** Events that mean the fleet's membership or its decider changed. */
  private static final List<String> MEMBERSHIP = List.of("coordination_connected",
      "coordination_lost", "coordination_restored", "coordination_fallback", "fleet_rejoined",
      "decider_elected", "decider_stopped", "decider_fenced", "fleet_epoch_reset",
      "fleet_decision", "fleet_decision_applied");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  TestingServer zk;
  ClusterHosts cluster;
  final List<CliRun> runs = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    for (CliRun r : runs) {
      r.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private Map<String, String> settings(String id, SupervisordFixture s) {
    // The fake cloud's loop settings: a 200 ms interval and a 1 s outage threshold.
    Map<String, String> env = new TreeMap<>(cluster.env(s, id, Duration.ofSeconds(4)));
    env.put("FAILOVER_REGION", "EU");
    env.put("FAILOVER_REGION_INTERVAL", "400ms");
    env.put("FAILOVER_HTPASSWD", dir.resolve("htpasswd").toString());
    return env;
  }

  private static Path write(Path file, Map<String, String> settings) throws Exception {
    StringBuilder b = new StringBuilder();
    settings.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
    Files.writeString(file, b.toString());
    return file;
  }

  private CliRun host(String id, Map<String, String> settings) throws Exception {
    Path file = write(dir.resolve(id).resolve("region-failover.env"), settings);
    CliRun run = new CliRun(Map.of(), List.of("--config", file.toString()));
    runs.add(run);
    return run;
  }

  private static URI base(CliRun r) {
    return URI.create(r.events.named("listening").get(0).fields().get("url").toString());
  }

  private JsonNode status(CliRun r) throws Exception {
    HttpResponse<String> reply = http.send(HttpRequest.newBuilder(base(r).resolve("/status"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(reply.statusCode()).isEqualTo(200);
    return JSON.readTree(reply.body());
  }

  private JsonNode reload(CliRun r) throws Exception {
    HttpResponse<String> reply = http.send(HttpRequest.newBuilder(base(r).resolve("/reload"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            ("oncall:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    return JSON.readTree(reply.body());
  }

  private static List<String> membershipSince(CliRun r, int from) {
    List<String> names = r.events.names();
    return names.subList(from, names.size()).stream().filter(MEMBERSHIP::contains).toList();
  }

  /** The hosts /status lists, with the epoch each applied. */
  private Map<String, Integer> members(CliRun r) throws Exception {
    Map<String, Integer> hosts = new TreeMap<>();
    for (JsonNode h : status(r).at("/fleet/hosts")) {
      hosts.put(h.get("host_id").asText(), h.get("applied_epoch").asInt());
    }
    return hosts;
  }

  @Test
  void aReloadKeepsTheFleetsMembersAndDecider_andTheDeciderTakesTheNewThreshold()
      throws Exception {
    HtpasswdTool.add(dir.resolve("htpasswd"), "oncall", PASSWORD, "-B", "-C", "5");
    zk = Ensembles.oneServer();
    cluster = new ClusterHosts(dir, "fleet", zk);
    List<Map<String, String>> settings = new ArrayList<>();
    for (String id : List.of("a", "b")) {
      Map<String, String> s = settings(id, cluster.supervisord(id));
      settings.add(s);
      host(id, s);
    }
    CliRun a = runs.get(0);
    await("both hosts run their stacks, listed at epoch 0, a decider elected")
        .atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
          for (CliRun r : runs) {
            assertThat(r.events.named("stack_started")).isNotEmpty();
            assertThat(members(r)).isEqualTo(Map.of("a", 0, "b", 0));
          }
          assertThat(status(a).at("/fleet/decider").asText("")).isNotEmpty();
        });
    String decider = status(a).at("/fleet/decider").asText();
    List<List<String>> records = new ArrayList<>();
    List<Integer> from = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      records.add(cluster.supervisords.get(i).records());
      from.add(runs.get(i).events.names().size());
    }

    for (int i = 0; i < 2; i++) {
      settings.get(i).put("FAILOVER_OUTAGE_THRESHOLD", "60s");
      write(dir.resolve(i == 0 ? "a" : "b").resolve("region-failover.env"), settings.get(i));
      JsonNode applied = reload(runs.get(i));
      assertThat(applied.path("outcome").asText()).as(applied.toString()).isEqualTo("applied");
      assertThat(applied.path("changed").toString()).contains("FAILOVER_OUTAGE_THRESHOLD");
    }
    for (CliRun r : runs) {
      await("the fleet's threshold on the page").atMost(Duration.ofSeconds(10))
          .ignoreExceptions().untilAsserted(() -> assertThat(
              status(r).at("/fleet/quorum/threshold_s").asLong()).isEqualTo(60));
    }

    // An outage of the fleet's region, both hosts seeing it, for several old thresholds.
    cluster.cloud.chain("EU", 503);
    cluster.cloud.direct("EU", 503);
    try {
      await("both hosts see EU down").atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> status(a).at("/fleet/quorum/seeing_down").asInt() == 2);
      long seen = System.nanoTime();
      await("the outage lasts three old thresholds").atMost(Duration.ofSeconds(30))
          .pollDelay(Duration.ofSeconds(3)).until(() -> System.nanoTime() - seen > 3e9);
      // Still in the outage: the threshold that holds the fleet is the new one.
      assertThat(status(a).at("/fleet/quorum/seeing_down").asInt())
          .as(() -> "still in the outage, the fleet unmoved; failovers: "
              + a.events.named("failover")).isEqualTo(2);
    } finally {
      cluster.cloud.chain("EU", 200);
      cluster.cloud.direct("EU", 200);
    }
    await("both hosts see EU again").atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> status(a).at("/fleet/quorum/seeing_down").asInt() == 0);

    for (int i = 0; i < 2; i++) {
      CliRun r = runs.get(i);
      assertThat(membershipSince(r, from.get(i))).as("membership events on host " + i
          + " since the reload").isEmpty();
      assertThat(r.events.named("failover")).as("the fleet never moved").isEmpty();
      assertThat(members(r)).as("the fleet's members and their epochs")
          .isEqualTo(Map.of("a", 0, "b", 0));
      assertThat(status(r).at("/fleet/decider").asText()).as("the decider").isEqualTo(decider);
      assertThat(status(r).at("/fleet/decision/epoch").asInt()).isZero();
      assertThat(cluster.supervisords.get(i).records()).as("programs started on host " + i)
          .isEqualTo(records.get(i));
      assertThat(r.isRunning()).isTrue();
    }
  }
}
