package org.regionfailover.config;

/**
 * A region's host split into name and port, for connecting to it directly. The failover
 * list may give {@code host:port} (or {@code [v6]:port}); without a port it is 443.
 */
public record HostPort(String host, int port) {
  public static final int HTTPS = 443;

  /** Parses a region's host; a bad port is a {@link ConfigException} naming {@code setting}. */
  public static HostPort parse(String setting, Region region) {
    String h = region.host();
    String name = h;
    String port = null;
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      String rest = end < 0 ? "?" : h.substring(end + 1);
      if (end < 0 || !(rest.isEmpty() || rest.startsWith(":"))) {
        throw bad(setting, region, "an IPv6 address is written [addr] or [addr]:port");
      }
      name = h.substring(1, end);
      port = rest.isEmpty() ? null : rest.substring(1);
    } else if (h.indexOf(':') >= 0 && h.indexOf(':') == h.lastIndexOf(':')) {
      name = h.substring(0, h.indexOf(':'));
      port = h.substring(h.indexOf(':') + 1);
    } // several colons and no brackets: a bare IPv6 address, on the default port
    if (name.isEmpty()) {
      throw bad(setting, region, "the host name is empty");
    }
    if (port == null) {
      return new HostPort(name, HTTPS);
    }
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
      throw bad(setting, region, "the port must be a number from 1 to 65535");
    }
    return new HostPort(name, Integer.parseInt(port));
  }

  private static ConfigException bad(String setting, Region region, String rule) {
    return ConfigException.badValue(setting, region.toString(), "host:port expected; " + rule);
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
