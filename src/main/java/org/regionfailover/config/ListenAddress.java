package org.regionfailover.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the status server listens: a host (an IP literal or a DNS name) and a port, 0 for
 * any free one. Whether the host is loopback is read from how it is written, never from
 * DNS: a name that resolves elsewhere tomorrow must not slip past the TLS rule.
 */
public record ListenAddress(String host, int port) {
  /** What {@code --listen} accepts, for messages. */
  public static final String ALLOWED = "expected host:port or [v6]:port (port 0-65535, 0 for"
      + " any free port), e.g. 127.0.0.1:9180, [::1]:9180, 0.0.0.0:9180; or off";
  private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.\\d{1,3}){3}");

  public ListenAddress {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** Parses {@code text}; null for {@code off}; anything else bad names {@code setting}. */
  public static ListenAddress parse(String setting, String text) {
    String t = text.strip();
    if (t.equalsIgnoreCase("off")) {
      return null;
    }
    if (t.matches("(?i)[a-z][a-z0-9+.-]*://.*")) {
      // Not the IPv6 hint: "http://127.0.0.1:9190" has colons, but it is a URL.
      throw ConfigException.badValue(setting, text, "no scheme: host:port (TLS is chosen by"
          + " --tls-cert and --tls-key); " + ALLOWED);
    }
    int colon = t.lastIndexOf(':');
    if (colon <= 0) {
      throw ConfigException.badValue(setting, text, "no port; " + ALLOWED);
    }
    String host = t.substring(0, colon);
    String port = t.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
      if (host.indexOf(':') < 0) {
        throw ConfigException.badValue(setting, text, "brackets are for IPv6 addresses; " + ALLOWED);
      }
    } else if (host.indexOf(':') >= 0 || host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
      throw ConfigException.badValue(setting, text, "an IPv6 address is written [addr]:port; "
          + ALLOWED);
    }
    String problem = HostPort.hostProblem(host);
    if (problem != null) {
      throw ConfigException.badValue(setting, text, problem + "; " + ALLOWED);
    }
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
      throw ConfigException.badValue(setting, text, "the port must be a number from 0 to 65535; "
          + ALLOWED);
    }
    return new ListenAddress(host, Integer.parseInt(port));
  }

  /** Whether only this host can connect: 127.0.0.0/8, ::1 or {@code localhost}. */
  public boolean loopback() {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    if (h.equals("localhost") || LOOPBACK_V4.matcher(h).matches()) {
      return true;
    }
    if (h.indexOf(':') < 0) {
      return false;
    }
    try {
      // An IPv6 literal (HostPort checked it is one, so no DNS lookup happens).
      return java.net.InetAddress.getByName(h).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** {@code host:port}, brackets around an IPv6 host. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
