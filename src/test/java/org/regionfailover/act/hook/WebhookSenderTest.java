package org.regionfailover.act.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.report.Event;
import org.regionfailover.time.Backoff;
import org.regionfailover.time.Ticker;

/** The webhook against a real local HTTP server that refuses, then takes, deliveries. */
class WebhookSenderTest {
  private static final Instant AT = Instant.parse("2026-12-08T01:00:00Z");
  private static final Backoff FAST = new Backoff(Duration.ofMillis(10), Duration.ofMillis(40));

  @TempDir
  Path dir;

  private HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> signatures = new CopyOnWriteArrayList<>();
  private final AtomicInteger refuseNext = new AtomicInteger();
  private final RecordingEventLog log = new RecordingEventLog();
  private final Map<String, String> results = new ConcurrentHashMap<>();
  private WebhookSender sender;

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hook", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      int code = refuseNext.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0 ? 503 : 204;
      if (code == 204) {
        bodies.add(body);
        signatures.add(exchange.getRequestHeaders().getFirst(WebhookSender.SIGNATURE));
      }
      exchange.sendResponseHeaders(code, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    if (sender != null) {
      sender.close();
    }
    server.stop(0);
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
  }

  private WebhookSender sender(NotifyOutbox outbox, Duration retryFor) {
    sender = new WebhookSender(url(), Optional.of("s3cret"), retryFor, outbox, log,
        Ticker.system(), (sink, why) -> results.put(sink, why == null ? "ok" : why), FAST);
    return sender;
  }

  @Test
  void postsEveryDeliveryInOrderSignedAndRetriesThroughFailures() throws IOException {
    NotifyOutbox outbox = NotifyOutbox.open(dir.resolve("ext_cloud.env"),
        EnumSet.of(NotifyOutbox.Sink.WEBHOOK));
    refuseNext.set(3);
    List<Delivery> sent = new java.util.ArrayList<>();
    for (String name : List.of("failover", "failover_completed", "failback")) {
      sent.add(outbox.append(Event.warn(name, name).with("region", "EU").build(), AT));
    }
    WebhookSender s = sender(outbox, Duration.ofHours(1));
    s.start();
    s.wake();

    await().atMost(Duration.ofSeconds(20)).until(() -> bodies.size() == 3);
    assertThat(bodies).containsExactlyElementsOf(sent.stream().map(Delivery::line).toList());
    for (int i = 0; i < 3; i++) {
      assertThat(signatures.get(i)).isEqualTo(WebhookSender.signature("s3cret", bodies.get(i)))
          .matches("sha256=[0-9a-f]{64}");
    }
    assertThat(log.named("notify_retrying")).hasSize(1); // once a minute at most
    assertThat(log.events().toString()).doesNotContain("s3cret");
    await().atMost(Duration.ofSeconds(20))
        .until(() -> outbox.deliveredUpTo(NotifyOutbox.Sink.WEBHOOK) == 3);
    assertThat(results).containsEntry("webhook", "ok");
  }

  @Test
  void aDeliveryFailingPastTheRetryTimeIsDroppedAndTheNextOneGoes() throws IOException {
    NotifyOutbox outbox = NotifyOutbox.open(dir.resolve("ext_cloud.env"),
        EnumSet.of(NotifyOutbox.Sink.WEBHOOK));
    refuseNext.set(Integer.MAX_VALUE);
    outbox.append(Event.warn("failover", "failover").build(), AT);
    WebhookSender s = sender(outbox, Duration.ofMillis(200));
    s.start();

    await().atMost(Duration.ofSeconds(20)).until(() -> log.names().contains("notify_dropped"));
    assertThat(results.get("webhook")).contains("status 503");
    refuseNext.set(0);
    outbox.append(Event.warn("failback", "failback").build(), AT);
    s.wake();
    await().atMost(Duration.ofSeconds(20)).until(() -> bodies.size() == 1);
    assertThat(bodies.get(0)).contains("\"seq\":2,\"event\":\"failback\"");
    assertThat(log.named("notify_dropped").get(0).fields()).containsEntry("seq", 1L);
    await().atMost(Duration.ofSeconds(20)).until(() -> "ok".equals(results.get("webhook")));
  }

  @Test
  void theSignatureIsTheHmacSha256OfTheBody() {
    // RFC 4231 test case 2.
    assertThat(WebhookSender.signature("Jefe", "what do ya want for nothing?")).isEqualTo(
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }
}
