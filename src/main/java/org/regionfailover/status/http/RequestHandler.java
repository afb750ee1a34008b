package org.regionfailover.status.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;

/**
 * The server's one JDK handler: turns an exchange into a {@link Request}, routes it, lets
 * the {@link PostGuard} check a command, calls the endpoint and writes its {@link Reply}
 * with the headers every answer carries. Nothing an endpoint throws escapes it.
 */
final class RequestHandler implements HttpHandler {
  /**
   * Nothing is ever cached (state changes every probe); no content is sniffed into a type
   * it was not sent as; and a page loads scripts, styles and data from this server only,
   * runs no inline script, and cannot be framed (no clickjacking of the command buttons).
   */
  static final String CSP = "default-src 'self'; base-uri 'none'; form-action 'self';"
      + " frame-ancestors 'none'";

  private final Routes routes;
  private final PostGuard guard;
  private final String scheme;
  private final boolean loopback;
  private final EventLog log;

  /** {@code loopback}: the listener is on a loopback address (see {@link HostCheck}). */
  RequestHandler(Routes routes, PostGuard guard, String scheme, boolean loopback,
      EventLog log) {
    this.routes = routes;
    this.guard = guard;
    this.scheme = scheme;
    this.loopback = loopback;
    this.log = log;
  }

  @Override
  public void handle(HttpExchange exchange) {
    try (exchange) {
      Reply reply;
      try {
        reply = answer(exchange);
      } catch (RuntimeException | LinkageError | AssertionError e) {
        reply = failed(exchange, e);
      }
      send(exchange, reply);
    } catch (IOException e) {
      // The client went away mid-request or mid-answer: nothing left to tell it, and the
      // next exchange is unaffected.
    }
  }

  private Reply failed(HttpExchange exchange, Throwable e) {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    log.emit(Event.error("endpoint_failed", method + " " + path + " failed: " + e
            + "; answered 500, the server goes on")
        .with("method", method).with("path", path).with("reason", e.toString()));
    return Reply.text(500, "internal error; the supervisor's log has the details");
  }

  private Reply answer(HttpExchange exchange) throws IOException {
    // First, for every method: a rebound DNS name is refused before it reaches anything,
    // and the cross-site check below compares Origin only with a Host that passed.
    Reply misdirected = HostCheck.refusal(exchange.getRequestHeaders().get("Host"),
        exchange.getProtocol(), loopback);
    if (misdirected != null) {
      return misdirected;
    }
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    Routes.Match match = routes.find(method, path == null ? "" : path);
    if (match instanceof Routes.NotFound) {
      return Reply.text(404, "no such page: " + path);
    }
    if (match instanceof Routes.WrongMethod w) {
      return Reply.text(405, method + " is not allowed on " + path + "; allowed: " + w.allow())
          .withHeader("Allow", w.allow());
    }
    Routes.Found found = (Routes.Found) match;
    Map<String, List<String>> query;
    try {
      query = query(exchange.getRequestURI().getRawQuery());
    } catch (IllegalArgumentException e) {
      return Reply.text(400, "malformed query string: " + e.getMessage());
    }
    String body = "";
    if (found.post()) {
      byte[] bytes = body(exchange);
      if (bytes == null) {
        return Reply.text(413, "request body larger than " + StatusServer.MAX_BODY + " bytes");
      }
      body = new String(bytes, StandardCharsets.UTF_8);
    }
    Request request = new Request(method, path, found.rest(), query,
        exchange.getRequestHeaders(), body,
        exchange.getRemoteAddress().getAddress().getHostAddress(), null);
    if (found.guarded()) {
      PostGuard.Admission admission = guard.admit(request, scheme);
      if (!admission.admitted()) {
        return admission.refusal();
      }
      request = admission.request();
    }
    try {
      return found.endpoint().handle(request);
    } catch (Exception e) {
      return failed(exchange, e);
    }
  }

  /** The body, or null when it is larger than allowed. */
  private static byte[] body(HttpExchange exchange) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null && length.strip().matches("\\d{1,18}")
        && Long.parseLong(length.strip()) > StatusServer.MAX_BODY) {
      return null;
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(StatusServer.MAX_BODY + 1);
      return bytes.length > StatusServer.MAX_BODY ? null : bytes;
    }
  }

  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return out;
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    var headers = exchange.getResponseHeaders();
    reply.headers().forEach(headers::set);
    headers.set("Content-Type", reply.contentType());
    if (!reply.headers().containsKey("Cache-Control")) {
      // The state changes every probe; only the page's assets say otherwise (revalidated).
      headers.set("Cache-Control", "no-store");
    }
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    if (reply.contentType().startsWith("text/html")) {
      headers.set("Content-Security-Policy", CSP);
    }
    byte[] body = reply.body();
    boolean head = exchange.getRequestMethod().equals("HEAD");
    // -1: no body. For HEAD the JDK sends no body anyway, and warns if given a length.
    exchange.sendResponseHeaders(reply.status(), head || body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
