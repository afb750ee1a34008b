package org.regionfailover.status.page;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One file of the status page as served: its bytes and the headers that go with them
 * (content type, caching, and for the HTML the content security policy). Any HTTP server
 * can send it; the page knows nothing of the server.
 */
public final class Asset {
  private final String contentType;
  private final byte[] bytes;
  private final String etag;
  private final Map<String, String> headers;

  Asset(String contentType, byte[] bytes, String etag, Map<String, String> extra) {
    this.contentType = Objects.requireNonNull(contentType, "contentType");
    this.bytes = bytes.clone();
    this.etag = Objects.requireNonNull(etag, "etag");
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", contentType);
    // The files change with each release but keep their names: revalidate every time (an
    // ETag round trip on loopback is nothing) rather than run yesterday's app.js.
    h.put("Cache-Control", "no-cache");
    h.put("ETag", etag);
    h.put("X-Content-Type-Options", "nosniff");
    h.putAll(extra);
    this.headers = Map.copyOf(h);
  }

  public String contentType() {
    return contentType;
  }

  /** A copy of the body. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  /** A strong entity tag, quoted, for {@code If-None-Match}. */
  public String etag() {
    return etag;
  }

  /** Every response header to send with the body, {@code Content-Type} included. */
  public Map<String, String> headers() {
    return headers;
  }

  /** Whether a request's {@code If-None-Match} (null when absent) already has this version. */
  public boolean notModified(String ifNoneMatch) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "Asset[" + contentType + ", " + bytes.length + " bytes, " + etag + "]";
  }
}
