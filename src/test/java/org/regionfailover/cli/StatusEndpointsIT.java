package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.FakeCloud;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.status.metrics.StrictParser;

/**
 * Issue 11, the reads, over real HTTP against the running loop (in-process command line, a
 * real supervisord, WireMock as the chain and the regions' own hosts): /health and each
 * component flip as regions fail and recover, /status follows the loop through a failover,
 * /metrics parses strictly and its counters move, and {@code region-failover status} reads
 * it all.
 */
class StatusEndpointsIT {
  private static final String LIST = FakeCloud.EU_NAM_APAC;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  FakeCloud cloud;
  SupervisordFixture supervisord;
  CliRun run;
  URI base;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    cloud = new FakeCloud();
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    Files.deleteIfExists(supervisord.envFile());
    Map<String, String> env = cloud.loopEnv(supervisord, LIST);
    env.put("FAILOVER_REGION_INTERVAL", "400ms");
    run = new CliRun(env, List.of("--region", "EU"));
    await("listening", () -> !run.events.named("listening").isEmpty());
    base = URI.create((String) run.events.named("listening").get(0).fields().get("url"));
    await("stack started", () -> !run.events.named("stack_started").isEmpty());
  }

  @AfterEach
  void stop() throws Exception {
    if (run != null) {
      run.close();
    }
    if (supervisord != null) {
      supervisord.close();
    }
    cloud.close();
  }

  private void await(String what, Callable<Boolean> condition) {
    Awaitility.await().atMost(WAIT).ignoreExceptions()
        .untilAsserted(() -> assertThat(condition.call()).as(() -> what + "; events: "
            + run.events.names() + "; stderr: " + run.stderr()).isTrue());
  }

  private HttpResponse<String> getText(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String health(String path) throws Exception {
    HttpResponse<String> r = getText(path);
    assertThat(r.statusCode()).as(path + " answers 200 OK or 503 FAIL: " + r.body())
        .isEqualTo(r.body().equals("OK") ? 200 : 503);
    return r.body();
  }

  private JsonNode status() throws Exception {
    HttpResponse<String> r = getText("/status");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/json"));
    return JSON.readTree(r.body());
  }

  @Test
  void health_componentsFlipAsRegionsFailAndRecover_statusFollowsTheFailover_metricsMove()
      throws Exception {
    await("/health OK once every region answered", () -> health("/health").equals("OK"));
    assertThat(health("/health/active")).isEqualTo("OK");
    assertThat(health("/health/stack")).isEqualTo("OK");
    assertThat(health("/health/supervisord")).isEqualTo("OK");
    assertThat(health("/health/datadog")).isEqualTo("OK");
    assertThat(getText("/health/region/MARS").statusCode()).isEqualTo(404);
    assertThat(getText("/health/region/MARS").body()).contains("region/EU", "region/NAM");

    cloud.direct("APAC", 503);
    await("region/APAC FAIL", () -> health("/health/region/APAC").equals("FAIL"));
    assertThat(health("/health")).as("a region this host does not use is reported, not"
        + " aggregated: it must not take the host out of a load balancer").isEqualTo("OK");
    assertThat(health("/health/active")).as("APAC is not where the host is").isEqualTo("OK");
    assertThat(health("/health/region/apac")).as("names in any case").isEqualTo("FAIL");
    JsonNode verbose = JSON.readTree(getText("/health?verbose").body());
    assertThat(verbose.at("/status").asText()).isEqualTo("OK");
    assertThat(verbose.get("components")).anySatisfy(c -> {
      assertThat(c.get("name").asText()).isEqualTo("region/APAC");
      assertThat(c.get("status").asText()).isEqualTo("FAIL");
      assertThat(c.get("aggregated").asBoolean()).isFalse();
      assertThat(c.get("reason").asText()).isEqualTo("down on its direct probe: status 503");
    });
    cloud.direct("APAC", 200);
    await("region/APAC OK again", () -> health("/health/region/APAC").equals("OK"));

    cloud.chain("EU", 503);
    cloud.direct("EU", 503);
    await("active FAIL", () -> health("/health/active").equals("FAIL"));
    assertThat(health("/health")).isEqualTo("FAIL");
    await("failover completed", () -> !run.events.named("failover_completed").isEmpty());
    await("active OK on NAM", () -> health("/health/active").equals("OK"));

    JsonNode s = status();
    assertThat(s.at("/active_region").asText()).isEqualTo("NAM");
    assertThat(s.at("/state").asText()).isEqualTo("watching");
    assertThat(s.at("/budget/used").asInt()).isEqualTo(1);
    assertThat(s.at("/budget/max").asInt()).isEqualTo(3);
    JsonNode t = s.at("/transitions/0");
    assertThat(t.at("/kind").asText()).isEqualTo("failover");
    assertThat(t.at("/from").asText()).isEqualTo("EU");
    assertThat(t.at("/to").asText()).isEqualTo("NAM");
    assertThat(t.at("/outcome").asText()).isEqualTo("completed");
    assertThat(s.at("/regions/0/direct/health").asText()).isEqualTo("down");
    assertThat(s.at("/regions/1/active").asBoolean()).isTrue();
    assertThat(Files.readString(supervisord.envFile())).contains("EXT_REGION=NAM");

    HttpResponse<byte[]> m = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    StrictParser.Parsed metrics = StrictParser.text(m.body()).ofSet("default");
    assertThat(metrics.value("region_failover_transitions_total", "kind", "failover",
        "from", "EU", "to", "NAM")).isEqualTo(1);
    assertThat(metrics.value("region_failover_active_region", "region", "NAM")).isEqualTo(1);
    assertThat(metrics.value("region_failover_probes_total", "region", "EU", "kind", "chain",
        "result", "failed")).isGreaterThanOrEqualTo(5);
    assertThat(metrics.value("region_failover_probes_total", "region", "APAC", "kind", "direct",
        "result", "failed")).isGreaterThanOrEqualTo(1);
    HttpResponse<byte[]> om = http.send(HttpRequest.newBuilder(base.resolve("/metrics"))
        .header("Accept", "application/openmetrics-text; version=1.0.0").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(StrictParser.openMetrics(om.body()).ofSet("default")
        .value("region_failover_switches_total", "kind", "failover", "outcome", "completed"))
        .isEqualTo(1);

    JsonNode history = JSON.readTree(getText("/history").body());
    assertThat(history.at("/regions/0/chain/ok")).anySatisfy(ok -> assertThat(ok.asBoolean()).isFalse());
    assertThat(history.at("/regions/1/chain/t").size()).isPositive();
  }

  @Test
  void statusCommand_printsTheTableAndExitsByHealth() throws Exception {
    await("/health OK", () -> health("/health").equals("OK"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String listen = base.getHost() + ":" + base.getPort();
    int code = new Cli(Map.of("EXT_CLOUD_FAILOVER_LIST", LIST, "FAILOVER_LISTEN", listen),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new java.util.concurrent.CountDownLatch(1))
        .run("status");
    String table = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(table + err).isEqualTo(Cli.OK);
    assertThat(table).contains("on EU (cloud.eu.ext.com), WATCHING", "healthy")
        .containsPattern("(?m)^NAM +cloud\\.nam\\.ext\\.com +up")
        .containsPattern("(?m)^region/APAC +OK");

    // Every other region down on its direct probe and EU's chain failing: the host stays on
    // EU (no healthy target), and its own health fails for as long as that lasts.
    cloud.direct("NAM", 503);
    cloud.direct("APAC", 503);
    cloud.chain("EU", 503);
    await("failover blocked", () -> !run.events.named("failover_blocked").isEmpty());
    await("/health FAIL", () -> health("/health").equals("FAIL"));
    out.reset();
    code = new Cli(Map.of("EXT_CLOUD_FAILOVER_LIST", LIST, "FAILOVER_LISTEN", listen),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new java.util.concurrent.CountDownLatch(1))
        .run("status", "--json");
    assertThat(code).isEqualTo(Cli.FAILED);
    assertThat(JSON.readTree(out.toString(StandardCharsets.UTF_8)).at("/healthy").asBoolean()).isFalse();
  }
}
