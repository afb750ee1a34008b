package org.regionfailover.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** How to probe the cloudlookup endpoint. */
public record ProbeSettings(
    UrlTemplate url,
    Optional<String> orgId,
    Optional<String> txnId,
    Duration timeout,
    Optional<Path> caFile,
    boolean insecureLocalhost) {

  public ProbeSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(timeout, "timeout");
    orgId = orgId.filter(s -> !s.isBlank());
    txnId = txnId.filter(s -> !s.isBlank());
    caFile = Objects.requireNonNull(caFile, "caFile");
    if (url.uses("orgId") && orgId.isEmpty()) {
      throw new ConfigException(Setting.ORG_ID.label(),
          "is required because the probe URL " + url + " uses {orgId}");
    }
    if (url.uses("txnId") && txnId.isEmpty()) {
      throw new ConfigException(Setting.TXN_ID.label(),
          "is required because the probe URL " + url + " uses {txnId}");
    }
    if (insecureLocalhost && !url.hostIsLoopback()) {
      throw ConfigException.badValue(Setting.INSECURE_LOCALHOST.label(), "true",
          "TLS verification can only be skipped when the probe URL's host is loopback"
              + " (localhost, 127.0.0.1, ::1), and the URL is " + url);
    }
  }

  /** The URL to probe for a region. */
  public java.net.URI urlFor(Region region) {
    return url.expand(orgId.orElse(""), txnId.orElse(""), region);
  }
}
