package org.regionfailover.status.page;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The files of the status page ({@code GET /}), read from the jar once at construction so
 * that a build missing one fails at start-up, not at 3 a.m. in front of an operator.
 * Exactly six paths are served; anything else (other resources of the jar, {@code ..},
 * encoded tricks) is not found, because lookup is by exact path and never touches a file
 * system.
 */
public final class PageAssets {
  /** The paths served, each with its resource under this package's {@code page/} folder. */
  public static final Set<String> PATHS = Set.of("/", "/page.css", "/app.js",
      "/vendor/uplot/uPlot.iife.min.js", "/vendor/uplot/uPlot.min.css", "/favicon.ico");

  /**
   * For the HTML only: every script and style comes from this server, nothing inline, and
   * no other site may frame the page (its buttons move the host).
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private static final String ROOT = "/org/regionfailover/status/page/";

  private final Map<String, Asset> assets;

  /** Reads every file; throws {@link IllegalStateException} naming the first one missing. */
  public PageAssets() {
    Map<String, Asset> m = new LinkedHashMap<>();
    m.put("/", load("index.html", "text/html; charset=utf-8",
        Map.of("Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "Referrer-Policy", "no-referrer", "X-Frame-Options", "DENY")));
    m.put("/page.css", load("page.css", "text/css; charset=utf-8", Map.of()));
    m.put("/app.js", load("app.js", "text/javascript; charset=utf-8", Map.of()));
    m.put("/vendor/uplot/uPlot.iife.min.js",
        load("vendor/uplot/uPlot.iife.min.js", "text/javascript; charset=utf-8", Map.of()));
    m.put("/vendor/uplot/uPlot.min.css",
        load("vendor/uplot/uPlot.min.css", "text/css; charset=utf-8", Map.of()));
    // An SVG under the name browsers ask for on their own: no 404 at every load.
    m.put("/favicon.ico", load("favicon.svg", "image/svg+xml", Map.of()));
    assets = Map.copyOf(m);
  }

  /** The file for a request's path (without the query), or empty: answer 404. */
  public Optional<Asset> get(String path) {
    return path == null ? Optional.empty() : Optional.ofNullable(assets.get(path));
  }

  private static Asset load(String name, String type, Map<String, String> headers) {
    String resource = ROOT + name;
    byte[] bytes;
    try (InputStream in = PageAssets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the status page's " + resource
            + " is not on the class path: a broken build");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the status page's " + resource, e);
    }
    return new Asset(type, bytes, etag(bytes), headers);
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      return '"' + HexFormat.of().formatHex(d, 0, 12) + '"';
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
