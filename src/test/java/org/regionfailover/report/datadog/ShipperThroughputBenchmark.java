package org.regionfailover.report.datadog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.logstash.logback.marker.Markers;
import org.junit.jupiter.api.Test;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.config.DatadogSettings;
import org.regionfailover.time.Ticker;

/**
 * Prints the sender's throughput to a local WireMock intake. Not a unit test (the name keeps
 * surefire from picking it up by default) and it asserts nothing: run it with
 * {@code scripts/benchmark-datadog.sh}.
 */
class ShipperThroughputBenchmark {
  private static final int EVENTS = 200_000;

  @Test
  void printThroughput() {
    WireMockServer server =
        new WireMockServer(
            options().dynamicPort().bindAddress("127.0.0.1").disableRequestJournal().containerThreads(8));
    server.start();
    server.stubFor(
        post(urlEqualTo(Intake.PATH))
            .willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json").withBody("{}")));
    LoggerContext context = new LoggerContext();
    Logger log = context.getLogger("org.regionfailover.loop.Loop");
    DatadogSettings settings =
        new DatadogSettings(
            "bench-key", null, URI.create(server.baseUrl()), null, "bench", List.of("team:sre"),
            "host-1", EVENTS, Duration.ofSeconds(5));
    DatadogAppender appender =
        new DatadogAppender(settings, () -> "EU", Ticker.system(), new RecordingEventLog()).attach(context);
    try {
      // Warm-up: builds the API client and JIT-compiles the hot paths.
      for (int i = 0; i < 5_000; i++) {
        log.info(Markers.appendEntries(Map.of("event", "probe_done", "latency_ms", i)), "warm {}", i);
      }
      await("warm-up shipped").atMost(Duration.ofMinutes(1))
          .until(() -> appender.shippedCount() == 5_000);

      long start = System.nanoTime();
      for (int i = 0; i < EVENTS; i++) {
        log.info(
            Markers.appendEntries(Map.of("event", "probe_done", "region", "EU", "latency_ms", i)),
            "Probe of EU answered 200 in {} ms",
            i);
      }
      long enqueued = System.nanoTime();
      await("all shipped").atMost(Duration.ofMinutes(5))
          .until(() -> appender.shippedCount() == 5_000 + EVENTS);
      long shipped = System.nanoTime();

      double enqueueSeconds = (enqueued - start) / 1e9;
      double totalSeconds = (shipped - start) / 1e9;
      System.out.printf(
          "BENCH events=%d dropped=%d%nBENCH logging thread: %.0f events/s (%.2f us/event)%n"
              + "BENCH end to end (enqueue..accepted by intake): %.0f events/s over %.2f s%n",
          EVENTS,
          appender.droppedCount(),
          EVENTS / enqueueSeconds,
          enqueueSeconds * 1e6 / EVENTS,
          EVENTS / totalSeconds,
          totalSeconds);
    } finally {
      appender.close();
      server.stop();
    }
  }
}
