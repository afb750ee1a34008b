package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.Closing;
import org.regionfailover.FakeCloud;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.report.Event;

/**
 * Issue 27, the wiring: the command line with {@code --traffic-source endpoint} and a token
 * file, a real supervisord, the chain's cloudlookup answering 200 throughout (FakeCloud),
 * and the "applications" reporting through {@code POST /evidence} that their calls to EU
 * are answered 503: the host fails over with reason traffic, and {@code /health/traffic}
 * and {@code /metrics} show the evidence. (EU's direct probe fails as well: with EU up on
 * it, the same reports mean the local stack is broken, and repair it in place.)
 */
class Issue27EvidenceEndpointIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TOKEN = "t0ken-for-the-apps";

  @TempDir Path dir;
  private FakeCloud cloud;
  private SupervisordFixture supervisord;
  private CliRun run;
  private final HttpClient http = HttpClient.newHttpClient();

  @RegisterExtension final Closing closing = new Closing();

  private HttpResponse<String> report(URI base, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/evidence"))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void selectiveOutage_reportedThroughTheEndpoint_failsOverWithReasonTraffic() throws Exception {
    cloud = closing.add(new FakeCloud());
    supervisord = closing.add(SupervisordFixture.unixSocket(dir));
    supervisord.start();
    Files.deleteIfExists(supervisord.envFile());
    Map<String, String> env = cloud.loopEnv(supervisord, FakeCloud.EU_NAM_APAC);
    env.put("FAILOVER_REGION_INTERVAL", "400ms");
    env.put("FAILOVER_TRAFFIC_SOURCE", "endpoint");
    env.put("FAILOVER_TRAFFIC_MIN_VOLUME", "20");
    env.put("FAILOVER_EVIDENCE_TOKEN_FILE",
        Files.writeString(dir.resolve("evidence.token"), TOKEN + "\n").toString());
    run = closing.add(new CliRun(env, List.of("--region", "EU")));
    Awaitility.await().atMost(WAIT).until(() -> !run.events.named("stack_started").isEmpty());
    URI base = URI.create((String) run.events.named("listening").get(0).fields().get("url"));
    String failing = "{\"region\":\"EU\",\"ok\":2,\"errors\":{\"503\":6,\"reset\":2,\"500\":1}}";

    // EU's own host fails too (its API tier is down, cloudlookup still answers through the
    // chain): with EU up on its direct probe the same reports would repair in place.
    cloud.direct("EU", 503);
    assertThat(report(base, null, failing).statusCode()).isEqualTo(401);
    assertThat(report(base, "wrong", failing).statusCode()).isEqualTo(401);
    // The applications report every 100 ms until the host has left EU.
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
      assertThat(report(base, TOKEN, failing).statusCode()).isEqualTo(204);
      return !run.events.named("failover").isEmpty();
    });

    Event failover = run.events.named("failover").get(0);
    assertThat(String.valueOf(failover.fields().get("reason"))).startsWith("traffic");
    assertThat(failover.fields().get("to_region")).isEqualTo("NAM");
    assertThat(run.events.named("traffic")).isNotEmpty();
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(
        base.resolve("/health/traffic")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.body()).isEqualTo("OK");
    String metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("region_failover_traffic_calls_total{")
        .contains("outcome=\"503\"").contains("outcome=\"reset\"");
    assertThat(String.join("\n", run.events.names())).doesNotContain(TOKEN);
  }

  /**
   * The applications' calls fail because the local stack is broken while EU answers its
   * direct probe: the host repairs its stack in place, it does not fail over.
   */
  @Test
  void callsFailing_euUpDirectly_repairsInPlace_noFailover() throws Exception {
    cloud = closing.add(new FakeCloud());
    supervisord = closing.add(SupervisordFixture.unixSocket(dir));
    supervisord.start();
    Files.deleteIfExists(supervisord.envFile());
    Map<String, String> env = cloud.loopEnv(supervisord, FakeCloud.EU_NAM_APAC);
    env.put("FAILOVER_REGION_INTERVAL", "400ms");
    env.put("FAILOVER_TRAFFIC_SOURCE", "endpoint");
    run = closing.add(new CliRun(env, List.of("--region", "EU")));
    Awaitility.await().atMost(WAIT).until(() -> !run.events.named("stack_started").isEmpty());
    URI base = URI.create((String) run.events.named("listening").get(0).fields().get("url"));
    String failing = "{\"region\":\"EU\",\"ok\":1,\"errors\":{\"refused\":9}}";
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
      report(base, null, failing);
      return !run.events.named("repair").isEmpty() || !run.events.named("failover").isEmpty();
    });
    assertThat(run.events.named("repair")).singleElement().satisfies(r ->
        assertThat(String.valueOf(r.fields().get("reason"))).startsWith("traffic"));
    assertThat(run.events.named("failover")).isEmpty();
    assertThat(Files.readString(supervisord.envFile())).contains("EXT_REGION=EU");
  }
}
