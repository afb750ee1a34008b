package org.regionfailover.status.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.FakeCloud;
import org.regionfailover.HtpasswdTool;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.cli.Cli;
import org.regionfailover.report.EventLog;
import org.regionfailover.report.Slf4jEventLog;

/**
 * The status page in a real Chromium against the real thing: the command line in-process
 * with its status server, a real supervisord, an htpasswd file made by Debian's
 * {@code htpasswd -B}, WireMock as the chain and the regions' hosts. EU fails, the loop
 * fails over to NAM while the page is open; the page plots every region and marks the
 * failover; "Fail back now", answered through the browser's login prompt, moves the host
 * back: the env file names EU again and supervisord restarted the stack.
 */
class StatusPageLiveIT {
  private static final String USER = "oncall";
  private static final String PASSWORD = "s3cret: with a colon";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  FakeCloud cloud;
  SupervisordFixture supervisord;
  StatusPageDriver page;
  CountDownLatch stop = new CountDownLatch(1);
  Thread loop;
  final RecordingEventLog events = new RecordingEventLog();

  @AfterEach
  void stopAll() throws Exception {
    if (page != null) {
      page.close();
    }
    stop.countDown();
    if (loop != null) {
      loop.join(30_000);
    }
    if (supervisord != null) {
      supervisord.close();
    }
    if (cloud != null) {
      cloud.close();
    }
  }

  private void await(String what, Callable<Boolean> condition) {
    Awaitility.await().atMost(WAIT).ignoreExceptions()
        .untilAsserted(() -> assertThat(condition.call()).as(() -> what + "; events: "
            + events.names()).isTrue());
  }

  private URI startLoop() throws Exception {
    cloud = new FakeCloud();
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    Files.deleteIfExists(supervisord.envFile());
    Path htpasswd = dir.resolve("htpasswd");
    HtpasswdTool.add(htpasswd, USER, PASSWORD, "-B", "-C", "5");
    Map<String, String> env = cloud.loopEnv(supervisord, FakeCloud.EU_NAM_APAC);
    env.put("FAILOVER_INTERVAL", "250ms");
    env.put("FAILOVER_OUTAGE_THRESHOLD", "2s");
    env.put("FAILOVER_PROBE_TIMEOUT", "200ms");
    env.put("FAILOVER_REGION_INTERVAL", "500ms");
    env.put("FAILOVER_FAILBACK", "manual");
    env.put("FAILOVER_FAILBACK_AFTER", "1s");
    env.put("FAILOVER_HTPASSWD", htpasswd.toString());
    EventLog slf4j = new Slf4jEventLog();
    EventLog tee = e -> {
      events.emit(e);
      slf4j.emit(e);
    };
    Cli cli = new Cli(env, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), stop, tee);
    loop = new Thread(() -> cli.run("--region", "EU"), "cli-under-test");
    loop.start();
    await("listening", () -> !events.named("listening").isEmpty());
    await("stack started", () -> !events.named("stack_started").isEmpty());
    return URI.create((String) events.named("listening").get(0).fields().get("url"));
  }

  @Test
  void realLoop_failoverShownLive_failBackThroughTheLoginPrompt_movesTheHostBack()
      throws Exception {
    URI url = startLoop();
    page = StatusPageDriver.start();
    page.answerLogins(url, USER, PASSWORD);
    page.open(url);
    page.awaitBanner("EU watching", t -> t.contains("EU") && t.contains("WATCHING"));
    assertThat(page.displayed("fleet")).as("no fleet panel without coordination").isFalse();

    cloud.chain("EU", 503);
    cloud.direct("EU", 503);
    await("failover completed", () -> !events.named("failover_completed").isEmpty());
    page.awaitBanner("on NAM", t -> t.contains("NAM") && t.contains("WATCHING"));
    cloud.chain("EU", 200);
    cloud.direct("EU", 200);
    await("fail-back waiting", () -> !events.named("failback_waiting").isEmpty());
    assertThat(page.awaitText("failback-text", t -> t.contains("waits for an operator")))
        .contains("EU");

    List<Map<String, Object>> plots = page.awaitPlots("points for every region",
        p -> p.size() == 3 && p.stream().allMatch(r -> count(r, "direct") > 0)
            && count(p.get(0), "chain") > 0 && count(p.get(0), "chainFailed") > 0
            && count(p.get(1), "chain") > 0);
    assertThat(plots).extracting(r -> r.get("region")).containsExactly("EU", "NAM", "APAC");
    assertThat(plots).allSatisfy(r -> assertThat(count(r, "inkDirect")).isPositive());
    assertThat(count(plots.get(0), "inkChain")).isPositive();
    assertThat(page.markers()).contains("failover EU \u2192 NAM");
    assertThat(page.transitionRows()).first()
        .satisfies(r -> assertThat(r).contains("failover", "EU \u2192 NAM"));
    page.screenshot(Path.of("target", "status-page-live.png"));

    String[] failback = page.commandWithConfirm("btn-failback");
    assertThat(failback[0]).as("the confirm dialog").contains("from NAM to EU");
    assertThat(failback[1]).as("the answer shown").contains("202")
        .contains("moving from NAM to EU");
    assertThat(page.loginsAnswered()).isEqualTo(1);
    await("the manual switch completed", () -> events.named("failover_completed").size() == 2);
    assertThat(Files.readString(supervisord.envFile())).contains("export EXT_REGION=EU");
    assertThat(events.named("manual_command")).singleElement().satisfies(e ->
        assertThat(e.fields()).containsEntry("user", USER).containsEntry("command", "failback")
            .containsEntry("outcome", "accepted"));
    page.awaitBanner("back on EU", t -> t.contains("EU") && t.contains("WATCHING"));
    assertThat(page.transitionRows()).first()
        .satisfies(r -> assertThat(r).contains("manual", "NAM \u2192 EU", USER));
    page.screenshot(Path.of("target", "status-page-live-after-failback.png"));
    assertThat(page.browserErrors()).as("errors in the browser's console").isEmpty();
  }

  private static long count(Map<String, Object> plot, String key) {
    return ((Number) plot.get(key)).longValue();
  }
}
