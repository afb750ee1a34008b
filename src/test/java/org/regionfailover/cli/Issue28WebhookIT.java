package org.regionfailover.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.FakeCloud;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.act.hook.SetHooks;
import org.regionfailover.report.Event;

/**
 * Issue 28: the webhook (WireMock) down while transitions happen, then back. Every delivery
 * arrives, in order, each once, signed with HMAC-SHA256 of its body (checked here with the
 * secret); {@code /health/hooks} fails while it is down. The acceptance's two minutes down:
 * {@code -Dissue28.webhookDownSeconds=120}; CI waits less.
 */
class Issue28WebhookIT {
  private static final Duration DOWN =
      Duration.ofSeconds(Long.getLong("issue28.webhookDownSeconds", 20));
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SECRET = "webhook-secret-issue28";

  @TempDir Path dir;
  private FakeCloud cloud;
  private SupervisordFixture supervisord;
  private CliRun run;
  private WireMockServer sink;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> signatures = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    if (run != null) {
      run.close();
    }
    if (sink != null) {
      sink.stop();
    }
    if (supervisord != null) {
      supervisord.close();
    }
    if (cloud != null) {
      cloud.close();
    }
  }

  private WireMockServer sink(int port) {
    WireMockServer s = new WireMockServer(options().bindAddress("127.0.0.1").port(port));
    s.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
    s.addMockServiceRequestListener((request, response) -> {
      bodies.add(request.getBodyAsString());
      signatures.add(request.getHeader("X-Region-Failover-Signature"));
    });
    s.start();
    return s;
  }

  private static String hmac(String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(
        body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private int health(URI base) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve("/health/hooks")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private String region() throws Exception {
    return Files.readString(supervisord.envFile()).contains("EXT_REGION=EU") ? "EU" : "NAM";
  }

  private void transition() throws Exception {
    String from = region();
    String to = from.equals("EU") ? "NAM" : "EU";
    int completed = run.events.named("failover_completed").size();
    cloud.chain(to, 200);
    cloud.direct(to, 200);
    cloud.chain(from, 503);
    cloud.direct(from, 503);
    Awaitility.await().atMost(WAIT)
        .until(() -> run.events.named("failover_completed").size() > completed);
  }

  @Test
  void aWebhookDownAWhileGetsEveryDeliveryInOrderSignedOnceItIsBack() throws Exception {
    cloud = new FakeCloud();
    supervisord = SupervisordFixture.unixSocket(dir).quickStart();
    supervisord.start();
    supervisord.writeRegion("EU");
    int port = SupervisordFixture.freeLoopbackPort();
    Path secret = dir.resolve("notify.secret");
    Files.writeString(secret, SECRET + "\n");
    Map<String, String> env = cloud.loopEnv(supervisord, "EU=cloud.eu.ext.com,NAM=cloud.nam.ext.com");
    env.put("FAILOVER_INTERVAL", "500ms");
    env.put("FAILOVER_PROBE_TIMEOUT", "300ms");
    env.put("FAILOVER_OUTAGE_THRESHOLD", "1s");
    env.put("FAILOVER_REGION_INTERVAL", "500ms");
    env.put("FAILOVER_FAILBACK", "off");
    env.put("FAILOVER_MAX_TRANSITIONS", "off");
    env.put("FAILOVER_NOTIFY_URL", "http://127.0.0.1:" + port + "/hook");
    env.put("FAILOVER_NOTIFY_SECRET_FILE", secret.toString());
    run = new CliRun(env, List.of());
    Awaitility.await().atMost(WAIT).until(() -> !run.events.named("stack_started").isEmpty());
    URI base = URI.create((String) run.events.named("listening").get(0).fields().get("url"));

    // Down from the start: nothing listens on the port.
    long downSince = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      transition();
    }
    Awaitility.await().atMost(WAIT).until(() -> health(base) == 503);
    assertThat(run.events.named("notify_retrying")).isNotEmpty();
    long leftMs = DOWN.toMillis() - (System.nanoTime() - downSince) / 1_000_000;
    if (leftMs > 0) {
      Awaitility.await().pollDelay(Duration.ofMillis(leftMs)).atMost(DOWN.plus(WAIT))
          .until(() -> true);
    }
    long downMs = (System.nanoTime() - downSince) / 1_000_000;
    sink = sink(port);
    transition(); // one more with the sink back: it goes after the ones kept

    List<Event> notified = new ArrayList<>();
    Awaitility.await().atMost(WAIT.plus(Duration.ofSeconds(30))).until(() -> {
      notified.clear();
      run.events.events().stream().filter(e -> SetHooks.NOTIFIED.contains(e.name()))
          .forEach(notified::add);
      return bodies.size() >= notified.size();
    });
    Awaitility.await().atMost(WAIT).until(() -> health(base) == 200);

    ObjectMapper json = new ObjectMapper();
    List<Long> seqs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < bodies.size(); i++) {
      assertThat(signatures.get(i)).as("signature of delivery %d", i).isEqualTo(hmac(bodies.get(i)));
      seqs.add(json.readTree(bodies.get(i)).get("seq").asLong());
      names.add(json.readTree(bodies.get(i)).get("event").asText());
    }
    System.out.printf("issue 28 webhook: down %d ms, %d deliveries, %d notify_retrying,"
            + " %d notify_dropped%n", downMs, bodies.size(),
        run.events.named("notify_retrying").size(), run.events.named("notify_dropped").size());
    assertThat(seqs).as("every delivery once, in order")
        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, seqs.size()).boxed().toList());
    assertThat(names).isEqualTo(notified.stream().map(Event::name).toList());
    assertThat(names).filteredOn("failover"::equals).hasSize(4);
    assertThat(run.events.named("notify_dropped")).isEmpty();
    assertThat(run.events.events().toString()).doesNotContain(SECRET);
  }
}
