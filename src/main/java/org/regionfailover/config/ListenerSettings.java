package org.regionfailover.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The status server's settings: where it listens ({@code address} null: no server), who may
 * post commands ({@code htpasswd}, none: manual control off) and its TLS material. Beyond
 * loopback anyone on the network can connect, so a password and TLS are both required
 * there: a password over plain HTTP can be read off the wire.
 */
public record ListenerSettings(ListenAddress address, Optional<Path> htpasswd,
    Optional<Path> tlsCert, Optional<Path> tlsKey) {

  public ListenerSettings {
    if (tlsCert.isPresent() != tlsKey.isPresent()) {
      Setting given = tlsCert.isPresent() ? Setting.TLS_CERT : Setting.TLS_KEY;
      Setting missing = tlsCert.isPresent() ? Setting.TLS_KEY : Setting.TLS_CERT;
      throw new ConfigException(Setting.TLS_CERT.label() + " / " + Setting.TLS_KEY.label(),
          given.flag() + " is set but " + missing.flag() + " is not; give both (TLS on) or"
              + " neither (plain HTTP, loopback only)");
    }
    if (address != null && !address.loopback() && (htpasswd.isEmpty() || tlsCert.isEmpty())) {
      String lacking = htpasswd.isEmpty() && tlsCert.isEmpty()
          ? Setting.HTPASSWD.flag() + " and " + tlsFlags()
          : htpasswd.isEmpty() ? Setting.HTPASSWD.flag() : tlsFlags();
      throw ConfigException.badValue(Setting.LISTEN.label(), address.toString(),
          "listening beyond loopback (127.0.0.0/8, ::1, localhost) needs " + lacking
              + ": set " + lacking + ", or listen on loopback only, e.g. 127.0.0.1:9180");
    }
  }

  /** No server. */
  public static ListenerSettings off() {
    return new ListenerSettings(null, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Whether a server runs. */
  public boolean enabled() {
    return address != null;
  }

  /** Whether the server speaks HTTPS. */
  public boolean tls() {
    return tlsCert.isPresent();
  }

  private static String tlsFlags() {
    return "TLS (" + Setting.TLS_CERT.flag() + " and " + Setting.TLS_KEY.flag() + ")";
  }
}
