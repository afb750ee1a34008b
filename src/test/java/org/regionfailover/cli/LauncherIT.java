package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.SupervisordFixture;

/**
 * The packaged launcher as an operator runs it: JSON lines on stdout, the env file
 * written, and SIGTERM ending the process with exit 0 after a {@code shutdown} event.
 */
class LauncherIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void launcher_runsProbesAndStopsCleanlyOnSigterm() throws Exception {
    SupervisordFixture supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    try {
      runAndStop(supervisord, Map.of(), "without DD_API_KEY");
    } finally {
      supervisord.close();
    }
  }

  @Test
  void launcher_withDatadog_shipsEventsAndFlushesTheShutdownEventOnSigterm() throws Exception {
    WireMockServer intake = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    intake.start();
    intake.stubFor(post(urlPathEqualTo("/api/v2/logs")).willReturn(aResponse().withStatus(202)));
    SupervisordFixture supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    try {
      runAndStop(supervisord, Map.of("DD_API_KEY", "dd-launcher-key-42",
          "DD_LOGS_URL", "http://127.0.0.1:" + intake.port(), "DD_ENV", "test"), "with DD_API_KEY");
      String shipped = intake.getAllServeEvents().stream()
          .map(e -> e.getRequest().getBodyAsString()).reduce("", String::concat);
      assertThat(shipped).contains("\"event\":\"startup\"", "\"event\":\"probe\"",
          "\"event\":\"shutdown\"", "env:test", "region:EU");
      assertThat(shipped).doesNotContain("dd-launcher-key-42");
      assertThat(intake.getAllServeEvents()).allSatisfy(e ->
          assertThat(e.getRequest().getHeader("DD-API-KEY")).isEqualTo("dd-launcher-key-42"));
    } finally {
      supervisord.close();
      intake.stop();
    }
  }

  private void runAndStop(SupervisordFixture supervisord, Map<String, String> extraEnv,
      String label) throws Exception {
    Path env = supervisord.envFile();
    Files.delete(env); // a host that was never switched
    ProcessBuilder pb = new ProcessBuilder("bin/region-failover", "--region", "EU",
        "--interval", "500ms", "--probe-timeout", "200ms",
        // A quote in a value must not break the JSON line that logs it.
        "--org-id", "org\"with'quotes");
    Map<String, String> e = pb.environment();
    e.put("EXT_CLOUD_FAILOVER_LIST", "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com,APAC=cloud.apac.ext.com");
    e.put("CONNECTION_KEEPALIVE_TXN_ID", "txn");
    e.put("EXT_CLOUD_ENV_FILE", env.toString());
    e.put("EXT_CLOUD_LOOKUP_URL", "http://127.0.0.1:9/v2/{orgId}/cloudlookup/{txnId}");
    e.put("SUPERVISOR_SERVER_URL", supervisord.url());
    e.put("FAILOVER_LISTEN", "127.0.0.1:0"); // tests run in parallel: never the default port
    e.remove("DD_API_KEY");
    e.putAll(extraEnv);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    long t0 = System.nanoTime();
    Process p = pb.start();
    List<String> lines = new CopyOnWriteArrayList<>();
    long[] firstProbeAt = {0};
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (firstProbeAt[0] == 0 && line.contains("\"event\":\"probe\"")) {
            firstProbeAt[0] = System.nanoTime();
          }
          lines.add(line);
        }
      } catch (java.io.IOException ignored) {
        // the process ended
      }
    });
    reader.start();

    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(
        firstProbeAt[0] != 0 && lines.toString().contains("stack_started"))
        .as(lines::toString).isTrue());
    System.out.printf("start-up to first probe (%s): %d ms%n", label,
        TimeUnit.NANOSECONDS.toMillis(firstProbeAt[0] - t0));
    // SIGTERM through the handle: Process.destroy() would also close our end of stdout.
    long termAt = System.nanoTime();
    p.toHandle().destroy();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    reader.join(5000);

    assertThat(p.exitValue()).isZero();
    System.out.printf("SIGTERM to exit (%s): %d ms%n", label,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - termAt));
    assertThat(Files.readString(env)).isEqualTo("export EXT_CLOUD=cloud.eu.ext.com\nexport EXT_REGION=EU\n");
    List<String> events = new java.util.ArrayList<>();
    for (String line : lines) {
      JsonNode n = JSON.readTree(line);
      assertThat(n.has("@timestamp") && n.has("level") && n.has("message") && n.has("event"))
          .as(line).isTrue();
      events.add(n.get("event").asText());
    }
    // The Datadog shipper reports its own stop after the supervisor's last event.
    assertThat(events.stream().filter(n -> !n.startsWith("datadog_")).toList())
        .startsWith("startup", "listening", "supervisord_ready", "region_adopted")
        .contains("probe", "stack_started").endsWith("shutdown");
    // The stack was started once, on the adopted region, in order.
    assertThat(supervisord.records()).extracting(r -> r.split(" ")[0] + " " + r.split(" ")[2])
        .containsExactly("EU stunnel", "EU cloud-client", "EU application");
    JsonNode startup = JSON.readTree(lines.get(0));
    assertThat(startup.get("setting_connection_keepalive_org_id").asText()).isEqualTo("org\"with'quotes");
  }

  @Test
  void launcher_badConfiguration_exits2WithAPlainMessage() throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bin/region-failover", "--interval", "fast",
        "--cloudlookup-url", "http://127.0.0.1:9/health");
    pb.environment().put("EXT_CLOUD_FAILOVER_LIST", "NAM=cloud.nam.ext.com");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(out).contains("--interval (FAILOVER_INTERVAL)", "'fast'");
  }
}
