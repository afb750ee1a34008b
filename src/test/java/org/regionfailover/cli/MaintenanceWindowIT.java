package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.FakeCloud;
import org.regionfailover.HtpasswdTool;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.config.MaintenanceFile;
import org.regionfailover.report.Event;

/**
 * Issue 28, maintenance windows end to end: a real supervisord, the chain and the regions'
 * own hosts on FakeCloud, a window of EU starting 20 s ahead with a 10 s lead at a 0.5 s
 * interval, and EU going down (chain and direct probe) at the window's start. The host makes
 * its planned move to NAM within the lead, before the start, so not one chain probe fails;
 * a supervisor killed (kill -9) and started again inside the window stays off EU.
 */
class MaintenanceWindowIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Duration INTERVAL = Duration.ofMillis(500);
  private static final Duration AHEAD = Duration.ofSeconds(20);
  private static final Duration LEAD = Duration.ofSeconds(10);
  /** Restarts inside a window; 20 by hand: -Dmaintenance.runs=20. */
  private static final int RUNS = Integer.getInteger("maintenance.runs", 2);
  private static final String PASSWORD = "maintenance-test";

  @TempDir Path dir;
  private FakeCloud cloud;
  private SupervisordFixture supervisord;
  private CliRun run;
  private ChildHost child;

  @AfterEach
  void stop() throws Exception {
    if (run != null) {
      run.close();
    }
    if (child != null) {
      child.stop();
    }
    if (supervisord != null) {
      supervisord.close();
    }
    if (cloud != null) {
      cloud.close();
    }
  }

  private Map<String, String> env(Path maintenance) {
    Map<String, String> env = cloud.loopEnv(supervisord, FakeCloud.EU_NAM_APAC);
    env.put("FAILOVER_INTERVAL", INTERVAL.toMillis() + "ms");
    env.put("FAILOVER_PROBE_TIMEOUT", "300ms");
    env.put("FAILOVER_OUTAGE_THRESHOLD", "3s");
    env.put("FAILOVER_REGION_INTERVAL", INTERVAL.toMillis() + "ms");
    env.put("FAILOVER_MAINTENANCE_FILE", maintenance.toString());
    env.put("FAILOVER_MAINTENANCE_LEAD", LEAD.toSeconds() + "s");
    return env;
  }

  private static Path window(Path file, Instant start, Duration length) throws Exception {
    return Files.writeString(file, "# test\nEU " + start + "/" + length.toSeconds()
        + "s cloud maintenance\n");
  }

  /**
   * The window comes through {@code POST /maintenance} once the host runs (so that the lead
   * is not spent on a cold JVM's first probes): from then on it is 20 s ahead.
   */
  @Test
  void theHostLeavesEuWithinTheLead_noChainProbeFailsWhenEuGoesDownAtTheStart()
      throws Exception {
    cloud = new FakeCloud();
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    Files.deleteIfExists(supervisord.envFile());
    Path file = dir.resolve("maintenance");
    Map<String, String> env = env(file);
    Path htpasswd = dir.resolve("htpasswd");
    HtpasswdTool.add(htpasswd, "alice", PASSWORD, "-B", "-C", "5");
    env.put("FAILOVER_HTPASSWD", htpasswd.toString());
    run = new CliRun(env, List.of("--region", "EU"));
    Awaitility.await().atMost(WAIT).until(() -> !run.events.named("stack_started").isEmpty()
        && run.events.named("probe").stream().filter(p -> Boolean.TRUE.equals(
            p.fields().get("healthy"))).count() >= 4);
    URI base = URI.create((String) run.events.named("listening").get(0).fields().get("url"));

    Instant start = Instant.now().plus(AHEAD).truncatedTo(ChronoUnit.MILLIS);
    long startNanos = System.nanoTime() + Duration.between(Instant.now(), start).toNanos();
    HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            base.resolve("/maintenance?region=EU&start=" + start + "&for=60s"
                + "&reason=cloud%20maintenance"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            ("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
    assertThat(Files.readString(file)).contains("EU " + start + "/1m cloud maintenance");
    Awaitility.await().atMost(WAIT).until(() -> !run.events.named("maintenance_scheduled")
        .isEmpty());

    // EU goes down (its chain and its own host) at the window's start.
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(5))
        .until(() -> System.nanoTime() - startNanos >= 0);
    cloud.chain("EU", 503);
    cloud.direct("EU", 503);
    String envAtStart = Files.readString(supervisord.envFile());
    Awaitility.await().atMost(WAIT).until(() -> !run.events.named("maintenance_started")
        .isEmpty());
    Awaitility.await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);

    Event move = run.events.named("maintenance_move").get(0);
    long lagMs = (run.emittedAt.get(move) - (startNanos - LEAD.toNanos())) / 1_000_000;
    System.out.println("maintenance_move after start - lead: " + lagMs + " ms (interval "
        + INTERVAL.toMillis() + " ms)");
    assertThat(lagMs).as("not before start - lead").isGreaterThanOrEqualTo(0);
    assertThat(move.fields().get("to_region")).isEqualTo("NAM");
    assertThat(run.emittedAt.get(run.events.named("failover_completed").get(0)))
        .as("on NAM before the window's start").isLessThan(startNanos);
    assertThat(envAtStart).contains("EXT_REGION=NAM");
    long from = startNanos - LEAD.toNanos();
    List<Event> failedProbes = run.events.named("probe").stream()
        .filter(p -> run.emittedAt.get(p) - from >= 0)
        .filter(p -> Boolean.FALSE.equals(p.fields().get("healthy"))).toList();
    assertThat(failedProbes).as("failed chain probes from start - lead on").isEmpty();
    assertThat(run.events.named("probe").stream().filter(p -> run.emittedAt.get(p) - startNanos
        >= 0)).as("chain probes after the start").isNotEmpty()
        .allSatisfy(p -> assertThat(p.fields().get("region")).isEqualTo("NAM"));
    assertThat(run.events.named("failover")).isEmpty();
  }

  /**
   * kill -9 inside the window, then a start again: the window is read back from the file,
   * the host stays on NAM (EU is no target), reports the window under way; runs:
   * {@code -Dmaintenance.runs} (2 by default).
   */
  @Test
  void aWindowSurvivesAKillMinus9AndARestartInsideIt() throws Exception {
    cloud = new FakeCloud();
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    List<String> outcomes = new ArrayList<>();
    for (int n = 0; n < RUNS; n++) {
      Files.deleteIfExists(supervisord.envFile());
      Files.deleteIfExists(supervisord.envFile().resolveSibling("."
          + supervisord.envFile().getFileName() + ".transitions"));
      cloud.chain("EU", 200);
      cloud.direct("EU", 200);
      Instant start = Instant.now().plus(AHEAD).truncatedTo(ChronoUnit.SECONDS);
      Path file = window(dir.resolve("maintenance"), start, Duration.ofSeconds(60));
      long startNanos = System.nanoTime() + Duration.between(Instant.now(), start).toNanos();
      child = new ChildHost("run" + n, List.of("--region", "EU"), env(file),
          dir.resolve("stderr-" + n + ".log"));
      ChildHost first = child;
      Awaitility.await().atMost(WAIT).until(() -> first.count("failover_completed") > 0);
      assertThat(Files.readString(supervisord.envFile())).as(first.stderrTail())
          .contains("EXT_REGION=NAM");
      Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(5))
          .until(() -> System.nanoTime() - startNanos >= 0);
      cloud.chain("EU", 503);
      cloud.direct("EU", 503);
      Awaitility.await().atMost(WAIT).until(() -> first.count("maintenance_started") > 0);

      first.signal("KILL");
      first.process.waitFor();
      child = new ChildHost("again" + n, List.of("--region", "EU"), env(file),
          dir.resolve("stderr-again-" + n + ".log"));
      ChildHost again = child;
      Awaitility.await().atMost(WAIT).until(() -> again.count("maintenance_started") > 0
          && again.count("probe") >= 6);

      assertThat(again.names()).as(again.stderrTail()).contains("maintenance_scheduled")
          .doesNotContain("maintenance_move", "failover", "failback");
      List<JsonNode> failed = again.named("probe").stream()
          .filter(p -> !p.path("healthy").asBoolean()).toList();
      assertThat(failed).as("failed chain probes after the restart").isEmpty();
      assertThat(Files.readString(supervisord.envFile())).contains("EXT_REGION=NAM");
      outcomes.add("run " + n + ": moved, killed, restarted on NAM, "
          + again.count("probe") + " probes ok");
      again.stop();
      child = null;
    }
    System.out.println("maintenance restarts: " + outcomes.size() + " of " + RUNS + " ok\n"
        + String.join("\n", outcomes));
  }

  private HttpResponse<String> send(URI base, String method, String pathAndQuery, String body)
      throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(pathAndQuery))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            ("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
        .header("Content-Type", "text/plain")
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private Map<String, String> withHtpasswd(Map<String, String> env) throws Exception {
    Path htpasswd = dir.resolve("htpasswd");
    if (!Files.exists(htpasswd)) {
      HtpasswdTool.add(htpasswd, "alice", PASSWORD, "-B", "-C", "5");
    }
    env.put("FAILOVER_HTPASSWD", htpasswd.toString());
    return env;
  }

  /**
   * A reload reads the file again: a bad line rejects the reload and the windows known stay;
   * fixed, the window is scheduled and {@code /status} lists it with its ID.
   */
  @Test
  void aReloadReadsTheFileAgain_aBadLineRejectsIt() throws Exception {
    cloud = new FakeCloud();
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    Path file = dir.resolve("maintenance");
    ReloadRequests reloads = new ReloadRequests();
    run = new CliRun(env(file), List.of("--region", "EU"), reloads);
    Awaitility.await().atMost(WAIT).until(() -> !run.events.named("stack_started").isEmpty());
    URI base = URI.create((String) run.events.named("listening").get(0).fields().get("url"));

    Files.writeString(file, "EU 2030-01-01T02:00/2h local time\n");
    reloads.request(ReloadRequests.Trigger.signal()).get();
    assertThat(run.events.named("reload_rejected")).singleElement().satisfies(e ->
        assertThat(e.message()).contains(file + ":1: start '2030-01-01T02:00' has no offset"));
    assertThat(run.events.named("maintenance_scheduled")).isEmpty();

    Files.writeString(file, "EU 2030-01-01T02:00Z/2h cloud maintenance\n");
    reloads.request(ReloadRequests.Trigger.signal()).get();
    Awaitility.await().atMost(WAIT).until(() -> !run.events.named("maintenance_scheduled")
        .isEmpty());
    String status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        base.resolve("/status")).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(status).contains("\"maintenance\":[{\"id\":\"" + MaintenanceFile.line(
        "EU 2030-01-01T02:00Z/2h cloud maintenance", List.of("EU")).id() + "\"",
        "\"state\":\"ahead\"");
  }

  /** A hold is kept on disk: the next start takes it up again (hold_restored). */
  @Test
  void aHoldSurvivesARestart() throws Exception {
    cloud = new FakeCloud();
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    Map<String, String> env = withHtpasswd(env(dir.resolve("maintenance")));
    run = new CliRun(env, List.of("--region", "EU"));
    Awaitility.await().atMost(WAIT).until(() -> !run.events.named("stack_started").isEmpty());
    URI base = URI.create((String) run.events.named("listening").get(0).fields().get("url"));
    HttpResponse<String> held = send(base, "POST", "/hold?for=1h", "CHG-42 tunnel work");
    assertThat(held.statusCode()).as(held.body()).isEqualTo(200);
    HttpResponse<String> later = send(base, "POST", "/hold?from=2030-01-01T00:00%2B02:00&for=2h",
        "later");
    assertThat(later.statusCode()).as(later.body()).isEqualTo(200);
    assertThat(later.body()).contains("hold scheduled from 2029-12-31T22:00:00Z");
    assertThat(send(base, "POST", "/hold?from=2030-01-01T00:00&for=2h", "x").body())
        .contains("has no offset");
    run.close();
    run = null;

    run = new CliRun(env, List.of("--region", "EU"));
    Awaitility.await().atMost(WAIT).until(() -> !run.events.named("hold_restored").isEmpty());
    Event restored = run.events.named("hold_restored").get(0);
    assertThat(restored.fields()).containsEntry("user", "alice")
        .containsEntry("reason", "CHG-42 tunnel work");
    assertThat(((Number) restored.fields().get("duration_s")).longValue())
        .isBetween(3000L, 3600L);
    URI again = URI.create((String) run.events.named("listening").get(0).fields().get("url"));
    String status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        again.resolve("/status")).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(status).contains("\"held\":true", "CHG-42 tunnel work");
    assertThat(Files.readString(supervisord.envFile().resolveSibling("."
        + supervisord.envFile().getFileName() + ".hold"))).contains("reason=later");
  }
}
