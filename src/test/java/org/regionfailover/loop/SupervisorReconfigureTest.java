package org.regionfailover.loop;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
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
import org.regionfailover.RecordingEventLog;
import org.regionfailover.act.envfile.EnvFile;
import org.regionfailover.act.envfile.EnvFileWriter;
import org.regionfailover.cli.HostAssembler;
import org.regionfailover.config.Configuration;
import org.regionfailover.config.Region;
import org.regionfailover.config.Setting;
import org.regionfailover.config.SettingsLoader;
import org.regionfailover.time.Ticker;

/**
 * Issue 26 on the real supervisor (real clock, scheduler, HTTP probe and env file) against
 * WireMock: a reload two probes into an outage raises the threshold, shortens the interval
 * and moves the probe to another URL; the failover comes when the outage, as the loop
 * measured it, reaches the new threshold, and the probes follow the new URL. No wall-clock
 * bound is asserted: the outage is the loop's own measure on its ticker.
 */
class SupervisorReconfigureTest {
  private static final Region EU = new Region("EU", "cloud.eu.ext.com");
  private static final Region NAM = new Region("NAM", "cloud.nam.ext.com");

  @TempDir Path dir;
  WireMockServer server;
  Supervisor supervisor;
  final RecordingEventLog log = new RecordingEventLog();

  @BeforeEach
  void start() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    server.stubFor(get(urlPathMatching("/v[23]/org/cloudlookup/.*"))
        .willReturn(aResponse().withStatus(503)));
  }

  @AfterEach
  void stop() {
    if (supervisor != null) {
      supervisor.stop(Duration.ofSeconds(5));
    }
    server.stop();
  }

  private Configuration settings(String path, Duration interval, Duration threshold,
      Path envFile) {
    return settings(path, interval, threshold, envFile, "none");
  }

  private Configuration settings(String path, Duration interval, Duration threshold,
      Path envFile, String regionProbe) {
    Map<Setting, String> flags = new EnumMap<>(Setting.class);
    flags.put(Setting.FAILOVER_LIST, "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com");
    flags.put(Setting.REGION, "EU");
    flags.put(Setting.ORG_ID, "org");
    flags.put(Setting.CLOUDLOOKUP_URL, "http://127.0.0.1:" + server.port() + path);
    flags.put(Setting.PROBE_TIMEOUT, interval.toMillis() * 3 / 4 + "ms");
    flags.put(Setting.INTERVAL, interval.toMillis() + "ms");
    flags.put(Setting.OUTAGE_THRESHOLD, threshold.toMillis() + "ms");
    flags.put(Setting.ENV_FILE, envFile.toString());
    flags.put(Setting.REGION_PROBE, regionProbe);
    flags.put(Setting.REGION_INTERVAL, "200ms");
    flags.put(Setting.FAILURE_RATIO, "1");
    flags.put(Setting.FAILBACK, "off");
    flags.put(Setting.MAX_TRANSITIONS, "off");
    return new SettingsLoader(flags, Map.of()).configuration();
  }

  @Test
  void reloadTwoProbesIntoAnOutage_failsOverAtTheNewThresholdFromTheOutagesStart()
      throws Exception {
    Path envFile = dir.resolve("ext_cloud.env");
    Files.writeString(envFile, EnvFile.render(EU));
    Configuration first = settings("/v2/org/cloudlookup/{region}", Duration.ofMillis(200),
        Duration.ofSeconds(2), envFile);
    HostAssembler host = new HostAssembler(first, log, Ticker.system());
    supervisor = host.supervisor(host.switching(List.of(new EnvFileWriter(envFile))), false,
        loop -> { });
    supervisor.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> log.named("probe").size() >= 2);
    assertThat(log.named("outage_started")).hasSize(1);

    host.reconfigure(supervisor, settings("/v3/org/cloudlookup/{region}", Duration.ofMillis(100),
        Duration.ofSeconds(3), envFile)).get(10, SECONDS);

    await().atMost(Duration.ofSeconds(20)).until(() -> !log.named("failover").isEmpty());
    double outage = ((Number) log.named("failover").get(0).fields().get("outage_s")).doubleValue();
    assertThat(outage).as("the new threshold, counted from the outage's first failure, not"
        + " the old one, and not from the reload (that would be at least 3.2 s)")
        .isGreaterThanOrEqualTo(3.0).isLessThan(3.2);
    assertThat(log.named("outage_started")).as("one outage of EU, carried over")
        .filteredOn(e -> "EU".equals(e.fields().get("region"))).hasSize(1);
    assertThat(server.findAll(getRequestedFor(urlPathMatching("/v3/.*"))))
        .as("the probes follow the new URL").hasSizeGreaterThan(5);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(Files.readString(envFile)).isEqualTo(EnvFile.render(NAM)));
  }

  @Test
  void reloadOfAnotherEnvFile_isRefused_andNothingChanges() throws Exception {
    Path envFile = dir.resolve("ext_cloud.env");
    Files.writeString(envFile, EnvFile.render(EU));
    Configuration first = settings("/v2/org/cloudlookup/{region}", Duration.ofMillis(200),
        Duration.ofSeconds(2), envFile);
    HostAssembler host = new HostAssembler(first, log, Ticker.system());
    supervisor = host.supervisor(host.switching(List.of(new EnvFileWriter(envFile))), false,
        loop -> { });
    supervisor.start();

    assertThatThrownBy(() -> host.reconfigure(supervisor, settings("/v2/org/cloudlookup/{region}",
        Duration.ofMillis(200), Duration.ofSeconds(3), dir.resolve("other.env"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("env file");
    assertThat(supervisor.loop().policy().threshold()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void directProbeAddedThenRemoved_regionsAreProbedThenNoLonger() throws Exception {
    server.stubFor(get(urlPathMatching("/direct/.*")).willReturn(aResponse().withStatus(200)));
    Path envFile = dir.resolve("ext_cloud.env");
    Files.writeString(envFile, EnvFile.render(EU));
    server.stubFor(get(urlPathMatching("/v2/org/cloudlookup/.*"))
        .willReturn(aResponse().withStatus(200)));
    Duration interval = Duration.ofMillis(200);
    Duration threshold = Duration.ofSeconds(2);
    HostAssembler host = new HostAssembler(settings("/v2/org/cloudlookup/{region}", interval,
        threshold, envFile), log, Ticker.system());
    supervisor = host.supervisor(host.switching(List.of(new EnvFileWriter(envFile))), false,
        loop -> { });
    supervisor.start();

    host.reconfigure(supervisor, settings("/v2/org/cloudlookup/{region}", interval, threshold,
        envFile, "http://127.0.0.1:" + server.port() + "/direct/{region}")).get(10, SECONDS);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(server.findAll(getRequestedFor(urlPathMatching("/direct/EU")))).isNotEmpty();
      assertThat(server.findAll(getRequestedFor(urlPathMatching("/direct/NAM")))).isNotEmpty();
      assertThat(supervisor.loop().state().regions().health(0, System.nanoTime()))
          .isEqualTo(org.regionfailover.decide.RegionView.Health.UP);
    });

    host.reconfigure(supervisor, settings("/v2/org/cloudlookup/{region}", interval, threshold,
        envFile)).get(10, SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet()
        .stream().noneMatch(t -> t.getName().startsWith("region-probe-")));
    assertThat(log.named("loop_error")).isEmpty();
  }
}
