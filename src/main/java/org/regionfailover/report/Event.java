package org.regionfailover.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One structured log event: a stable {@code name} that dashboards and monitors match on,
 * a human message, and the fields that explain it (region, host, latency_ms, reason...).
 */
public record Event(String name, Level level, String message, Map<String, Object> fields) {

  /** Severity, mapped one to one onto the logging levels. */
  public enum Level { DEBUG, INFO, WARN, ERROR }

  public Event {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(message, "message");
    if (name.isBlank()) {
      throw new IllegalArgumentException("event name cannot be blank");
    }
    // Insertion order is kept so that log lines read in the order the fields were given.
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields == null ? Map.of() : fields));
  }

  /**
   * The field that says when the loop decided what the event reports: the time of the
   * input it stepped on (a probe's slot, say), as wall-clock time. The line's own
   * {@code @timestamp} is when it was written, a little later and not at a steady distance.
   */
  public static final String DECIDED_AT = "decided_at";

  /** This event with {@link #DECIDED_AT} set to {@code epochNanos}, ISO-8601 UTC, to the nanosecond. */
  public Event decidedAt(long epochNanos) {
    Map<String, Object> f = new LinkedHashMap<>(fields);
    f.put(DECIDED_AT, java.time.Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
        Math.floorMod(epochNanos, 1_000_000_000L)).toString());
    return new Event(name, level, message, f);
  }

  public static Builder info(String name, String message) {
    return new Builder(name, Level.INFO, message);
  }

  public static Builder warn(String name, String message) {
    return new Builder(name, Level.WARN, message);
  }

  public static Builder error(String name, String message) {
    return new Builder(name, Level.ERROR, message);
  }

  public static Builder debug(String name, String message) {
    return new Builder(name, Level.DEBUG, message);
  }

  /** Collects fields in order; null values are left out rather than logged as null. */
  public static final class Builder {
    private final String name;
    private final Level level;
    private final String message;
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private Builder(String name, Level level, String message) {
      this.name = name;
      this.level = level;
      this.message = message;
    }

    public Builder with(String key, Object value) {
      if (value != null) {
        fields.put(key, value);
      }
      return this;
    }

    public Event build() {
      return new Event(name, level, message, fields);
    }
  }
}
