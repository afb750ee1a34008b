package org.regionfailover.loop;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.Regions;
import org.regionfailover.TestCertificate;
import org.regionfailover.act.envfile.EnvFile;
import org.regionfailover.act.envfile.EnvFileWriter;
import org.regionfailover.config.FailoverList;
import org.regionfailover.cli.HostAssembler;
import org.regionfailover.config.Configuration;
import org.regionfailover.config.Region;
import org.regionfailover.config.Setting;
import org.regionfailover.config.SettingsLoader;
import org.regionfailover.report.Event;
import org.regionfailover.time.Ticker;

/**
 * The real loop (real clock, scheduler, HTTP probe and env file) with a 200 ms interval
 * and a 1 s threshold against WireMock: each kind of failure moves the host to the next
 * region within threshold + 2 intervals.
 */
class SupervisorEndToEndTest {
  private static final Duration INTERVAL = Duration.ofMillis(200);
  private static final Duration THRESHOLD = Duration.ofSeconds(1);
  private static final Duration TIMEOUT = Duration.ofMillis(150);
  private static final FailoverList LIST = FailoverList.parse("list",
      "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com,APAC=cloud.apac.ext.com");

  @TempDir static Path certDir;
  static TestCertificate cert;
  @TempDir Path dir;
  WireMockServer server;
  Supervisor supervisor;
  final RecordingEventLog log = new RecordingEventLog();

  @org.junit.jupiter.api.BeforeAll
  static void certificate() throws Exception {
    cert = TestCertificate.create(certDir);
  }

