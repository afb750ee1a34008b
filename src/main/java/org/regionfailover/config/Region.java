package org.regionfailover.config;

import java.util.Locale;
import java.util.Objects;

/** One region of the external cloud: its upper-case name and the host that serves it. */
public record Region(String name, String host) {
  public Region {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    name = name.strip().toUpperCase(Locale.ROOT);
    host = host.strip();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("region name cannot be empty");
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("host of region " + name + " cannot be empty");
    }
  }

  @Override
  public String toString() {
    return name + "=" + host;
  }
}
