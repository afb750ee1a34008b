package org.regionfailover.report.datadog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.datadog.api.client.v2.model.HTTPLogItem;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.DatadogSettings;

/** The intake client on its own: wire format, failure mapping, and what it must never leak. */
class ApiClientLogsIntakeTest {
  private static final String KEY = DatadogAppenderTest.API_KEY;

  @Test
  void submit_onTheWire_gzipBodyWithJsonItemsAndKeyHeader() throws Exception {
    // A bare JDK server, because WireMock gunzips bodies before tests can see them.
    AtomicReference<byte[]> raw = new AtomicReference<>();
    AtomicReference<String> encoding = new AtomicReference<>();
    AtomicReference<String> keyHeader = new AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        Intake.PATH,
        exchange -> {
          raw.set(exchange.getRequestBody().readAllBytes());
          encoding.set(exchange.getRequestHeaders().getFirst("Content-Encoding"));
          keyHeader.set(exchange.getRequestHeaders().getFirst("DD-API-KEY"));
          byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(202, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      ApiClientLogsIntake intake = intake("http://127.0.0.1:" + server.getAddress().getPort());

      IntakeResult result = intake.submit(List.of(new HTTPLogItem().message("zipped").ddsource("region-failover")));

      assertThat(result).isInstanceOf(IntakeResult.Accepted.class);
      assertThat(encoding.get()).isEqualTo("gzip");
      assertThat(keyHeader.get()).isEqualTo(KEY);
      assertThat(raw.get()[0] & 0xff).isEqualTo(0x1f); // gzip magic
      assertThat(raw.get()[1] & 0xff).isEqualTo(0x8b);
      byte[] json = new GZIPInputStream(new ByteArrayInputStream(raw.get())).readAllBytes();
      List<Object> items = new ObjectMapper().readValue(json, new TypeReference<List<Object>>() {});
      assertThat(items).containsExactly(Map.of("message", "zipped", "ddsource", "region-failover"));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void submit_connectionResetAfterRequest_sentExactlyOnce() {
    // Regression: HttpURLConnection re-sends a POST once on a reset unless
    // sun.net.http.retryPost=false, which would duplicate the batch at the intake.
    WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    try {
      server.stubFor(
          post(urlEqualTo(Intake.PATH))
              .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

      IntakeResult result = intake(server.baseUrl()).submit(List.of(new HTTPLogItem().message("once")));

      assertThat(result).isInstanceOf(IntakeResult.Retry.class);
      assertThat(((IntakeResult.Retry) result).reason()).startsWith("network error");
      assertThat(Intake.posts(server)).hasSize(1);
      assertThat(System.getProperty(RetryPostGuard.PROPERTY)).isEqualTo("false");
    } finally {
      server.stop();
    }
  }

  @Test
  void submit_failuresThatEchoTheKey_keyNowhereInResultsOrClientLogs() throws IOException {
    List<String> julLines = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        julLines.add(String.valueOf(record.getMessage()) + " " + record.getThrown());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
    julRoot.addHandler(capture);
    WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try {
      server.stubFor(
          post(urlEqualTo(Intake.PATH))
              .willReturn(aResponse().withStatus(403).withBody("{\"errors\":[\"key " + KEY + " is invalid\"]}")));

      IntakeResult forbidden = intake(server.baseUrl()).submit(List.of(new HTTPLogItem().message("x")));
      IntakeResult refused = intake("http://127.0.0.1:" + closedPort).submit(List.of(new HTTPLogItem().message("x")));

      assertThat(Intake.posts(server).get(0).getHeader("DD-API-KEY")).isEqualTo(KEY);
      assertThat(forbidden).isInstanceOf(IntakeResult.Rejected.class);
      assertThat(((IntakeResult.Rejected) forbidden).keyProblem()).isTrue();
      assertThat(forbidden.toString()).doesNotContain(KEY).contains("****");
      assertThat(refused).isInstanceOf(IntakeResult.Retry.class);
      assertThat(refused.toString()).doesNotContain(KEY).contains("ConnectException");
      assertThat(julLines).noneMatch(line -> line.contains(KEY));
    } finally {
      julRoot.removeHandler(capture);
      server.stop();
    }
  }

  @Test
  void classify_statuses_mapToRetryOrRejection() {
    assertThat(ApiClientLogsIntake.classify(500, Map.of(), "")).isInstanceOf(IntakeResult.Retry.class);
    assertThat(ApiClientLogsIntake.classify(503, Map.of(), null)).isInstanceOf(IntakeResult.Retry.class);
    assertThat(ApiClientLogsIntake.classify(408, Map.of(), null)).isInstanceOf(IntakeResult.Retry.class);
    assertThat(ApiClientLogsIntake.classify(403, Map.of(), null))
        .isEqualTo(new IntakeResult.Rejected(403, "API key rejected (HTTP 403)", true));
    assertThat(ApiClientLogsIntake.classify(400, Map.of(), "bad"))
        .isEqualTo(new IntakeResult.Rejected(400, "payload rejected (HTTP 400: bad)", false));
    assertThat(ApiClientLogsIntake.classify(413, Map.of(), null))
        .isInstanceOf(IntakeResult.Rejected.class);
  }

  @Test
  void classify_429WithReset_retryNotBeforeReset() {
    IntakeResult result =
        ApiClientLogsIntake.classify(429, Map.of("X-RateLimit-Reset", List.of("7")), null);

    assertThat(result).isEqualTo(new IntakeResult.Retry("HTTP 429", Optional.of(Duration.ofSeconds(7))));
  }

  @Test
  void rateLimitReset_garbageOrHuge_ignored() {
    assertThat(ApiClientLogsIntake.rateLimitReset(Map.of("x-ratelimit-reset", List.of("soon")))).isEmpty();
    assertThat(ApiClientLogsIntake.rateLimitReset(Map.of("x-ratelimit-reset", List.of("86400")))).isEmpty();
    assertThat(ApiClientLogsIntake.rateLimitReset(null)).isEmpty();
  }

  private static ApiClientLogsIntake intake(String baseUrl) {
    return new ApiClientLogsIntake(DatadogSettings.of(KEY).withLogsUrl(URI.create(baseUrl)));
  }
}
