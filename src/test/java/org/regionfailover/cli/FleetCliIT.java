package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.Callable;
import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.ClusterHosts;
import org.regionfailover.Ensembles;
import org.regionfailover.HtpasswdTool;

/**
 * Issue 13 through the command line: two hosts started as operators start them
 * ({@code --coordination zookeeper://...}), each with a real supervisord and its stack,
 * against a real ZooKeeper. A fleet hold given on one host holds the fleet through an
 * outage that {@code /status} shows as it grows; released on the other host, the fleet
 * moves once. A host cut off from ZooKeeper longer than {@code --coordination-fallback}
 * decides alone, takes commands itself, and goes back to the fleet's region when ZooKeeper
 * returns.
 */
class FleetCliIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
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

  private static final String USER = "oncall";
  private static final String PASSWORD = "fleet-s3cret";

  private Path htpasswd;

  private CliRun host(String id) throws Exception {
    return host(id, Map.of());
  }

  private CliRun host(String id, Map<String, String> extra) throws Exception {
    if (htpasswd == null) {
      htpasswd = dir.resolve("htpasswd");
      HtpasswdTool.add(htpasswd, USER, PASSWORD, "-B", "-C", "5");
    }
    Map<String, String> env = cluster.env(cluster.supervisord(id), id, Duration.ofSeconds(4));
    env.put("FAILOVER_REGION_INTERVAL", "400ms");
    env.put("FAILOVER_HTPASSWD", htpasswd.toString());
    env.putAll(extra);
    CliRun run = new CliRun(env, List.of("--region", "EU"));
    runs.add(run);
    return run;
  }

  private static void await(CliRun run, String what, Callable<Boolean> condition) {
    Awaitility.await().atMost(WAIT).ignoreExceptions()
        .untilAsserted(() -> assertThat(condition.call()).as(() -> what + "; events: "
            + run.events.names() + "; stderr: " + run.stderr()).isTrue());
  }

  private JsonNode status(CliRun run) throws Exception {
    URI base = URI.create((String) run.events.named("listening").get(0).fields().get("url"));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/status")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private org.regionfailover.status.metrics.StrictParser.Parsed metrics(CliRun run)
      throws Exception {
    URI base = URI.create((String) run.events.named("listening").get(0).fields().get("url"));
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return org.regionfailover.status.metrics.StrictParser.text(r.body()).ofSet("default");
  }

  private HttpResponse<String> post(CliRun run, String pathAndQuery) throws Exception {
    URI base = URI.create((String) run.events.named("listening").get(0).fields().get("url"));
    return http.send(HttpRequest.newBuilder(base.resolve(pathAndQuery))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody())
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Host {@code id} as {@code /status} of {@code run} lists it (missing: not listed). */
  private JsonNode listed(CliRun run, String id) throws Exception {
    for (JsonNode h : status(run).at("/fleet/hosts")) {
      if (h.get("host_id").asText().equals(id)) {
        return h;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static boolean applied(CliRun run, int epoch) {
    return run.events.named("fleet_decision_applied").stream()
        .anyMatch(e -> Integer.valueOf(epoch).equals(e.fields().get("epoch")));
  }

  private String health(CliRun run, String path) throws Exception {
    URI base = URI.create((String) run.events.named("listening").get(0).fields().get("url"));
    return http.send(HttpRequest.newBuilder(base.resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void aFleetHoldHoldsThroughAGrowingOutage_releasedOnAnotherHostTheFleetMovesOnce()
      throws Exception {
    zk = Ensembles.oneServer();
    cluster = new ClusterHosts(dir, "it", zk);
    CliRun a = host("a");
    CliRun b = host("b");
    for (CliRun r : runs) {
      await(r, "stack started", () -> !r.events.named("stack_started").isEmpty());
      await(r, "epoch 0 applied", () -> applied(r, 0));
    }
    assertThat(health(a, "/health/coordination")).isEqualTo("OK");
    JsonNode fleet = status(a).get("fleet");
    assertThat(fleet.get("cluster").asText()).isEqualTo("it");
    assertThat(fleet.get("decision").get("epoch").asInt()).isZero();
    await(a, "both hosts listed", () -> status(a).at("/fleet/hosts").size() == 2);
    await(a, "a decider named", () -> !status(a).at("/fleet/decider").asText("").isEmpty());
    assertThat(status(a).at("/fleet/quorum/possible").asBoolean()).isTrue();
    assertThat(status(a).at("/fleet/hold").isNull()).as("not held yet").isTrue();

    HttpResponse<String> hold = post(a, "/hold?reason=tunnel%20work");
    assertThat(hold.statusCode()).as(hold.body()).isEqualTo(200);
    assertThat(hold.body()).contains("held: no automatic transition", "[fleet]");
    await(b, "the fleet's hold shown on the other host",
        () -> status(b).at("/fleet/hold/by").asText().equals(USER));
    assertThat(status(b).at("/fleet/hold/reason").asText()).isEqualTo("tunnel work");
    assertThat(status(b).get("held").asBoolean()).as("the host's own hold is unused").isFalse();

    cluster.cloud.chain("EU", 503);
    cluster.cloud.direct("EU", 503);
    await(b, "both hosts count toward the quorum",
        () -> status(b).at("/fleet/quorum/seeing_down").asInt() == 2);
    assertThat(status(b).at("/fleet/quorum/region").asText()).isEqualTo("EU");
    assertThat(status(b).at("/fleet/hosts")).allSatisfy(h -> {
      assertThat(h.get("counts").asBoolean()).isTrue();
      assertThat(h.get("down_for_ms").asLong()).isPositive();
    });
    // Views are published on change only: the outage clock shown must still run.
    long downFor = listed(b, "a").get("down_for_ms").asLong();
    await(b, "a's outage clock runs on the page",
        () -> listed(b, "a").get("down_for_ms").asLong() >= downFor + 1000);
    assertThat(Files.readString(cluster.supervisords.get(0).envFile())).contains("cloud.eu");
    assertThat(runs).allSatisfy(r -> assertThat(applied(r, 1)).as("held: nobody moved")
        .isFalse());

    HttpResponse<String> release = post(b, "/release");
    assertThat(release.statusCode()).as(release.body()).isEqualTo(200);
    for (CliRun r : runs) {
      await(r, "moved by the fleet", () -> applied(r, 1));
      await(r, "switch completed", () -> !r.events.named("switch_completed").isEmpty()
          || !r.events.named("failover_completed").isEmpty());
      assertThat(r.events.named("failover")).as("the fleet's failover, once per host")
          .singleElement().satisfies(e -> assertThat(e.fields()).containsEntry("fleet", true)
              .containsEntry("epoch", 1));
      assertThat(r.events.named("manual_switch")).isEmpty();
      // The alert RegionFailover (kind="failover") fires for it: /metrics, parsed strictly.
      await(r, "counted as a failover", () -> metrics(r).value(
          "region_failover_transitions_total", "kind", "failover", "from", "EU", "to", "NAM")
          == 1);
      assertThat(metrics(r).named("region_failover_transitions_total"))
          .extracting(m -> m.labels().get("kind")).containsOnly("failover");
    }
    assertThat(Files.readString(cluster.supervisords.get(0).envFile())).contains("cloud.nam");
    assertThat(Files.readString(cluster.supervisords.get(1).envFile())).contains("cloud.nam");
    await(b, "both applied epoch 1", () -> {
      JsonNode hosts = status(b).at("/fleet/hosts");
      return hosts.size() == 2 && hosts.get(0).get("applied_epoch").asInt() == 1
          && hosts.get(1).get("applied_epoch").asInt() == 1;
    });
    JsonNode after = status(b).get("fleet");
    assertThat(after.at("/decision/region").asText()).isEqualTo("NAM");
    assertThat(after.at("/decision/kind").asText()).isEqualTo("failover");
    assertThat(after.at("/hold").isNull()).as("released").isTrue();
    assertThat(after.at("/budget/used").asInt()).as("the fleet's budget counts the move")
        .isEqualTo(1);
    assertThat(after.at("/quorum/region").asText()).isEqualTo("NAM");
    assertThat(after.at("/quorum/seeing_down").asInt()).isZero();
  }

  @Test
  void withoutZooKeeperPastTheFallback_aHostDecidesAlone_thenRejoinsTheFleet()
      throws Exception {
    zk = Ensembles.oneServer();
    cluster = new ClusterHosts(dir, "it", zk);
    CliRun a = host("a", Map.of("FAILOVER_SESSION_TIMEOUT", "2s",
        "FAILOVER_COORDINATION_FALLBACK", "3s", "FAILOVER_FAILBACK", "off"));
    await(a, "stack started", () -> !a.events.named("stack_started").isEmpty());
    await(a, "epoch 0 applied", () -> applied(a, 0));
    await(a, "listed", () -> status(a).at("/fleet/hosts").size() == 1);

    zk.stop();
    await(a, "ZooKeeper lost", () -> !a.events.named("coordination_lost").isEmpty());
    JsonNode lost = status(a).get("fleet");
    assertThat(lost.get("connected").asBoolean()).isFalse();
    assertThat(lost.get("hosts")).as("the last read, still shown").hasSize(1);
    assertThat(lost.get("views_read_at").isTextual()).isTrue();
    await(a, "fallen back", () -> !a.events.named("coordination_fallback").isEmpty());
    assertThat(status(a).at("/fleet/falls_back").asBoolean()).isTrue();
    assertThat(health(a, "/health/coordination")).isEqualTo("FAIL");
    assertThat(health(a, "/health?verbose")).contains("fallen back: deciding alone");

    cluster.cloud.chain("EU", 503);
    cluster.cloud.direct("EU", 503);
    await(a, "failed over alone", () -> status(a).get("active_region").asText().equals("NAM")
        && status(a).get("state").asText().equals("watching"));
    assertThat(Files.readString(cluster.supervisords.get(0).envFile())).contains("cloud.nam");
    assertThat(a.events.named("failover")).hasSize(1);
    HttpResponse<String> move = post(a, "/region/APAC");
    assertThat(move.statusCode()).as("a fallen-back host takes commands itself: "
        + move.body()).isBetween(200, 202);
    await(a, "moved by the operator", () -> Files.readString(cluster.supervisords.get(0).envFile())
        .contains("cloud.apac"));

    cluster.cloud.chain("EU", 200);
    cluster.cloud.direct("EU", 200);
    zk.restart();
    await(a, "fallback ended", () -> !a.events.named("coordination_fallback_ended").isEmpty());
    await(a, "back on the fleet's region", () -> !a.events.named("fleet_rejoined").isEmpty());
    assertThat(a.events.named("fleet_rejoined").get(0).fields())
        .containsEntry("epoch", 0).containsEntry("region", "EU")
        .containsEntry("outcome", "moved");
    await(a, "on EU", () -> Files.readString(cluster.supervisords.get(0).envFile())
        .contains("cloud.eu"));
    await(a, "status follows", () -> !status(a).at("/fleet/falls_back").asBoolean()
        && status(a).at("/fleet/connected").asBoolean());

    // A stop while ZooKeeper is gone must not wait for deletes that retry for minutes.
    zk.stop();
    await(a, "ZooKeeper lost again", () -> a.events.named("coordination_lost").size() == 2);
    assertThat(a.stop()).as("exit code of a stop without ZooKeeper").isZero();
    assertThat(a.events.named("shutdown")).hasSize(1);
  }
}
