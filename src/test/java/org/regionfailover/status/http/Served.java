package org.regionfailover.status.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.config.ListenAddress;
import org.regionfailover.report.EventLog;

/** A status server on a free loopback port for a test, and a client for it. */
final class Served implements AutoCloseable {
  final RecordingEventLog events = new RecordingEventLog();
  final StatusServer server;
  final HttpClient client;

  /** Manual control off. */
  Served(Routes routes) throws IOException {
    this(routes, log -> new PostGuard(null, new FailureLimiter(System::nanoTime), log));
  }

  /** Commands checked by the guard {@code guard} makes, logging to {@link #events}. */
  Served(Routes routes, Function<EventLog, PostGuard> guard) throws IOException {
    this(routes, guard, null, HttpClient.newBuilder().build());
  }

  Served(Routes routes, Function<EventLog, PostGuard> guard, SSLContext tls, HttpClient client)
      throws IOException {
    this.server = StatusServer.start(new ListenAddress("127.0.0.1", 0), tls, routes,
        guard.apply(events), events);
    this.client = client;
  }

  /** A request to {@code pathAndQuery} on this server. */
  HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(server.url().toString().replaceAll("/$", "")
        + pathAndQuery)).timeout(Duration.ofSeconds(30));
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return send(request(pathAndQuery).GET());
  }

  /**
   * Sends {@code head} (request line and headers, CRLF-separated, without the blank line
   * ending them) over a raw socket, with {@code Connection: close}, and returns the whole
   * answer: for headers the HTTP client will not send (Host) or omit.
   */
  String raw(String head) throws IOException {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(20_000);
      s.getOutputStream().write((head + "\r\nConnection: close\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
