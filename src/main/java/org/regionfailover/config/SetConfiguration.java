package org.regionfailover.config;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One failover set: its {@code name}, its configuration (the process-wide parts, listener,
 * Datadog, supervisord's URL and coordination, are the same in every set of a process), and
 * the effective raw value of every setting ({@code values}; a setting with no value and no
 * default is absent), which a reload compares. Secrets are kept as given: mask them with
 * {@link Setting#display} before they reach a message.
 */
public record SetConfiguration(String name, Configuration config, Map<Setting, String> values) {
  /** The set a process runs when there is no sets directory. */
  public static final String DEFAULT = "default";
  /** What a set may be called: it goes into file names, URLs, labels and ZooKeeper paths. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,63}");

  public SetConfiguration {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    values = java.util.Collections.unmodifiableMap(values.isEmpty()
        ? new EnumMap<>(Setting.class) : new EnumMap<>(values));
  }

  /** The effective raw value of {@code s}, if any. */
  public Optional<String> value(Setting s) {
    return Optional.ofNullable(values.get(s));
  }
}