  @BeforeEach
  void start() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().dynamicHttpsPort()
        .keystorePath(cert.keystore().toString()).keystorePassword(cert.password())
        .keyManagerPassword(cert.password()).keystoreType("PKCS12"));
    server.start();
    server.stubFor(get(urlPathMatching("/v2/org/cloudlookup/.*")).willReturn(aResponse().withStatus(200)));
  }

  @AfterEach
  void stop() {
    if (supervisor != null) {
      supervisor.stop(Duration.ofSeconds(5));
    }
    server.stop();
  }

  /** The continuous rule alone: no direct probes, intermittent rule, fail-back or budget. */
  private Configuration settings(String url, Path envFile) {
    Map<Setting, String> flags = new EnumMap<>(Setting.class);
    flags.put(Setting.FAILOVER_LIST, "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com,APAC=cloud.apac.ext.com");
    flags.put(Setting.REGION, "EU");
    flags.put(Setting.ORG_ID, "org");
    flags.put(Setting.CLOUDLOOKUP_URL, url);
    flags.put(Setting.PROBE_TIMEOUT, TIMEOUT.toMillis() + "ms");
    flags.put(Setting.INTERVAL, INTERVAL.toMillis() + "ms");
    flags.put(Setting.OUTAGE_THRESHOLD, THRESHOLD.toMillis() + "ms");
    flags.put(Setting.ENV_FILE, envFile.toString());
    flags.put(Setting.REGION_PROBE, "none");
    flags.put(Setting.REGION_INTERVAL, INTERVAL.multipliedBy(3).toMillis() + "ms");
    flags.put(Setting.FAILURE_RATIO, "1");
    flags.put(Setting.FAILBACK, "off");
    flags.put(Setting.MAX_TRANSITIONS, "off");
    return new SettingsLoader(flags, Map.of()).configuration();
  }

  /** Built as the CLI builds a host, switching by the env file alone (no stack). */
  private void run(Configuration c) throws Exception {
    HostAssembler host = new HostAssembler(c, log, Ticker.system());
    supervisor = host.supervisor(
        host.switching(List.of(new EnvFileWriter(c.settings().envFile()))), false, loop -> { });
    supervisor.start();
  }

  private String httpUrl() {
    return "http://127.0.0.1:" + server.port() + "/v2/org/cloudlookup/{region}";
  }

  private ResponseDefinitionBuilder failure(String kind) {
    return switch (kind) {
      case "503" -> aResponse().withStatus(503);
      case "reset" -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
      case "timeout" -> aResponse().withStatus(200).withFixedDelay(1000);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** Waits until {@code file} names {@code region}; returns when it did. */
  private long awaitRegion(Path file, String region, Duration within) {
    String want = EnvFile.render(LIST.find(region).orElseThrow());
    await().atMost(within).ignoreExceptions().untilAsserted(() -> assertThat(
        Files.readString(file).equals(want))
        .as(() -> "env file never named " + region + "; events: " + log.names()).isTrue());
    return System.nanoTime();
  }

  /**
   * The failover came once the outage, as the loop measured it on its ticker, reached the
   * threshold: never early. How late is the decide stage's promise (threshold + interval +
   * probe timeout), pinned on a fake ticker; a wall-clock bound here would fail on a busy
   * machine.
   */
  private void assertOutageReachedTheThreshold() {
    Object outage = log.named("failover").get(0).fields().get("outage_s");
    assertThat(((Number) outage).doubleValue()).isGreaterThanOrEqualTo(
        THRESHOLD.toMillis() / 1000.0);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"503", "reset", "timeout"})
  void regionGoesDown_envFileNamesNextRegionWithinThresholdPlusTwoIntervals(String kind)
      throws Exception {
    Path env = dir.resolve("ext_cloud.env");
    server.stubFor(get(urlPathMatching("/v2/org/cloudlookup/EU")).willReturn(failure(kind)));

    run(settings(httpUrl(), env));

    awaitRegion(env, "NAM", Duration.ofSeconds(30));
    assertOutageReachedTheThreshold();
    assertFailoverReported("cloud.eu.ext.com", "EU", "NAM");
  }

  @Test
  void regionRefusesConnections_envFileNamesNextRegion() throws Exception {
    Path env = dir.resolve("ext_cloud.env");
    int port = server.port();
    server.stop(); // nothing listens any more: every probe is refused

    run(settings("http://127.0.0.1:" + port + "/v2/org/cloudlookup/{region}", env));

    awaitRegion(env, "NAM", Duration.ofSeconds(30));
    assertOutageReachedTheThreshold();
    assertThat(log.named("probe").get(0).fields().get("reason").toString()).startsWith("refused");
  }

  @Test
  void tlsFailure_envFileNamesNextRegion() throws Exception {
    Path env = dir.resolve("ext_cloud.env");
    // The server's certificate is not trusted (no --ca-file): verification fails.
    run(settings("https://localhost:" + server.httpsPort() + "/v2/org/cloudlookup/{region}", env));

    awaitRegion(env, "NAM", Duration.ofSeconds(30));
    assertOutageReachedTheThreshold();
    assertThat(log.named("probe")).anyMatch(e -> e.fields().get("reason").toString().startsWith("tls"));
  }

  @Test
  void healthyRegion_staysPutAndRestartKeepsTheAdoptedRegion() throws Exception {
    Path env = dir.resolve("ext_cloud.env");
    new EnvFileWriter(env).apply(Regions.APAC);

    run(settings(httpUrl(), env));
    // Ten intervals of probing; a healthy region must never be left.
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> assertThat(
        log.named("probe").size() >= 10)
        .as(() -> log.names().toString()).isTrue());

    assertThat(log.named("probe"))
        .allMatch(e -> e.fields().get("region").equals("APAC") && (boolean) e.fields().get("healthy"));
    assertThat(log.names()).doesNotContain("failover", "outage_started");
    assertThat(Files.readString(env)).isEqualTo(EnvFile.render(Regions.APAC));
  }

  @Test
  void secondRegionAlsoDown_movesOnToTheThird() throws Exception {
    Path env = dir.resolve("ext_cloud.env");
    server.stubFor(get(urlPathMatching("/v2/org/cloudlookup/(EU|NAM)")).willReturn(aResponse().withStatus(503)));

    run(settings(httpUrl(), env));

    awaitRegion(env, "APAC", Duration.ofSeconds(10));
    assertThat(log.named("failover")).extracting(e -> e.fields().get("to_region"))
        .containsExactly("NAM", "APAC");
  }

  private void assertFailoverReported(String host, String from, String to) {
    assertThat(log.named("failover")).first().satisfies(e -> {
      assertThat(e.message()).isEqualTo(
          "Waited for 1 s. Application restarting due to failure with Ext Cloud: " + host);
      assertThat(e.fields()).containsEntry("from_region", from).containsEntry("to_region", to);
    });
  }
}
