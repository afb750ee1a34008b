package org.regionfailover.status.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request as an endpoint sees it: {@code path} decoded, without the route's
 * prefix in {@code rest} (e.g. {@code region/EU} under {@code /health/}), query parameters
 * and headers (names case-insensitive), the body (at most {@link StatusServer#MAX_BODY}
 * bytes, as UTF-8), the client's IP address, and the user that authenticated (null for
 * requests that need none).
 */
public record Request(String method, String path, String rest, Map<String, List<String>> query,
    Map<String, List<String>> headers, String body, String remoteAddress, String user) {

  public Request {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(rest, "rest");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    query = copy(query, false);
    headers = copy(headers, true);
    body = body == null ? "" : body;
  }

  /** The first value of query parameter {@code name}; {@code ""} for {@code ?name} alone. */
  public Optional<String> query(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /** Whether the query has {@code name}, with or without a value ({@code ?verbose}). */
  public boolean hasQuery(String name) {
    return query.containsKey(name);
  }

  /** The first value of header {@code name}, whatever its case. */
  public Optional<String> header(String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /** Whether the client prefers {@code type} (e.g. {@code text/plain}) to JSON. */
  public boolean accepts(String type) {
    return header("Accept").map(a -> a.toLowerCase(Locale.ROOT).contains(type)).orElse(false);
  }

  /** This request as sent by {@code authenticated}. */
  public Request withUser(String authenticated) {
    return new Request(method, path, rest, query, headers, body, remoteAddress, authenticated);
  }

  /** This request with {@code remainder} after the prefix of the route that took it. */
  Request withRest(String remainder) {
    return new Request(method, path, remainder, query, headers, body, remoteAddress, user);
  }

  @Override
  public String toString() {
    // Never the headers: Authorization carries a password.
    return method + " " + path + " from " + remoteAddress;
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> in, boolean caseless) {
    Map<String, List<String>> out = caseless ? new TreeMap<>(String.CASE_INSENSITIVE_ORDER)
        : new TreeMap<>();
    if (in != null) {
      in.forEach((k, v) -> out.put(k, List.copyOf(v)));
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}
