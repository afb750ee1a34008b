package org.regionfailover.config;

import java.time.Duration;

/**
 * The {@link Setting#LATENCY_LIMIT} value: {@code ENTER/EXIT} with EXIT at most ENTER, both
 * below the probe timeout (a slower answer is a timeout already), or {@code off} (nulls).
 */
public record LatencyLimit(Duration enter, Duration exit) {
  public static final LatencyLimit OFF = new LatencyLimit(null, null);

  /** Parses the setting; {@code timeout} is the probe timeout it must stay under. */
  public static LatencyLimit parse(String value, Duration timeout) {
    if (value.equals("off")) {
      return OFF;
    }
    String[] parts = value.split("/", -1);
    if (parts.length != 2) {
      throw ConfigException.badValue(Setting.LATENCY_LIMIT.label(), value,
          "expected ENTER/EXIT, e.g. 2s/1s, or off");
    }
    Duration enter;
    Duration exit;
    try {
      enter = DurationParser.parse(Setting.LATENCY_LIMIT.label(), parts[0]);
      exit = DurationParser.parse(Setting.LATENCY_LIMIT.label(), parts[1]);
    } catch (ConfigException e) {
      throw ConfigException.badValue(Setting.LATENCY_LIMIT.label(), value,
          "expected ENTER/EXIT as two positive durations, e.g. 2s/1s, or off");
    }
    if (exit.compareTo(enter) > 0) {
      throw ConfigException.badValue(Setting.LATENCY_LIMIT.label(), value,
          "EXIT must be at most ENTER, so that a region is slow between them");
    }
    if (enter.compareTo(timeout) >= 0) {
      throw ConfigException.badValue(Setting.LATENCY_LIMIT.label() + " / "
              + Setting.PROBE_TIMEOUT.label(), value,
          "ENTER must be below the probe timeout " + DurationParser.text(timeout) + ": a slower answer is a timeout");
    }
    return new LatencyLimit(enter, exit);
  }
}
