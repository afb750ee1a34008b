package org.regionfailover.report.datadog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.config.DatadogSettings;
import org.regionfailover.report.Event;
import org.regionfailover.time.Backoff;
import org.regionfailover.time.Ticker;

/**
 * Issue 9, defect 6: Datadog events lost without being counted. A SIGTERM during a hung post
 * ended with no {@code datadog_stopped} and events neither shipped nor counted; a shipper in a
 * long backoff made no final attempt and reported its queue drops only when it next posted.
 * Each test pins: every event handed to the appender is shipped or counted as dropped.
 *
 * <p>No test asserts how long anything took: waits are generous deadlines on behaviour.
 */
class Issue9DatadogLossTest {
  private static final String API_KEY = "fedcba9876543210fedcba9876543210";
  private static final Duration WAIT = Duration.ofSeconds(20);
  // A backoff no test outlives: any second attempt before close() would be a bug.
  private static final Backoff HOUR = new Backoff(Duration.ofHours(1), Duration.ofHours(1));
  private static final ShipperTuning LONG_BACKOFF =
      new ShipperTuning(Duration.ofMillis(50), HOUR, Duration.ofMillis(100));

  private final WireMockServer server =
      new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(20));
  private final LoggerContext context = new LoggerContext();
  private final Logger log = context.getLogger("org.regionfailover.loop.Loop");
  private final RecordingEventLog local = new RecordingEventLog();
  private DatadogAppender appender;

  @BeforeEach
  void startIntake() {
    server.start();
  }

  @AfterEach
  void stopAll() {
    if (appender != null) {
      appender.close();
    }
    server.stop();
    context.stop();
  }

  @Test
  void close_normalRun_everyEventShippedAndStoppedSaysSo() {
    intakeAccepts();
    // Room for every event: a burst faster than the sender must not overflow the queue here.
    start(2_000, Duration.ofSeconds(5), LONG_BACKOFF);

    logEvents("normal", 1_500);
    appender.close();

    assertEveryEventAccountedFor(1_500);
    assertThat(appender.shippedCount()).isEqualTo(1_500);
    assertThat(Intake.messages(server)).hasSize(1_500).doesNotHaveDuplicates();
    Event stopped = theStoppedEvent();
    assertThat(stopped.level()).isEqualTo(Event.Level.INFO);
    assertThat(stopped.fields())
        .containsEntry("offered", 1_500L)
        .containsEntry("shipped", 1_500L)
        .containsEntry("dropped", 0L)
        .containsEntry("post_abandoned", false);
  }

  @Test
  void stop_duringHungPost_countsEveryEventAndReportsStopped() {
    // Far past the client's 10 s read timeout: only abandoning the post ends the stop.
    server.stubFor(post(urlEqualTo(Intake.PATH))
        .willReturn(aResponse().withStatus(202).withFixedDelay(120_000)));
    start(100, Duration.ofSeconds(1), LONG_BACKOFF);
    logEvents("in the hung post", 10);
    await("the post to hang").atMost(WAIT).until(() -> !Intake.posts(server).isEmpty());
    logEvents("queued behind it", 5);

    appender.close();

    assertEveryEventAccountedFor(15);
    assertThat(appender.shippedCount()).isZero();
    assertThat(theStoppedEvent().level()).isEqualTo(Event.Level.WARN);
    assertThat(theStoppedEvent().fields())
        .containsEntry("offered", 15L)
        .containsEntry("shipped", 0L)
        .containsEntry("dropped", 15L)
        .containsEntry("dropped_at_stop", 15L)
        .containsEntry("post_abandoned", true);
    assertThat(Intake.posts(server)).hasSize(1);
    assertNoSecretInLocalLog();
  }

  @Test
  void hungPost_queueOverflows_queueFullReportedWhileWaiting() {
    server.stubFor(post(urlEqualTo(Intake.PATH))
        .willReturn(aResponse().withStatus(202).withFixedDelay(120_000)));
    start(5, Duration.ofSeconds(1), LONG_BACKOFF);
    logEvents("in the hung post", 1);
    await("the post to hang").atMost(WAIT).until(() -> !Intake.posts(server).isEmpty());

    logEvents("overflow", 20);

    await("datadog_queue_full for all 15").atMost(WAIT).until(() -> lastQueueFullTotal() == 15);
    // Reported while the post hangs, not after its read timeout (10 s) ends it as a failure.
    assertThat(local.named("datadog_unreachable")).isEmpty();
    assertThat(Intake.posts(server)).hasSize(1);
    appender.close();
    assertEveryEventAccountedFor(21);
    assertThat(theStoppedEvent().fields())
        .containsEntry("dropped_queue_full", 15L)
        .containsEntry("dropped_at_stop", 6L);
  }

  @Test
  void stop_during503BackoffOfAnHour_oneFinalAttemptThenEveryEventCounted() {
    // The body echoes the key, as a misbehaving proxy might: it must not reach the local log.
    server.stubFor(post(urlEqualTo(Intake.PATH))
        .willReturn(aResponse().withStatus(503).withBody("{\"errors\":[\"" + API_KEY + "\"]}")));
    start(100, Duration.ofSeconds(5), LONG_BACKOFF);
    logEvents("doomed", 10);
    await("first failure").atMost(WAIT).until(() -> !local.named("datadog_unreachable").isEmpty());

    appender.close();

    assertThat(Intake.posts(server)).as("first post and the one final attempt").hasSize(2);
    assertEveryEventAccountedFor(10);
    assertThat(theStoppedEvent().fields())
        .containsEntry("shipped", 0L)
        .containsEntry("dropped", 10L)
        .containsEntry("dropped_at_stop", 10L)
        .containsEntry("post_abandoned", false);
    assertNoSecretInLocalLog();
  }

  @Test
  void stop_duringBackoffOfAnHour_intakeBackAgain_finalAttemptShipsEverything() {
    server.stubFor(post(urlEqualTo(Intake.PATH)).inScenario("outage")
        .whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(503)));
    server.stubFor(post(urlEqualTo(Intake.PATH)).inScenario("outage")
        .whenScenarioStateIs("over").willReturn(aResponse().withStatus(202).withBody("{}")));
    start(100, Duration.ofSeconds(5), LONG_BACKOFF);
    logEvents("held", 10);
    await("first failure").atMost(WAIT).until(() -> !local.named("datadog_unreachable").isEmpty());
    server.setScenarioState("outage", "over");

    appender.close();

    assertEveryEventAccountedFor(10);
    assertThat(appender.shippedCount()).isEqualTo(10);
    assertThat(Intake.posts(server)).hasSize(2);
    assertThat(Intake.items(Intake.posts(server).get(1))).hasSize(10);
  }

  @Test
  void queueOverflow_duringBackoffOfAnHour_queueFullReportedAtItsIntervalAndAllCounted() {
    server.stubFor(post(urlEqualTo(Intake.PATH)).willReturn(aResponse().withStatus(503)));
    start(5, Duration.ofSeconds(5), LONG_BACKOFF);
    logEvents("held", 1);
    await("first failure").atMost(WAIT).until(() -> !local.named("datadog_unreachable").isEmpty());

    // The sender holds one event and backs off for an hour; the queue takes 5 more.
    logEvents("burst", 20);
    await("datadog_queue_full for 15").atMost(WAIT).until(() -> lastQueueFullTotal() == 15);
    logEvents("later burst", 3);
    await("datadog_queue_full for 18").atMost(WAIT).until(() -> lastQueueFullTotal() == 18);

    assertThat(Intake.posts(server)).as("still in the first backoff").hasSize(1);
    assertThat(local.named("datadog_queue_full").stream().mapToLong(e -> field(e, "dropped")).sum())
        .isEqualTo(18);
    appender.close();
    assertEveryEventAccountedFor(24);
    assertThat(theStoppedEvent().fields())
        .containsEntry("dropped_queue_full", 18L)
        .containsEntry("dropped_at_stop", 6L);
  }

  @Test
  void refusedBatch_datadogDroppedShippedWithTheRefusal() {
    server.stubFor(post(urlEqualTo(Intake.PATH)).inScenario("bad")
        .whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(400))
        .willSetStateTo("good"));
    server.stubFor(post(urlEqualTo(Intake.PATH)).inScenario("bad")
        .whenScenarioStateIs("good").willReturn(aResponse().withStatus(202).withBody("{}")));
    start(100, Duration.ofSeconds(5), DatadogAppenderTest.FAST);
    logEvents("refused", 1);
    await("refusal").atMost(WAIT).until(() -> appender.droppedCount() == 1);

    logEvents("accepted", 1);
    await("datadog_dropped at the intake").atMost(WAIT).until(() -> droppedReport() != null);

    assertThat(droppedReport()).containsEntry("dropped", 1).containsEntry("dropped_refused", 1);
    appender.close();
    assertEveryEventAccountedFor(2);
  }

  private void start(int capacity, Duration flushTimeout, ShipperTuning tuning) {
    DatadogSettings settings =
        new DatadogSettings(API_KEY, null, URI.create(server.baseUrl()), null, "test",
            List.of("team:sre"), "host-1", capacity, flushTimeout);
    appender = new DatadogAppender(settings, () -> "EU", Ticker.system(), local, tuning)
        .attach(context);
  }

  private void intakeAccepts() {
    server.stubFor(post(urlEqualTo(Intake.PATH))
        .willReturn(aResponse().withStatus(202).withBody("{}")));
  }

  private void logEvents(String what, int count) {
    for (int i = 0; i < count; i++) {
      log.info("{} {}", what, i);
    }
  }

  /** The invariant of issue 9: shipped + dropped == offered once stopped, and in the report. */
  private void assertEveryEventAccountedFor(long offered) {
    assertThat(appender.offeredCount()).isEqualTo(offered);
    assertThat(appender.shippedCount() + appender.droppedCount()).isEqualTo(offered);
    Map<String, Object> report = theStoppedEvent().fields();
    assertThat(report).containsEntry("offered", offered);
    assertThat(field(theStoppedEvent(), "shipped") + field(theStoppedEvent(), "dropped"))
        .isEqualTo(offered);
    assertThat(field(theStoppedEvent(), "dropped"))
        .isEqualTo(field(theStoppedEvent(), "dropped_queue_full")
            + field(theStoppedEvent(), "dropped_refused")
            + field(theStoppedEvent(), "dropped_at_stop"));
  }

  /** Exactly one datadog_stopped, already there when close() has returned. */
  private Event theStoppedEvent() {
    assertThat(local.named("datadog_stopped")).hasSize(1);
    return local.named("datadog_stopped").get(0);
  }

  private long lastQueueFullTotal() {
    List<Event> reports = local.named("datadog_queue_full");
    return reports.isEmpty() ? 0 : field(reports.get(reports.size() - 1), "dropped_total");
  }

  private Map<String, Object> droppedReport() {
    return Intake.allItems(server).stream()
        .filter(i -> "datadog_dropped".equals(i.get("event")))
        .findFirst()
        .orElse(null);
  }

  private void assertNoSecretInLocalLog() {
    for (Event e : local.events()) {
      assertThat(e.message()).doesNotContain(API_KEY);
      assertThat(e.fields().values()).allSatisfy(
          v -> assertThat(Objects.toString(v)).doesNotContain(API_KEY));
    }
  }

  private static long field(Event event, String name) {
    return ((Number) event.fields().get(name)).longValue();
  }
}
