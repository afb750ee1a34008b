package org.regionfailover.status.page;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.regionfailover.config.DurationParser;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Operator;
import org.regionfailover.status.StatusDocument;

/**
 * Stands in for the status server until it is merged: the JDK's HTTP server on a free
 * loopback port serving {@link PageAssets}, {@code /status} and {@code /history} from the
 * simulation's real snapshots, and the commands as authenticated POSTs (basic auth against
 * one user; a 401 with {@code WWW-Authenticate} first, as the real server answers) that go
 * through the real policy. Records every POST for the test to check.
 */
final class StatusHarness implements AutoCloseable {
  static final String REALM = "region-failover";

  /** One POST as the server saw it: {@code user} null when no or wrong credentials came. */
  record Post(String path, String query, String user, String body, int status) {}

  private final FailoverSimulation simulation;
  private final PageAssets assets = new PageAssets();
  private final String user;
  private final String expectedAuthorization;
  private final List<Post> posts = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);

  StatusHarness(FailoverSimulation simulation, String user, String password) throws IOException {
    this.simulation = simulation;
    this.user = user;
    this.expectedAuthorization = "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  /** The page's address. */
  URI page() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  List<Post> posts() {
    return List.copyOf(posts);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      switch (ex.getRequestMethod()) {
        case "GET" -> get(ex, path);
        case "POST" -> post(ex, path);
        default -> send(ex, 405, "text/plain", "method not allowed\n");
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
      throw e;
    }
  }

  private void get(HttpExchange ex, String path) throws IOException {
    Optional<Asset> asset = assets.get(path);
    if (asset.isPresent()) {
      Asset a = asset.get();
      a.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      if (a.notModified(ex.getRequestHeaders().getFirst("If-None-Match"))) {
        ex.sendResponseHeaders(304, -1);
        return;
      }
      ex.sendResponseHeaders(200, a.length());
      try (OutputStream out = ex.getResponseBody()) {
        out.write(a.bytes());
      }
      return;
    }
    switch (path) {
      case "/status" -> send(ex, 200, "application/json", new String(StatusDocument.bytes(
          StatusDocument.status(simulation.snapshot(), simulation.now())), StandardCharsets.UTF_8));
      case "/history" -> send(ex, 200, "application/json", new String(StatusDocument.bytes(
          StatusDocument.history(simulation.snapshot(), simulation.now())),
          StandardCharsets.UTF_8));
      default -> send(ex, 404, "text/plain", "not found\n");
    }
  }

  private void post(HttpExchange ex, String path) throws IOException {
    String query = ex.getRequestURI().getRawQuery();
    String body;
    try (InputStream in = ex.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    boolean authenticated = expectedAuthorization.equals(
        ex.getRequestHeaders().getFirst("Authorization"));
    if (!authenticated) {
      posts.add(new Post(path, query, null, body, 401));
      ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
      send(ex, 401, "text/plain", "credentials required\n");
      return;
    }
    Map<String, String> params = form(query);
    Operator by = new Operator(user, ex.getRemoteAddress().getAddress().getHostAddress());
    boolean force = "true".equals(params.get("force"));
    Input.Command command;
    if (path.equals("/failback")) {
      command = new Input.MoveCommand(0, force, "failback", by);
    } else if (path.startsWith("/region/")) {
      int target = FailoverSimulation.ORDER.stream().map(Region::name).toList()
          .indexOf(path.substring("/region/".length()));
      if (target < 0) {
        posts.add(new Post(path, query, user, body, 404));
        send(ex, 404, "text/plain", "no such region\n");
        return;
      }
      command = new Input.MoveCommand(target, force, "region", by);
    } else if (path.equals("/hold")) {
      Duration length = params.containsKey("for")
          ? DurationParser.parse("for", params.get("for")) : null;
      command = new Input.HoldCommand(length, form(body).getOrDefault("reason", ""), by);
    } else if (path.equals("/release")) {
      command = new Input.ReleaseCommand(by);
    } else {
      posts.add(new Post(path, query, user, body, 404));
      send(ex, 404, "text/plain", "not found\n");
      return;
    }
    Decision.ManualCommand answer = simulation.command(command);
    int status = answer.accepted() ? 200 : 409;
    posts.add(new Post(path, query, user, body, status));
    send(ex, status, "text/plain", answer.outcome() + "\n");
  }

  private static Map<String, String> form(String encoded) {
    if (encoded == null || encoded.isEmpty()) {
      return Map.of();
    }
    Map<String, String> m = new HashMap<>();
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      m.put(URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return m;
  }

  private static void send(HttpExchange ex, int status, String type, String text)
      throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }
}
