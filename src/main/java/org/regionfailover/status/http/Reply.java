package org.regionfailover.status.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An endpoint's answer: status, content type, extra headers and the body. The server adds
 * the headers every answer carries (no caching, no sniffing, and for HTML a strict content
 * security policy).
 */
public record Reply(int status, String contentType, Map<String, String> headers, byte[] body) {
  public static final String TEXT = "text/plain; charset=utf-8";
  public static final String JSON = "application/json";
  public static final String HTML = "text/html; charset=utf-8";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public Reply {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    Objects.requireNonNull(contentType, "contentType");
    headers = Map.copyOf(headers);
    body = body.clone();
  }

  /** A plain-text answer. */
  public static Reply text(int status, String text) {
    return new Reply(status, TEXT, Map.of(), text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code value} (a map, a record, a Jackson tree...) as JSON. */
  public static Reply json(int status, Object value) {
    try {
      return new Reply(status, JSON, Map.of(), MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass() + " as JSON", e);
    }
  }

  /** An HTML page; it may load scripts and styles from this server only, none inline. */
  public static Reply html(int status, String html) {
    return new Reply(status, HTML, Map.of(), html.getBytes(StandardCharsets.UTF_8));
  }

  /** Any other content, e.g. a script or the Prometheus text format. */
  public static Reply bytes(int status, String contentType, byte[] body) {
    return new Reply(status, contentType, Map.of(), body);
  }

  /** This answer with header {@code name} set to {@code value}. */
  public Reply withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new Reply(status, contentType, h, body);
  }

  /** The body; a copy, since arrays are mutable. */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The body as UTF-8 text, for tests and logs. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Reply r && r.status == status && r.contentType.equals(contentType)
        && r.headers.equals(headers) && java.util.Arrays.equals(r.body, body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, contentType, headers, java.util.Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return status + " " + contentType + " (" + body.length + " bytes)";
  }
}
