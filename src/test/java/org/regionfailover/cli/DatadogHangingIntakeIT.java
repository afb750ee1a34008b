package org.regionfailover.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.Await;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.report.Event;

/**
 * A Datadog intake that hangs (responses delayed far past the client's timeouts) while
 * the real loop runs at a 200 ms interval: probes stay on schedule and the failover still
 * happens on time, because shipping never blocks the loop.
 */
class DatadogHangingIntakeIT {
  private static final Duration INTERVAL = Duration.ofMillis(200);
  private static final Duration THRESHOLD = Duration.ofSeconds(1);

  @TempDir Path dir;
  WireMockServer cloud;
  WireMockServer intake;
  SupervisordFixture supervisord;
  CliRun run;

  @AfterEach
  void stopAll() throws Exception {
    if (run != null) {
      run.close();
    }
    if (supervisord != null) {
      supervisord.close();
    }
    cloud.stop();
    intake.stop();
  }

  @Test
  void intakeHangs_probesStayOnScheduleAndFailoverIsOnTime() throws Exception {
    cloud = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    cloud.start();
    cloud.stubFor(get(urlPathMatching("/v2/org/cloudlookup/.*")).willReturn(aResponse().withStatus(200)));
    intake = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(50));
    intake.start();
    intake.stubFor(post(urlPathEqualTo("/api/v2/logs"))
        .willReturn(aResponse().withStatus(202).withFixedDelay(60_000)));
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    Files.delete(supervisord.envFile());

    Map<String, String> env = new HashMap<>();
    env.put("EXT_CLOUD_FAILOVER_LIST", "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com,APAC=cloud.apac.ext.com");
    env.put("EXT_CLOUD_LOOKUP_URL", "http://127.0.0.1:" + cloud.port() + "/v2/org/cloudlookup/{region}");
    env.put("EXT_CLOUD_ENV_FILE", supervisord.envFile().toString());
    env.put("SUPERVISOR_SERVER_URL", supervisord.url());
    env.put("DD_API_KEY", "dd-test-key-0123456789");
    env.put("DD_LOGS_URL", "http://127.0.0.1:" + intake.port());
    run = new CliRun(env, List.of("--region", "EU", "--interval", "200ms",
        "--outage-threshold", "1s", "--probe-timeout", "150ms"));

    Await.until(Duration.ofSeconds(30), () -> !run.events.named("stack_started").isEmpty()
        && intake.getAllServeEvents().size() > 0, () -> run.events.names().toString());
    // Shipping is now stuck on a request that will not answer for a minute.
    cloud.stubFor(get(urlPathMatching("/v2/org/cloudlookup/EU")).willReturn(aResponse().withStatus(503)));
    Await.until(Duration.ofSeconds(30), () -> !run.events.named("failover_completed").isEmpty(),
        () -> run.events.names().toString());
    int from = run.events.names().indexOf("stack_started");
    Await.until(Duration.ofSeconds(10), () -> run.events.named("probe").size() >= from + 20,
        () -> "more probes");

    List<Long> probeTimes = run.events.events().stream().filter(e -> e.name().equals("probe"))
        .map(run.emittedAt::get).toList();
    long maxGapMs = 0;
    for (int i = 1; i < probeTimes.size(); i++) {
      maxGapMs = Math.max(maxGapMs, (probeTimes.get(i) - probeTimes.get(i - 1)) / 1_000_000);
    }
    System.out.printf("probes: %d, largest gap between probes: %d ms (interval 200 ms)%n",
        probeTimes.size(), maxGapMs);
    // Under 1.5 intervals: the loop itself would call a longer gap a pause (probe_late).
    assertThat(maxGapMs).isLessThan(300);
    assertThat(run.events.names()).doesNotContain("probe_late");

    Event outage = run.events.events().stream()
        .filter(e -> e.name().equals("outage_started") && "EU".equals(e.fields().get("region")))
        .reduce((a, b) -> b).orElseThrow();
    Event failover = run.events.named("failover").get(0);
    Duration detection = Duration.ofNanos(run.emittedAt.get(failover) - run.emittedAt.get(outage));
    System.out.printf("first failed probe to failover decision: %d ms%n", detection.toMillis());
    assertThat(detection).isLessThanOrEqualTo(THRESHOLD.plus(INTERVAL.multipliedBy(2)));
    assertThat(Files.readString(supervisord.envFile())).contains("EXT_REGION=NAM");

    // Stopping still completes: the flush is bounded even though the intake never answers.
    long t0 = System.nanoTime();
    assertThat(run.stop()).isZero();
    long stopMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("stop with a hanging intake took %d ms%n", stopMs);
    assertThat(stopMs).isLessThan(15_000);
  }
}
