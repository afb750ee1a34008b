package org.regionfailover.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A region's host split into name and port, for connecting to it directly. The failover
 * list may give {@code host:port} (or {@code [v6]:port}); without a port it is 443. The name
 * is a DNS name or an IP literal: it ends up in the env file, in TLS handshakes and in
 * command lines of the stack, where a value like {@code -oProxyCommand} would be an option.
 */
public record HostPort(String host, int port) {
  public static final int HTTPS = 443;
  /** RFC 1035: 255 octets on the wire, 253 characters written out. */
  static final int MAX_NAME = 253;
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern OCTET = Pattern.compile("25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]");
  private static final Pattern NUMERIC = Pattern.compile("[0-9.]+");
  /** Starts with a hex digit or ':', so that InetAddress parses it and never asks DNS. */
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

  public HostPort {
    Objects.requireNonNull(host, "host");
    String problem = hostProblem(host);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("the port must be a number from 1 to 65535: " + port);
    }
  }

  /** Parses a region's host; a bad name or port is a {@link ConfigException} naming {@code setting}. */
  public static HostPort parse(String setting, Region region) {
    String h = region.host();
    String name = h;
    String port = null;
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      String rest = end < 0 ? "?" : h.substring(end + 1);
      if (end < 0 || !(rest.isEmpty() || rest.startsWith(":")) || h.lastIndexOf(':', end) < 0) {
        throw bad(setting, region, "an IPv6 address is written [addr] or [addr]:port");
      }
      name = h.substring(1, end);
      port = rest.isEmpty() ? null : rest.substring(1);
    } else if (h.indexOf(':') >= 0 && h.indexOf(':') == h.lastIndexOf(':')) {
      name = h.substring(0, h.indexOf(':'));
      port = h.substring(h.indexOf(':') + 1);
    } // several colons and no brackets: a bare IPv6 address, on the default port
    String problem = hostProblem(name);
    if (problem != null) {
      throw bad(setting, region, problem);
    }
    if (port == null) {
      return new HostPort(name, HTTPS);
    }
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
      throw bad(setting, region, "the port must be a number from 1 to 65535");
    }
    return new HostPort(name, Integer.parseInt(port));
  }

  /** Why {@code name} is neither a DNS name nor an IP literal, or null when it is one. */
  static String hostProblem(String name) {
    if (name.isEmpty()) {
      return "the host name is empty";
    }
    if (name.length() > MAX_NAME) {
      return "the host name is longer than " + MAX_NAME + " characters";
    }
    if (name.startsWith("-")) {
      return "a host name cannot start with '-'";
    }
    if (name.indexOf(':') >= 0) {
      return isIpv6(name) ? null : "it has several ':' but is not an IPv6 address";
    }
    if (NUMERIC.matcher(name).matches()) {
      return isIpv4(name) ? null : "it is numeric but not an IPv4 address a.b.c.d";
    }
    String[] labels = name.split("\\.", -1);
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        return "a DNS name is labels of 1 to 63 letters, digits or '-' (not first or last),"
            + " separated by single dots";
      }
    }
    if (NUMERIC.matcher(labels[labels.length - 1]).matches()) {
      // No top-level domain is numeric, so this is a mistyped IP address.
      return "the last label of a DNS name cannot be numeric";
    }
    return null;
  }

  private static boolean isIpv4(String name) {
    String[] parts = name.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (!OCTET.matcher(p).matches()) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv6(String name) {
    if (!IPV6_CHARS.matcher(name).matches()) {
      return false;
    }
    try {
      InetAddress.getByName(name);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static ConfigException bad(String setting, Region region, String rule) {
    return ConfigException.badValue(setting, region.toString(), "host:port expected; " + rule);
  }

  /** The same target whatever the case of the name: DNS names are case-insensitive. */
  String key() {
    return host.toLowerCase(Locale.ROOT) + "|" + port;
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
