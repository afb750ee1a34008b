package org.regionfailover.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The regions of the external cloud in failover order, parsed from
 * {@code NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com,APAC=cloud.apac.ext.com}.
 */
public record FailoverList(List<Region> regions) {
  static final String FORMAT =
      "expected REGION=host items separated by commas, e.g. NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com";

  public FailoverList {
    regions = List.copyOf(Objects.requireNonNull(regions, "regions"));
    if (regions.isEmpty()) {
      throw new IllegalArgumentException("failover list cannot be empty");
    }
    Set<String> seen = new HashSet<>();
    for (Region r : regions) {
      if (!seen.add(r.name())) {
        throw new IllegalArgumentException("region " + r.name() + " appears twice");
      }
    }
  }

  /** Parses the list; every problem is a {@link ConfigException} naming {@code setting}. */
  public static FailoverList parse(String setting, String text) {
    if (text == null || text.isBlank()) {
      throw new ConfigException(setting, "is required; " + FORMAT);
    }
    List<Region> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Map<String, Region> hosts = new HashMap<>();
    String[] items = text.split(",", -1);
    for (int i = 0; i < items.length; i++) {
      String item = items[i].strip();
      String where = "item " + (i + 1) + " '" + ConfigException.shown(item) + "' of '"
          + ConfigException.shown(text) + "'";
      if (item.isEmpty()) {
        throw new ConfigException(setting, where + " is empty; " + FORMAT);
      }
      int eq = item.indexOf('=');
      if (eq < 0) {
        throw new ConfigException(setting, where + " has no '='; " + FORMAT);
      }
      String name = item.substring(0, eq).strip().toUpperCase(Locale.ROOT);
      String host = item.substring(eq + 1).strip();
      if (name.isEmpty()) {
        throw new ConfigException(setting, where + " has an empty region name; " + FORMAT);
      }
      if (host.isEmpty()) {
        throw new ConfigException(setting, where + " has an empty host; " + FORMAT);
      }
      if (!name.matches("[A-Z0-9_-]{1,63}")) {
        throw new ConfigException(setting, where + " has region name '"
            + ConfigException.shown(name) + "'; names are 1 to 63 letters, digits, '_' or '-'");
      }
      if (!seen.add(name)) {
        throw new ConfigException(setting, where + " repeats region " + name
            + "; each region may appear once");
      }
      Region region = new Region(name, host);
      // Two regions on one host would make a failover between them a restart in place.
      Region other = hosts.putIfAbsent(HostPort.parse(setting, region).key(), region);
      if (other != null) {
        throw new ConfigException(setting, where + " repeats the host of region "
            + other.name() + "; each region needs its own host");
      }
      out.add(region);
    }
    return new FailoverList(out);
  }

  /** The region with this name (case-insensitive), if listed. */
  public Optional<Region> find(String name) {
    String n = name.strip().toUpperCase(Locale.ROOT);
    return regions.stream().filter(r -> r.name().equals(n)).findFirst();
  }

  /** The names, for messages: "NAM, EU, APAC". */
  public String names() {
    return String.join(", ", regions.stream().map(Region::name).toList());
  }

  /**
   * The failover order: the preferred region first, then the others in list order
   * (EU gives EU, NAM, APAC). With no preference, the list order.
   */
  public List<Region> orderFrom(Optional<Region> preferred) {
    if (preferred.isEmpty()) {
      return regions;
    }
    List<Region> order = new ArrayList<>();
    order.add(preferred.get());
    regions.stream().filter(r -> !r.equals(preferred.get())).forEach(order::add);
    return List.copyOf(order);
  }
}
