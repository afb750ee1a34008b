package org.regionfailover.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cloudlookup URL with its placeholders {@code {orgId}}, {@code {txnId}},
 * {@code {region}} and {@code {host}}; values are path-encoded when expanded.
 */
public record UrlTemplate(String template) {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
  private static final String ALLOWED =
      "expected an http:// or https:// URL whose placeholders are {orgId}, {txnId}, {region}, {host}";

  public UrlTemplate {
    Objects.requireNonNull(template, "template");
    template = template.strip();
    String setting = Setting.CLOUDLOOKUP_URL.label();
    String shown = Setting.urlWithoutUserInfo(template);
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      switch (m.group(1)) {
        case "orgId", "txnId", "region", "host" -> { }
        default -> throw ConfigException.badValue(setting, shown,
            "unknown placeholder {" + m.group(1) + "}; " + ALLOWED);
      }
    }
    // Any '@' after the scheme: a password may hold '/', so an '@' in what looks like the
    // path may still end credentials (and a cloudlookup path has none). Credentials would
    // not be sent (every probe failed on "userinfo"), and would show in ps and in messages.
    if (template.indexOf('@', Math.max(0, template.indexOf("://"))) >= 0) {
      throw ConfigException.badValue(setting, shown,
          "credentials (user:password@) are not allowed in the probe URL; " + ALLOWED);
    }
    URI sample;
    try {
      sample = new URI(fill(template, "org", "txn", "REGION", "host.example"));
    } catch (URISyntaxException e) {
      throw ConfigException.badValue(setting, shown, ALLOWED);
    }
    String scheme = sample.getScheme() == null ? "" : sample.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || sample.getHost() == null) {
      throw ConfigException.badValue(setting, shown, ALLOWED);
    }
  }

  public boolean uses(String placeholder) {
    return template.contains("{" + placeholder + "}");
  }

  /** The URL to probe for one region. */
  public URI expand(String orgId, String txnId, Region region) {
    return URI.create(fill(template, orgId, txnId, region.name(), region.host()));
  }

  /**
   * Whether the URL's host is a loopback address. Decided without DNS when possible,
   * because a name that resolves to loopback on one host may not on another.
   */
  public boolean hostIsLoopback() {
    // With {host} in the authority the host is a region's, never loopback: "h" is no IP.
    String host = URI.create(fill(template, "o", "t", "R", "h")).getHost();
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static String fill(String t, String orgId, String txnId, String region, String host) {
    return t.replace("{orgId}", enc(orgId)).replace("{txnId}", enc(txnId))
        .replace("{region}", enc(region)).replace("{host}", enc(host));
  }

  private static String enc(String v) {
    return v == null ? "" : URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public String toString() {
    return template;
  }
}
