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
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.marker.Markers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.config.DatadogSettings;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Backoff;
import org.regionfailover.time.Ticker;

/** The appender against a WireMock intake on loopback: what arrives, how failures are handled. */
class DatadogAppenderTest {
  static final String API_KEY = "0123456789abcdef0123456789abcdef";
  static final Duration WAIT = Duration.ofSeconds(10);
  // Fast timings so retries take milliseconds: flush every 50 ms, back off 20..200 ms.
  static final ShipperTuning FAST =
      new ShipperTuning(
          Duration.ofMillis(50),
          new Backoff(Duration.ofMillis(20), Duration.ofMillis(200)),
          Duration.ZERO);

  private final WireMockServer server =
      new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
  private final LoggerContext context = new LoggerContext();
  private final Logger log = context.getLogger("org.regionfailover.loop.Loop");
  private final AtomicReference<String> region = new AtomicReference<>("EU");
  private final RecordingEventLog local = new RecordingEventLog();
  private DatadogAppender appender;

  @BeforeEach
  void startIntake() {
    // A bare LoggerContext has no MDC adapter; the encoder used to read captured lines needs one.
    context.setMDCAdapter(new LogbackMDCAdapter());
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
  void append_eventWithFields_itemCarriesExactlyTheSpecifiedAttributes() {
    accept();
    start(settings(100), local);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("event", "failover_started");
    fields.put("region", "NAM");
    fields.put("latency_ms", 1234);

    log.warn(Markers.appendEntries(fields), "Failing over to NAM");

    await("one item at the intake").atMost(WAIT).until(() -> Intake.allItems(server).size() == 1);
    Map<String, Object> item = Intake.allItems(server).get(0);
    assertThat(item)
        .containsOnlyKeys(
            "ddsource", "service", "hostname", "ddtags", "message", "status", "timestamp",
            "logger.name", "event", "region", "latency_ms")
        .containsEntry("ddsource", "region-failover")
        .containsEntry("service", "region-failover")
        .containsEntry("hostname", "host-1")
        .containsEntry("ddtags", "team:sre,env:test,region:EU")
        .containsEntry("message", "Failing over to NAM")
        .containsEntry("status", "warn")
        .containsEntry("event", "failover_started")
        .containsEntry("region", "NAM")
        .containsEntry("latency_ms", 1234)
        .containsEntry("logger.name", "org.regionfailover.loop.Loop");
    LoggedRequest request = Intake.posts(server).get(0);
    assertThat(request.getHeader("Content-Encoding")).isEqualTo("gzip");
    assertThat(request.getHeader("DD-API-KEY")).isEqualTo(API_KEY);
  }

  @Test
  void append_manyEvents_batchedAtMostThousandPerRequest() {
    accept();
    start(settings(5_000), local);

    for (int i = 0; i < 2_500; i++) {
      log.info("event {}", i);
    }

    await("2500 items").atMost(WAIT).until(() -> appender.shippedCount() == 2_500);
    assertThat(Intake.posts(server)).allSatisfy(r -> assertThat(Intake.items(r)).hasSizeLessThanOrEqualTo(1_000));
    assertThat(Intake.messages(server)).hasSize(2_500).doesNotHaveDuplicates();
  }

  @Test
  void append_500Then202_batchArrivesExactlyOnce() {
    server.stubFor(
        post(urlEqualTo(Intake.PATH))
            .inScenario("flaky")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(500))
            .willSetStateTo("healthy"));
    server.stubFor(
        post(urlEqualTo(Intake.PATH))
            .inScenario("flaky")
            .whenScenarioStateIs("healthy")
            .willReturn(aResponse().withStatus(202).withBody("{}")));
    start(settings(100), local);

    log.info("one");
    log.info("two");
    await("batch accepted").atMost(WAIT).until(() -> appender.shippedCount() == 2);
    appender.close();

    List<LoggedRequest> posts = Intake.posts(server);
    assertThat(posts).hasSize(2);
    assertThat(Intake.items(posts.get(1))).extracting(i -> i.get("message")).containsExactly("one", "two");
    assertThat(local.names()).containsExactly("datadog_unreachable", "datadog_recovered", "datadog_stopped");
  }

  @Test
  void append_429WithRateLimitReset_waitsTheResetThenArrives() {
    server.stubFor(
        post(urlEqualTo(Intake.PATH))
            .inScenario("limited")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(429).withHeader("x-ratelimit-reset", "1"))
            .willSetStateTo("open"));
    server.stubFor(
        post(urlEqualTo(Intake.PATH))
            .inScenario("limited")
            .whenScenarioStateIs("open")
            .willReturn(aResponse().withStatus(202).withBody("{}")));
    start(settings(100), local);

    log.info("limited");

