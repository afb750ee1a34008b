package org.regionfailover.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * Where and how log events are shipped to Datadog. A null {@code apiKey} turns shipping off.
 *
 * @param apiKey Datadog API key, or null when shipping is off; never printed
 * @param site Datadog site such as {@code datadoghq.com} or {@code datadoghq.eu}
 * @param logsUrl base URL that overrides the site (a proxy, or a local intake in tests); null for
 *     the site's own intake
 * @param service value of the {@code service} attribute
 * @param env optional environment, shipped as the tag {@code env:<env>}
 * @param tags extra tags, each {@code key:value}
 * @param hostname value of the {@code hostname} attribute
 * @param queueCapacity events held in memory while the intake is slow or down
 * @param flushTimeout how long shutdown may wait to ship what is still queued
 */
public record DatadogSettings(
    String apiKey,
    String site,
    URI logsUrl,
    String service,
    String env,
    List<String> tags,
    String hostname,
    int queueCapacity,
    Duration flushTimeout) {

  public static final String DEFAULT_SITE = "datadoghq.com";
  public static final String DEFAULT_SERVICE = "region-failover";
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  public static final Duration DEFAULT_FLUSH_TIMEOUT = Duration.ofSeconds(5);
  // Above this a shutdown flush would hold up a supervisord restart for longer than its
  // default stopwaitsecs (10 s) would tolerate, with margin.
  static final Duration MAX_FLUSH_TIMEOUT = Duration.ofSeconds(60);
  // 10,000 events of ~1 KB is ~10 MB of heap; a million would be a gigabyte.
  static final int MAX_QUEUE_CAPACITY = 1_000_000;

  public DatadogSettings {
    if (apiKey != null && apiKey.isBlank()) {
      throw new ConfigException(Setting.DD_API_KEY.label(),
          "is blank; leave it unset to turn shipping off");
    }
    // A key the intake can never accept would fail every shipment, for ever, in silence.
    if (apiKey != null && !apiKey.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
      throw ConfigException.badSecret(Setting.DD_API_KEY.label(), "has a space, a control"
          + " character or a non-ASCII character; a Datadog API key is 32 hexadecimal"
          + " characters");
    }
    site = orDefault(site, DEFAULT_SITE);
    if (site.contains("/") || site.contains(":") || site.contains(" ")) {
      throw ConfigException.badValue(Setting.DD_SITE.label(), site,
          "expected a bare Datadog site domain such as datadoghq.com, datadoghq.eu, us3.datadoghq.com");
    }
    if (logsUrl != null) {
      String scheme = logsUrl.getScheme();
      if (!("http".equals(scheme) || "https".equals(scheme)) || logsUrl.getHost() == null) {
        throw ConfigException.badValue(Setting.DD_LOGS_URL.label(),
            Setting.urlWithoutUserInfo(String.valueOf(logsUrl)),
            "expected an absolute http:// or https:// base URL");
      }
      logsUrl = stripTrailingSlash(logsUrl);
    }
    service = orDefault(service, DEFAULT_SERVICE);
    env = env == null || env.isBlank() ? null : env.strip();
    if (env != null && (env.contains(",") || env.contains(" "))) {
      throw ConfigException.badValue(Setting.DD_ENV.label(), env,
          "it cannot contain commas or spaces");
    }
    tags = List.copyOf(tags == null ? List.of() : tags);
    for (String tag : tags) {
      int colon = tag.indexOf(':');
      if (colon <= 0 || colon == tag.length() - 1 || tag.contains(",") || tag.contains(" ")) {
        throw ConfigException.badValue(Setting.DD_TAGS.label(), tag,
            "expected key:value tags separated by commas, without spaces");
      }
    }
    hostname = hostname == null || hostname.isBlank() ? localHostName() : hostname.strip();
    if (queueCapacity == 0) {
      queueCapacity = DEFAULT_QUEUE_CAPACITY;
    }
    if (queueCapacity < 1 || queueCapacity > MAX_QUEUE_CAPACITY) {
      throw new IllegalArgumentException(
          "datadog queueCapacity must be in [1, " + MAX_QUEUE_CAPACITY + "], got: " + queueCapacity);
    }
    flushTimeout = flushTimeout == null ? DEFAULT_FLUSH_TIMEOUT : flushTimeout;
    if (flushTimeout.isNegative() || flushTimeout.compareTo(MAX_FLUSH_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          "datadog flushTimeout must be in [0s, " + MAX_FLUSH_TIMEOUT + "], got: " + flushTimeout);
    }
  }

  /** Settings with every default and the given key (null for shipping off). */
  public static DatadogSettings of(String apiKey) {
    return new DatadogSettings(apiKey, null, null, null, null, null, null, 0, null);
  }

  /** A copy that ships to {@code url} instead of the site's intake. */
  public DatadogSettings withLogsUrl(URI url) {
    return new DatadogSettings(
        apiKey, site, url, service, env, tags, hostname, queueCapacity, flushTimeout);
  }

  /** Whether an API key is configured, i.e. whether logs are shipped at all. */
  public boolean enabled() {
    return apiKey != null;
  }

  @Override
  public String toString() {
    // The key must never reach a log line, so it is not even partially shown.
    return "DatadogSettings[apiKey=" + (apiKey == null ? "<unset>" : "****")
        + ", site=" + site
        + ", logsUrl=" + logsUrl
        + ", service=" + service
        + ", env=" + env
        + ", tags=" + tags
        + ", hostname=" + hostname
        + ", queueCapacity=" + queueCapacity
        + ", flushTimeout=" + flushTimeout + "]";
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value.strip();
  }

  private static URI stripTrailingSlash(URI uri) {
    String text = uri.toString();
    if (!text.endsWith("/")) {
      return uri;
    }
    try {
      return new URI(text.substring(0, text.length() - 1));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("datadog logsUrl is not a valid URL: " + uri, e);
    }
  }

  private static String localHostName() {
    // HOSTNAME is free to read; the resolver call can stall on a broken DNS setup.
    String fromEnv = System.getenv("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }
}
