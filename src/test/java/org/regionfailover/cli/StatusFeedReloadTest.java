package org.regionfailover.cli;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.Regions.ORDER;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.regionfailover.FakeTicker;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.act.chain.ActionChain;
import org.regionfailover.act.chain.ActionChainStage;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.FailoverList;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.config.ProbeSettings;
import org.regionfailover.config.Settings;
import org.regionfailover.config.UrlTemplate;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
import org.regionfailover.probe.ProbeResult;
import org.regionfailover.decide.Transition;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.status.StatusDocument;
import org.regionfailover.time.Backoff;
import org.regionfailover.time.NamedThreads;

/**
 * Issue 26: /status and /metrics show the rules in force. The feed attached to a real loop
 * on its thread: after a reload the outage threshold, the budget and the fail-back shown
 * are the new ones, from the step the loop applied them at; no reload, no change (a
 * rejected reload never reaches the loop).
 */
class StatusFeedReloadTest {
  private static final Instant WALL = Instant.parse("2026-12-07T21:00:00Z");

  private final FakeTicker ticker = new FakeTicker();
  private final RecordingEventLog log = new RecordingEventLog();
  private final ActionChain act = new ActionChain(List.of(),
      new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)), log, ticker);
  private FailoverLoop loop;
  private Thread loopThread;

  @AfterEach
  void stop() throws InterruptedException {
    if (loop != null) {
      loop.stop();
      loopThread.join(10_000);
    }
    act.close();
  }

  private static PolicySettings rules(Duration threshold, int budget, FailbackMode failback) {
    return new PolicySettings(Duration.ofSeconds(10), threshold, Duration.ofSeconds(30), 0.8,
        failback, Duration.ofMinutes(10), budget, Duration.ofHours(1), null, null);
  }

  private static Settings settings() {
    return new Settings(FailoverList.parse("list",
        "EU=cloud.eu.ext.com,NAM=cloud.nam.ext.com,APAC=cloud.apac.ext.com"), Optional.empty(),
        new ProbeSettings(new UrlTemplate("https://{host}/v2/org/cloudlookup/{region}"),
            Optional.empty(), Optional.empty(), Duration.ofSeconds(5), Optional.empty(), false),
        Duration.ofSeconds(10), Duration.ofMinutes(4), Path.of("ext_cloud.env"), false);
  }

  private JsonNode status(StatusFeed feed) {
    return new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(
        StatusDocument.status(feed.recorder().snapshot(), WALL));
  }

  private String metrics(StatusFeed feed) {
    return new String(feed.processMetrics().scrape("text/plain").body(),
        StandardCharsets.UTF_8);
  }

  @Test
  void reload_statusAndMetricsShowTheNewRules() throws Exception {
    FailoverPolicy before = new FailoverPolicy(ORDER,
        rules(Duration.ofMinutes(4), 3, FailbackMode.AUTO));
    StatusFeed feed = new StatusFeed("default", settings(), before, Duration.ofSeconds(30),
        new org.regionfailover.status.metrics.PrometheusMetrics("test", null), null,
        Clock.fixed(WALL, ZoneOffset.UTC), ticker);
    loop = new FailoverLoop(before, new Transition(before.initial(0, ticker.read()), List.of()),
        new ActionChainStage(act, List.of(), List.of(), List.of(), null), log, ticker,
        FailoverLoop.Stack.NONE);
    feed.attach(loop);
    loopThread = NamedThreads.daemon("loop-under-test", loop::run);
    loopThread.start();
    loop.submit(new Input.Probed(0, ProbeResult.failed(5000, "status 503"))).get(10, SECONDS);
    // The answer completes before the step's listeners run: wait for the feed to see it.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(
        () -> assertThat(status(feed).at("/state").asText()).isEqualTo("down"));
    assertThat(status(feed).at("/outage/threshold_s").asLong()).isEqualTo(240);
    assertThat(status(feed).at("/budget/max").asInt()).isEqualTo(3);
    assertThat(metrics(feed)).contains("region_failover_budget_max{set=\"default\"} 3.0");

    loop.reconfigure(new FailoverPolicy(ORDER, rules(Duration.ofMinutes(2), 5,
        FailbackMode.MANUAL))).get(10, SECONDS);

    // The future completes on the loop's thread once the listeners saw the new rules.
    JsonNode after = status(feed);
    assertThat(after.at("/outage/threshold_s").asLong()).isEqualTo(120);
    assertThat(after.at("/budget/max").asInt()).isEqualTo(5);
    assertThat(after.at("/failback/mode").asText()).isEqualTo("manual");
    assertThat(metrics(feed)).contains("region_failover_budget_max{set=\"default\"} 5.0");
  }
}
