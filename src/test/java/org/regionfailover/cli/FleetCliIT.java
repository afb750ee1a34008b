package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.Await;
import org.regionfailover.FakeCloud;
import org.regionfailover.SupervisordFixture;

/**
 * Issue 13 through the command line: two hosts started as operators start them
 * ({@code --coordination zookeeper://...}), each with a real supervisord and its stack,
 * against a real ZooKeeper. EU down for both moves the fleet once; {@code /status} shows
 * the fleet (hosts, views, decision, applied epochs) and {@code /health/coordination} is OK.
 */
class FleetCliIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  TestingServer zk;
  FakeCloud cloud;
  final List<SupervisordFixture> supervisords = new ArrayList<>();
  final List<CliRun> runs = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    for (CliRun r : runs) {
      r.close();
    }
    for (SupervisordFixture s : supervisords) {
      s.close();
    }
    if (cloud != null) {
      cloud.close();
    }
    if (zk != null) {
      zk.close();
    }
  }

  private CliRun host(String id) throws Exception {
    SupervisordFixture s = SupervisordFixture.unixSocket(Files.createDirectories(dir.resolve(id)));
    s.start();
    supervisords.add(s);
    Files.deleteIfExists(s.envFile());
    Map<String, String> env = cloud.loopEnv(s, FakeCloud.EU_NAM_APAC);
    env.put("FAILOVER_REGION_INTERVAL", "400ms");
    env.put("FAILOVER_COORDINATION", "zookeeper://" + zk.getConnectString());
    env.put("FAILOVER_CLUSTER", "it");
    env.put("FAILOVER_HOST_ID", id);
    env.put("FAILOVER_SESSION_TIMEOUT", "4s");
    CliRun run = new CliRun(env, List.of("--region", "EU"));
    runs.add(run);
    return run;
  }

  private static void await(CliRun run, String what, Callable<Boolean> condition) {
    Await.until(WAIT, condition, () -> what + "; events: " + run.events.names()
        + "; stderr: " + run.stderr());
  }

  private JsonNode status(CliRun run) throws Exception {
    URI base = URI.create((String) run.events.named("listening").get(0).fields().get("url"));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/status")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private String health(CliRun run, String path) throws Exception {
    URI base = URI.create((String) run.events.named("listening").get(0).fields().get("url"));
    return http.send(HttpRequest.newBuilder(base.resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void twoHostsStartedFromTheCommandLineMoveTogetherAndShowTheFleet() throws Exception {
    System.setProperty("zookeeper.admin.enableServer", "false");
    zk = new TestingServer(true);
    cloud = new FakeCloud();
    CliRun a = host("a");
    CliRun b = host("b");
    for (CliRun r : runs) {
      await(r, "stack started", () -> !r.events.named("stack_started").isEmpty());
      await(r, "epoch 0 applied", () -> !r.events.named("fleet_decision_applied").isEmpty());
    }
    assertThat(health(a, "/health/coordination")).isEqualTo("OK");
    JsonNode fleet = status(a).get("fleet");
    assertThat(fleet.get("cluster").asText()).isEqualTo("it");
    assertThat(fleet.get("decision").get("epoch").asInt()).isZero();
    await(a, "both hosts listed", () -> status(a).at("/fleet/hosts").size() == 2);

    cloud.chain("EU", 503);
    cloud.direct("EU", 503);
    for (CliRun r : runs) {
      await(r, "moved by the fleet", () -> r.events.named("fleet_decision_applied").stream()
          .anyMatch(e -> Integer.valueOf(1).equals(e.fields().get("epoch"))));
      await(r, "switch completed", () -> !r.events.named("switch_completed").isEmpty()
          || !r.events.named("failover_completed").isEmpty());
      assertThat(r.events.named("failover")).as("no host failed over alone").isEmpty();
      assertThat(r.events.named("manual_switch")).hasSize(1);
    }
    assertThat(Files.readString(supervisords.get(0).envFile())).contains("cloud.nam");
    assertThat(Files.readString(supervisords.get(1).envFile())).contains("cloud.nam");
    await(b, "both applied epoch 1", () -> {
      JsonNode hosts = status(b).at("/fleet/hosts");
      return hosts.size() == 2 && hosts.get(0).get("applied_epoch").asInt() == 1
          && hosts.get(1).get("applied_epoch").asInt() == 1;
    });
    assertThat(status(b).at("/fleet/decision/region").asText()).isEqualTo("NAM");
    assertThat(status(b).at("/fleet/decision/kind").asText()).isEqualTo("failover");
  }
}
