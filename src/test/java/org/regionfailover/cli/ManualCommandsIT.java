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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.FakeCloud;
import org.regionfailover.HtpasswdTool;
import org.regionfailover.Regions;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.act.envfile.EnvFile;
import org.regionfailover.report.Event;

/**
 * Issue 11, the operators' commands against the running loop: an htpasswd file made by
 * Debian's {@code htpasswd -B}, a real supervisord that restarts the stack, WireMock for
 * the chain and each region's direct endpoint, real HTTP to the status server on a free
 * port.
 */
class ManualCommandsIT {
  private static final String PASSWORD = "s3cret horse ünïcode";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  FakeCloud cloud;
  SupervisordFixture supervisord;
  CliRun run;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  URI base;

  @BeforeEach
  void start() throws Exception {
    cloud = new FakeCloud();
    // startsecs 1: each program is RUNNING before the next starts, so the records say the order.
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    Files.writeString(supervisord.envFile(), EnvFile.render(Regions.EU));
  }

  @AfterEach
  void stop() throws Exception {
    if (run != null) {
      run.close();
    }
    supervisord.close();
    cloud.close();
  }

  /** Starts the loop (on EU) with an htpasswd file for alice, or none; waits for the stack. */
  private void startLoop(boolean htpasswd) throws Exception {
    Map<String, String> env = cloud.loopEnv(supervisord, FakeCloud.EU_NAM_APAC);
    env.put("FAILOVER_REGION_INTERVAL", "200ms");
    env.put("FAILOVER_FAILBACK", "off");
    if (htpasswd) {
      Path file = dir.resolve("htpasswd");
      HtpasswdTool.add(file, "bob", "bobs password", "-B", "-C", "5");
      HtpasswdTool.add(file, "alice", PASSWORD, "-B", "-C", "5");
      env.put("FAILOVER_HTPASSWD", file.toString());
    }
    run = new CliRun(env, List.of("--region", "EU"));
    await("the stack started").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> run.events.named("stack_started").size() == 1);
    base = URI.create(run.events.named("listening").get(0).fields().get("url").toString());
  }

  private HttpResponse<String> post(String pathAndQuery, String user, String password)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody());
    if (user != null) {
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private int count(String event) {
    return run.events.named(event).size();
  }

  private long failedProbes() {
    return run.events.named("probe").stream()
        .filter(e -> Boolean.FALSE.equals(e.fields().get("healthy"))).count();
  }

  private void eu(int status) {
    cloud.chain("EU", status);
    cloud.direct("EU", status);
  }

  @Test
  void noHtpasswd_everyCommandIs403ManualControlOff() throws Exception {
    startLoop(false);

    for (String path : List.of("failback", "region/NAM", "hold", "release")) {
      HttpResponse<String> r = post(path, "alice", PASSWORD);
      assertThat(r.statusCode()).as(path).isEqualTo(403);
      assertThat(r.body()).isEqualTo("manual control is off");
    }
    assertThat(run.events.named("listening").get(0).fields())
        .containsEntry("manual_control", false);
    assertThat(run.events.names()).doesNotContain("manual_command", "failover");
  }

  @Test
  void wrongPassword_401_rightPassword_movesTheHostWithTheRealSupervisord() throws Exception {
    startLoop(true);

    HttpResponse<String> wrong = post("region/NAM", "alice", "not it");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate"))
        .contains("Basic realm=\"region-failover\", charset=\"UTF-8\"");
    Event failed = run.events.named("auth_failed").get(0);
    assertThat(failed.fields()).containsEntry("user", "alice").containsEntry("address", "127.0.0.1");

    HttpResponse<String> right = post("region/NAM", "alice", PASSWORD);
    assertThat(right.statusCode()).as(right.body()).isEqualTo(202);
    JsonNode body = JSON.readTree(right.body());
    assertThat(body.get("command").asText()).isEqualTo("region");
    assertThat(body.get("accepted").asBoolean()).isTrue();
    assertThat(body.get("user").asText()).isEqualTo("alice");

    await("the move to NAM").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> count("failover_completed") == 1);
    assertThat(Files.readString(supervisord.envFile())).contains("EXT_REGION=NAM");
    // The switch is done once supervisord says RUNNING; the record follows a moment later.
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(
        supervisord.lastStarts(3).equals(List.of("NAM stunnel", "NAM cloud-client",
            "NAM application")))
        .as(() -> "the NAM programs' records, in order: " + supervisord.lastStarts(3)).isTrue());
    assertThat(run.events.named("manual_command")).singleElement().satisfies(e ->
        assertThat(e.fields()).containsEntry("user", "alice").containsEntry("address", "127.0.0.1")
            .containsEntry("command", "region").containsEntry("outcome", "accepted"));
    assertThat(run.events.names()).doesNotContain("failover");

    HttpResponse<String> again = post("region/NAM", "alice", PASSWORD);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(again.body()).get("outcome").asText()).contains("already on NAM");

    String everything = run.events.events().toString() + run.stderr();
    assertThat(everything).doesNotContain(PASSWORD, "not it", "$2y$");
  }

  @Test
  void sixthWrongPasswordWithinAMinute_is429_evenForTheRightOne() throws Exception {
    startLoop(true);

    for (int i = 1; i <= 5; i++) {
      assertThat(post("failback", "alice", "guess " + i).statusCode()).as("attempt %d", i)
          .isEqualTo(401);
    }
    HttpResponse<String> sixth = post("failback", "alice", "guess 6");
    HttpResponse<String> right = post("failback", "alice", PASSWORD);

    assertThat(sixth.statusCode()).isEqualTo(429);
    assertThat(sixth.headers().firstValue("Retry-After")).hasValueSatisfying(s ->
        assertThat(Integer.parseInt(s)).isBetween(1, 60));
    assertThat(right.statusCode()).isEqualTo(429);
    assertThat(count("auth_failed")).isEqualTo(5);
    assertThat(count("auth_throttled")).isEqualTo(1);
    assertThat(run.events.names()).doesNotContain("manual_command");
  }

  @Test
  void hold_blocksTheFailoverThatWouldHappen_releaseLetsItHappen() throws Exception {
    startLoop(true);

    HttpResponse<String> hold = post("hold?reason=cloud%20maintenance", "alice", PASSWORD);
    assertThat(hold.statusCode()).as(hold.body()).isEqualTo(200);
    eu(503); // EU down through the chain and on its own: a failover is due after 1 s

    await("the failover held back").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> count("transition_held") == 1);
    long failedAtThreshold = failedProbes();
    // Long past the threshold: ten more failed probes, two more thresholds' worth.
    await("ten more failed probes").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> failedProbes() >= failedAtThreshold + 10);
    assertThat(run.events.names()).doesNotContain("failover", "failover_completed");
    assertThat(Files.readString(supervisord.envFile())).contains("EXT_REGION=EU");
    assertThat(run.events.named("transition_held").get(0).fields())
        .containsEntry("held_by", "alice").containsEntry("reason", "cloud maintenance");

    HttpResponse<String> release = post("release", "bob", "bobs password");
    assertThat(release.statusCode()).as(release.body()).isEqualTo(200);

    await("the failover after the release").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> count("failover_completed") == 1);
    assertThat(run.events.named("hold_ended").get(0).fields()).containsEntry("user", "bob");
    assertThat(run.events.named("failover").get(0).fields())
        .containsEntry("from_region", "EU").containsEntry("to_region", "NAM");
    assertThat(Files.readString(supervisord.envFile())).contains("EXT_REGION=NAM");
  }
}
