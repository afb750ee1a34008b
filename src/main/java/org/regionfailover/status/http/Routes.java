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

  /**
   * {@code endpoint} takes the request, with {@code rest} after its prefix; {@code post}:
   * it has a body; {@code guarded}: it is an operator's command, checked by the
   * {@link PostGuard} (an open POST, the applications' evidence, checks its callers itself).
   */
  public record Found(Endpoint endpoint, String rest, boolean post, boolean guarded)
      implements Match {
    /** A GET, or a guarded POST. */
    public Found(Endpoint endpoint, String rest, boolean post) {
      this(endpoint, rest, post, post);
    }
  }

  /** An open POST of every path {@code prefix}NAME{@code suffix}, NAME one path segment. */
  private record Around(String prefix, String suffix, Endpoint endpoint) {}

  /** No route has this path. */
  public record NotFound() implements Match {}

  /** The path exists, for other methods: {@code allow} lists them (e.g. {@code GET, HEAD}). */
  public record WrongMethod(String allow) implements Match {}

  private final Map<String, Map<String, Endpoint>> exact;
  private final Map<String, Map<String, Endpoint>> prefixes;
  private final Map<String, Endpoint> open;
  private final java.util.List<Around> around;

  private Routes(Builder b) {
    exact = deepCopy(b.exact);
    prefixes = deepCopy(b.prefixes);
    open = Map.copyOf(b.open);
    around = java.util.List.copyOf(b.around);
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
    if (m.equals("POST")) {
      Match unguarded = findOpen(path);
      if (unguarded != null) {
        return unguarded;
      }
    }
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
    // A DELETE changes state as a POST does: an operator's command, guarded alike.
    boolean command = m.equals("POST") || m.equals("DELETE");
    return new Found(e, rest, command, command);
  }

  private Match findOpen(String path) {
    Endpoint e = open.get(path);
    if (e != null) {
      return new Found(e, "", true, false);
    }
    for (Around a : around) {
      if (path.startsWith(a.prefix()) && path.endsWith(a.suffix())
          && path.length() > a.prefix().length() + a.suffix().length()) {
        String name = path.substring(a.prefix().length(), path.length() - a.suffix().length());
        if (name.indexOf('/') < 0) {
          return new Found(a.endpoint(), name, true, false);
        }
      }
    }
    return null;
  }

  /** Routes being registered; a path and method taken twice is a programming error. */
  public static final class Builder {
    private final Map<String, Map<String, Endpoint>> exact = new HashMap<>();
    private final Map<String, Map<String, Endpoint>> prefixes = new HashMap<>();
    private final Map<String, Endpoint> open = new HashMap<>();
    private final java.util.List<Around> around = new java.util.ArrayList<>();

    private Builder() {}

    /**
     * A POST of exactly {@code path} that no operator's credentials guard: the endpoint
     * checks its callers itself. It wins over a guarded route of the same path.
     */
    public Builder openPost(String path, Endpoint endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      if (open.putIfAbsent(path, endpoint) != null) {
        throw new IllegalArgumentException("POST " + path + " is registered twice");
      }
      return this;
    }

    /**
     * An open POST (as {@link #openPost}) of every path {@code prefix}NAME{@code suffix},
     * NAME one path segment, given to the endpoint as the request's rest
     * ({@code /set/}NAME{@code /evidence}).
     */
    public Builder openPostAround(String prefix, String suffix, Endpoint endpoint) {
      around.add(new Around(prefix, suffix, Objects.requireNonNull(endpoint, "endpoint")));
      return this;
    }

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

    /** An authenticated DELETE of every path under {@code prefix}, guarded as a POST. */
    public Builder deletePrefix(String prefix, Endpoint endpoint) {
      return add(prefixes, "DELETE", prefix, endpoint);
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
