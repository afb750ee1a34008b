package org.regionfailover.status.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.regionfailover.config.ConfigException;

/**
 * Which {@code Host} a request may name, checked before anything else for every method.
 * DNS rebinding: a page on {@code evil.example} whose name is made to resolve to 127.0.0.1
 * reaches a loopback listener with {@code Host: evil.example}, and its {@code Origin}
 * matches that Host, so the cross-site check alone lets it through. On loopback, only an IP
 * literal or {@code localhost} is accepted (a rebound name is neither); elsewhere (TLS, with
 * credentials) any well-formed name is, and the cross-site check compares Origin with it.
 */
final class HostCheck {
  private static final Pattern IPV4 = Pattern.compile(
      "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final Pattern PORT = Pattern.compile("\\d{1,5}");
  private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
  private static final Pattern NAME = Pattern.compile(LABEL + "(\\." + LABEL + ")*\\.?");

  private HostCheck() {}

  /**
   * Null when {@code hosts} (the request's Host headers) is acceptable for a listener on
   * loopback ({@code loopback}) or not; otherwise the answer: 400 for a missing (HTTP/1.1),
   * repeated or malformed Host, 421 for a name this listener does not answer to.
   */
  static Reply refusal(List<String> hosts, String protocol, boolean loopback) {
    if (hosts == null || hosts.isEmpty()) {
      return "HTTP/1.0".equalsIgnoreCase(protocol) ? null
          : Reply.text(400, "missing Host header (HTTP/1.1 requires one)");
    }
    if (hosts.size() > 1) {
      return Reply.text(400, "more than one Host header");
    }
    String host = name(hosts.get(0));
    if (host == null) {
      return Reply.text(400, "malformed Host header: '" + ConfigException.shown(hosts.get(0))
          + "'");
    }
    if (isIpLiteral(host) || host.equalsIgnoreCase("localhost")) {
      return null;
    }
    if (!NAME.matcher(host).matches() || host.length() > 254) {
      return Reply.text(400, "malformed Host header: '" + ConfigException.shown(hosts.get(0))
          + "'");
    }
    if (!loopback) {
      return null;
    }
    return Reply.text(421, "misdirected request: this server listens on loopback and answers"
        + " only to an IP address or localhost, not to Host '" + ConfigException.shown(host)
        + "' (a name pointed at 127.0.0.1 by someone else's DNS); use http://127.0.0.1:PORT/"
        + " or http://localhost:PORT/");
  }

  /** The host of a Host header, without its port: {@code [::1]} keeps its brackets. */
  private static String name(String value) {
    String v = value.strip();
    String host;
    String port;
    if (v.startsWith("[")) {
      int close = v.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = v.substring(0, close + 1);
      port = v.substring(close + 1);
    } else {
      int colon = v.indexOf(':');
      host = colon < 0 ? v : v.substring(0, colon);
      port = colon < 0 ? "" : v.substring(colon);
    }
    if (host.isEmpty() || !(port.isEmpty() || port.startsWith(":")
        && PORT.matcher(port.substring(1)).matches())) {
      return null;
    }
    if (host.startsWith("[") && !isIpLiteral(host)) {
      return null;
    }
    return host;
  }

  /** Whether {@code host} is a dotted IPv4 address or a bracketed IPv6 one (never resolved). */
  private static boolean isIpLiteral(String host) {
    if (IPV4.matcher(host).matches()) {
      return true;
    }
    if (host.length() < 4 || !host.startsWith("[") || !host.endsWith("]")) {
      return false;
    }
    String inner = host.substring(1, host.length() - 1);
    if (!IPV6_CHARS.matcher(inner).matches() || !inner.contains(":")) {
      return false;
    }
    try {
      // Brackets: the JDK parses a literal and never asks DNS; anything else is refused.
      InetAddress.getByName(host.toLowerCase(Locale.ROOT));
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
