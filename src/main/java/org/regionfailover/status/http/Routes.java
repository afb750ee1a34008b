package org.regionfailover.status.http;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which endpoint answers which method and path: by exact path ({@code /health}), or by
 * prefix ({@code /health/} takes {@code /health/region/EU}, with {@code region/EU} as the
 * request's rest). An exact path beats a prefix, a longer prefix a shorter one. HEAD is
 * answered by the GET route. Built once before the server starts, then immutable.
 */
public final class Routes {
  /** What a method and path lead to. */
  public sealed interface Match {}

  /** {@code endpoint} takes the request, with {@code rest} after its prefix. */
  public record Found(Endpoint endpoint, String rest, boolean post) implements Match {}

  /** No route has this path. */
  public record NotFound() implements Match {}

  /** The path exists, for other methods: {@code allow} lists them (e.g. {@code GET, HEAD}). */
  public record WrongMethod(String allow) implements Match {}

  private final Map<String, Map<String, Endpoint>> exact;
  private final Map<String, Map<String, Endpoint>> prefixes;

  private Routes(Builder b) {
    exact = deepCopy(b.exact);
    prefixes = deepCopy(b.prefixes);
  }

  private static Map<String, Map<String, Endpoint>> deepCopy(Map<String, Map<String, Endpoint>> m) {
    Map<String, Map<String, Endpoint>> out = new HashMap<>();
    m.forEach((path, byMethod) -> out.put(path, Map.copyOf(byMethod)));
    return Map.copyOf(out);
  }

  /** Collects routes. */
  public static Builder builder() {
    return new Builder();
  }

  /** The route for {@code method} on {@code path}. */
  public Match find(String method, String path) {
    String m = method.equals("HEAD") ? "GET" : method;
    Map<String, Endpoint> byMethod = exact.get(path);
    String rest = "";
    if (byMethod == null) {
      String best = null;
      for (String p : prefixes.keySet()) {
        if (path.startsWith(p) && path.length() > p.length()
            && (best == null || p.length() > best.length())) {
          best = p;
        }
      }
      if (best == null) {
        return new NotFound();
      }
      byMethod = prefixes.get(best);
      rest = path.substring(best.length());
    }
    Endpoint e = byMethod.get(m);
    if (e == null) {
      Set<String> allow = new TreeSet<>(byMethod.keySet());
      if (allow.contains("GET")) {
        allow.add("HEAD");
      }
      return new WrongMethod(String.join(", ", allow));
    }
    return new Found(e, rest, m.equals("POST"));
  }

  /** Routes being registered; a path and method taken twice is a programming error. */
  public static final class Builder {
    private final Map<String, Map<String, Endpoint>> exact = new HashMap<>();
    private final Map<String, Map<String, Endpoint>> prefixes = new HashMap<>();

    private Builder() {}

    /** GET (and HEAD) of exactly {@code path}. */
    public Builder get(String path, Endpoint endpoint) {
      return add(exact, "GET", path, endpoint);
    }

    /** GET (and HEAD) of every path under {@code prefix}, which ends with {@code /}. */
    public Builder getPrefix(String prefix, Endpoint endpoint) {
      return add(prefixes, "GET", prefix, endpoint);
    }

    /** An authenticated POST of exactly {@code path}. */
    public Builder post(String path, Endpoint endpoint) {
      return add(exact, "POST", path, endpoint);
    }

    /** An authenticated POST of every path under {@code prefix}, which ends with {@code /}. */
    public Builder postPrefix(String prefix, Endpoint endpoint) {
      return add(prefixes, "POST", prefix, endpoint);
    }

    public Routes build() {
      return new Routes(this);
    }

    private Builder add(Map<String, Map<String, Endpoint>> table, String method, String path,
        Endpoint endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      if (!path.startsWith("/") || (table == prefixes && !path.endsWith("/"))) {
        throw new IllegalArgumentException("a path starts with / (a prefix also ends with /): "
            + path);
      }
      Map<String, Endpoint> byMethod = table.computeIfAbsent(path, p -> new LinkedHashMap<>());
      if (byMethod.putIfAbsent(method, endpoint) != null) {
        throw new IllegalArgumentException(method + " " + path + " is registered twice");
      }
      return this;
    }
  }
}