    await("item accepted").atMost(WAIT).until(() -> appender.shippedCount() == 1);
    List<LoggedRequest> posts = Intake.posts(server);
    assertThat(posts).hasSize(2);
    long gapMillis = posts.get(1).getLoggedDate().getTime() - posts.get(0).getLoggedDate().getTime();
    // FAST backoff alone would retry within 20 ms; the header says 1 s.
    assertThat(gapMillis).isGreaterThanOrEqualTo(950);
    assertThat(Intake.items(posts.get(1))).extracting(i -> i.get("message")).containsExactly("limited");
  }

  @Test
  void append_403_oneLocalErrorNotShippedAndRetriesBackOff() {
    server.stubFor(
        post(urlEqualTo(Intake.PATH))
            .willReturn(aResponse().withStatus(403).withBody("{\"errors\":[\"Forbidden\"]}")));
    ListAppender<ILoggingEvent> stdout = captureStdoutLogger();
    start(settings(100), new org.regionfailover.report.Slf4jEventLog(context.getLogger(DatadogAppender.SHIPPER_LOGGER)));

    log.info("held");

    await("five attempts").atMost(WAIT).until(() -> Intake.posts(server).size() >= 5);
    List<LoggedRequest> posts = Intake.posts(server);
    long spanMillis =
        posts.get(4).getLoggedDate().getTime() - posts.get(0).getLoggedDate().getTime();
    // Backoff floors (half of 20, 40, 80, 160 ms) add up to 150 ms; a tight loop takes ~1 ms.
    assertThat(spanMillis).isGreaterThanOrEqualTo(140);
    List<String> lines = encoded(stdout);
    assertThat(lines.stream().filter(l -> l.contains("\"event\":\"datadog_rejected\"")))
        .hasSize(1)
        .allSatisfy(l -> assertThat(l).contains("API key rejected").contains("403"));
    // The report went to stdout only: every request still carries just the one held event.
    assertThat(posts).allSatisfy(
        r -> assertThat(Intake.items(r)).extracting(i -> i.get("message")).containsExactly("held"));
  }

  @Test
  void append_400_batchDroppedReportedOnceAndNextBatchShipped() {
    server.stubFor(
        post(urlEqualTo(Intake.PATH))
            .inScenario("bad")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(400).withBody("{\"errors\":[\"bad payload\"]}"))
            .willSetStateTo("good"));
    server.stubFor(
        post(urlEqualTo(Intake.PATH))
            .inScenario("bad")
            .whenScenarioStateIs("good")
            .willReturn(aResponse().withStatus(202).withBody("{}")));
    start(settings(100), local);

    log.info("rejected");
    await("first batch refused").atMost(WAIT).until(() -> appender.discardedCount() == 1);
    log.info("accepted");
    await("second batch shipped").atMost(WAIT).until(() -> appender.shippedCount() == 1);

    assertThat(local.named("datadog_rejected")).hasSize(1);
    assertThat(local.named("datadog_rejected").get(0).fields().get("reason").toString())
        .contains("payload rejected")
        .contains("bad payload");
    // The shipper may also have shipped its own report of the refused event by now (its
    // interval is not this test's to control): the application's lines are what matter.
    List<String> shipped = Intake.messages(server).stream().map(String::valueOf).toList();
    assertThat(shipped).filteredOn(m -> !m.startsWith("Dropped "))
        .containsExactly("rejected", "accepted");
    assertThat(shipped).filteredOn(m -> m.startsWith("Dropped "))
        .allMatch(m -> m.startsWith("Dropped 1 log events"));
  }

  @Test
  void append_queueOverflow_dropsCountedAndCountShippedAfterRecovery() {
    server.stubFor(
        post(urlEqualTo(Intake.PATH))
            .inScenario("outage")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(503)));
    ShipperTuning slowRetry =
        new ShipperTuning(
            Duration.ofMillis(50),
            new Backoff(Duration.ofMillis(300), Duration.ofMillis(300)),
            Duration.ZERO);
    appender =
        new DatadogAppender(settings(5), region::get, Ticker.system(), local, slowRetry)
            .attach(context);

    log.info("first");
    // The sender now holds "first" and retries it; the queue behind it takes 5 more.
    await("first attempt").atMost(WAIT).until(() -> !Intake.posts(server).isEmpty());
    for (int i = 0; i < 20; i++) {
      log.info("burst {}", i);
    }
    assertThat(appender.droppedCount()).isEqualTo(15);
    server.stubFor(
        post(urlEqualTo(Intake.PATH))
            .inScenario("outage")
            .whenScenarioStateIs("recovered")
            .willReturn(aResponse().withStatus(202).withBody("{}")));
    server.setScenarioState("outage", "recovered");

    await("datadog_dropped at the intake").atMost(WAIT)
        .until(() -> Intake.allItems(server).stream().anyMatch(i -> "datadog_dropped".equals(i.get("event"))));
    Map<String, Object> report =
        Intake.allItems(server).stream()
            .filter(i -> "datadog_dropped".equals(i.get("event")))
            .findFirst()
            .orElseThrow();
    assertThat(report).containsEntry("dropped", 15).containsEntry("status", "warn");
    assertThat(report.get("ddtags")).isEqualTo("team:sre,env:test,region:EU");
    await("the queued events too").atMost(WAIT).until(() -> appender.shippedCount() == 6);
    // "first" was also in the refused attempts; distinct messages are what the intake kept.
    assertThat(Set.copyOf(Intake.messages(server)))
        .contains("first", "burst 0", "burst 4")
        .doesNotContain("burst 5")
        .hasSize(7);
    assertThat(local.named("datadog_queue_full")).isNotEmpty();
    // The local report is a snapshot taken by the sender thread while the burst may still
    // be dropping; the shipped datadog_dropped above carries the full count.
    assertThat((Long) local.named("datadog_queue_full").get(0).fields().get("dropped"))
        .isBetween(1L, 15L);
    appender.close();
    assertThat(appender.shippedCount() + appender.droppedCount()).isEqualTo(21);
  }

  @Test
  void close_eventsQueued_flushedBeforeReturning() {
    accept();
    ShipperTuning lazyFlush =
        new ShipperTuning(
            Duration.ofMinutes(1), new Backoff(Duration.ofMillis(20), Duration.ofMillis(200)), Duration.ZERO);
    appender =
        new DatadogAppender(settings(1_000), region::get, Ticker.system(), local, lazyFlush)
            .attach(context);
    for (int i = 0; i < 50; i++) {
      log.info("queued {}", i);
    }

    appender.close();

    // No bound on how long it took: a busy machine may be slow, and the flush timeout (5 s)
    // is the shipper's to enforce. Arriving before close() returned is what matters.
    assertThat(Intake.messages(server)).hasSize(50);
    assertThat(local.named("datadog_stopped").get(0).fields()).containsEntry("shipped", 50L);
  }

  @Test
  void close_intakeDown_oneFinalAttemptThenCountsLoss() {
    server.stubFor(post(urlEqualTo(Intake.PATH)).willReturn(aResponse().withStatus(503)));
    DatadogSettings settings =
        new DatadogSettings(
            API_KEY, null, URI.create(server.baseUrl()), null, "test", List.of("team:sre"),
            "host-1", 100, Duration.ofMillis(500));
    appender =
        new DatadogAppender(settings, region::get, Ticker.system(), local, FAST).attach(context);
    for (int i = 0; i < 10; i++) {
      log.info("doomed {}", i);
    }
    await("first attempt").atMost(WAIT).until(() -> !Intake.posts(server).isEmpty());

    appender.close();

    assertThat(appender.shippedCount()).isZero();
    assertThat(appender.discardedCount()).isEqualTo(10);
    assertThat(local.named("datadog_stopped")).hasSize(1);
    assertThat(local.named("datadog_stopped").get(0).fields()).containsEntry("dropped", 10L);
  }

  @Test
  void append_shipperOwnLogger_notShipped() {
    accept();
    start(settings(100), local);

    context.getLogger(DatadogAppender.SHIPPER_LOGGER).error("about the shipper");
    log.info("about the loop");

    await("loop event shipped").atMost(WAIT).until(() -> appender.shippedCount() == 1);
    appender.close();
    assertThat(Intake.messages(server)).containsExactly("about the loop");
  }

  @Test
  void install_noApiKey_attachesNothing() throws Exception {
    var closer =
        DatadogAppender.install(context, DatadogSettings.of(null), region::get, Ticker.system());

    assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(DatadogAppender.NAME))
        .isNull();
    closer.close(); // a no-op, and must not throw
  }

  @Test
  void install_withKey_attachedToRootAndDetachedOnClose() throws Exception {
    accept();
    var closer = DatadogAppender.install(context, settings(100), region::get, Ticker.system(), local);
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    assertThat(root.getAppender(DatadogAppender.NAME)).isNotNull();

    log.info("via root");
    closer.close();

    assertThat(root.getAppender(DatadogAppender.NAME)).isNull();
    assertThat(Intake.messages(server)).containsExactly("via root");
  }

  private void accept() {
    server.stubFor(post(urlEqualTo(Intake.PATH)).willReturn(aResponse().withStatus(202).withBody("{}")));
  }

  private DatadogSettings settings(int capacity) {
    return new DatadogSettings(
        API_KEY, null, URI.create(server.baseUrl()), null, "test", List.of("team:sre"), "host-1",
        capacity, Duration.ofSeconds(5));
  }

  private void start(DatadogSettings settings, EventLog localLog) {
    appender = new DatadogAppender(settings, region::get, Ticker.system(), localLog, FAST).attach(context);
  }

  private ListAppender<ILoggingEvent> captureStdoutLogger() {
    ListAppender<ILoggingEvent> list = new ListAppender<>();
    list.setContext(context);
    list.start();
    context.getLogger(DatadogAppender.SHIPPER_LOGGER).addAppender(list);
    return list;
  }

  /** Each captured event as the JSON line the stdout encoder would print. */
  private List<String> encoded(ListAppender<ILoggingEvent> list) {
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.start();
    return List.copyOf(list.list).stream()
        .map(e -> new String(encoder.encode(e), StandardCharsets.UTF_8))
        .toList();
  }
}
