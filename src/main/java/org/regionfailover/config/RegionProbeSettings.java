package org.regionfailover.config;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How each region's own host is probed, directly rather than through the local chain, and
 * how often: {@code tls://{host}:PORT} (a verified TLS handshake), {@code tcp://{host}:PORT}
 * (a connect), an {@code http(s)://} URL template (GET, healthy = 200), or {@code none}.
 */
public record RegionProbeSettings(Kind kind, int port, UrlTemplate url, Duration interval,
    Duration timeout) {
  /** The kind of direct probe. */
  public enum Kind { NONE, TLS, TCP, HTTP }

  private static final Pattern SOCKET = Pattern.compile("(tls|tcp)://\\{host}(?::(\\d{1,5}))?");
  static final String ALLOWED = "none, tls://{host}:PORT, tcp://{host}:PORT, or an http(s)://"
      + " URL template with {host}, {region}, {orgId}, {txnId}";

  public RegionProbeSettings {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    if (kind == Kind.HTTP) {
      Objects.requireNonNull(url, "url");
    }
  }

  /** Parses the {@link Setting#REGION_PROBE} value. */
  public static RegionProbeSettings parse(String value, Duration interval, Duration timeout) {
    if (value.equals("none")) {
      return new RegionProbeSettings(Kind.NONE, 0, null, interval, timeout);
    }
    Matcher m = SOCKET.matcher(value);
    if (m.matches()) {
      Kind kind = m.group(1).equals("tls") ? Kind.TLS : Kind.TCP;
      if (m.group(2) == null && kind == Kind.TCP) {
        throw bad(value, "a tcp:// probe needs a port");
      }
      int port = m.group(2) == null ? 443 : Integer.parseInt(m.group(2));
      if (port < 1 || port > 65535) {
        throw bad(value, "the port must be 1-65535");
      }
      return new RegionProbeSettings(kind, port, null, interval, timeout);
    }
    if (value.startsWith("http://") || value.startsWith("https://")) {
      UrlTemplate url;
      try {
        url = new UrlTemplate(value);
      } catch (IllegalArgumentException e) {
        throw bad(value, e.getMessage());
      }
      return new RegionProbeSettings(Kind.HTTP, 0, url, interval, timeout);
    }
    throw bad(value, "expected " + ALLOWED);
  }

  private static ConfigException bad(String value, String why) {
    return ConfigException.badValue(Setting.REGION_PROBE.label(), Setting.urlWithoutUserInfo(value),
        why);
  }

  /** Whether regions are probed directly at all. */
  public boolean enabled() {
    return kind != Kind.NONE;
  }
}
