package org.regionfailover.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the cloudlookup endpoints of several regions: one HTTP server on loopback
 * (ephemeral port) answering {@code /{REGION}/...} with 200 while the region is up and 503
 * while it is down, so the real probe sees what an outage looks like.
 */
public final class RegionSimulator implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, Boolean> up = new ConcurrentHashMap<>();

  private RegionSimulator(HttpServer server, List<String> regions) {
    this.server = server;
    regions.forEach(r -> up.put(r.toUpperCase(Locale.ROOT), true));
  }

  /** Starts serving {@code regions}, all up, on 127.0.0.1 and a free port. */
  public static RegionSimulator start(List<String> regions) throws IOException {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    RegionSimulator sim = new RegionSimulator(server, regions);
    server.createContext("/", sim::handle);
    server.start();
    return sim;
  }

  /** The probe URL template: {@code {region}} selects the simulated region. */
  public String urlTemplate() {
    return "http://127.0.0.1:" + server.getAddress().getPort()
        + "/{region}/v2/{orgId}/cloudlookup/{txnId}";
  }

  /** Switches a region up or down; the next probe sees it. */
  public void setUp(String region, boolean isUp) {
    up.put(region.toUpperCase(Locale.ROOT), isUp);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String[] parts = exchange.getRequestURI().getPath().split("/");
      Boolean regionUp = parts.length > 1 ? up.get(parts[1].toUpperCase(Locale.ROOT)) : null;
      int status;
      String body;
      if (regionUp == null) {
        status = 404;
        body = "no such region";
      } else if (exchange.getRequestHeaders().getFirst("X-SIG-Sha256") == null) {
        // The real endpoint rejects unsigned requests; so does the stand-in.
        status = 400;
        body = "missing X-SIG-Sha256";
      } else {
        status = regionUp ? 200 : 503;
        body = regionUp ? "{\"status\":\"ok\"}" : "{\"status\":\"region down\"}";
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
