package org.regionfailover.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations operators write: {@code 250ms}, {@code 10s}, {@code 4m}, {@code 1h}, or ISO-8601 {@code PT10S}. */
public final class DurationParser {
  /**
   * The longest duration any setting takes. No timing of a failover supervisor needs more,
   * and it keeps every sum of durations in nanoseconds far from overflowing a long.
   */
  public static final Duration MAX = Duration.ofDays(7);
  public static final String ALLOWED = "expected a positive duration of at most 7 days (168h)"
      + " such as 250ms, 10s, 4m, 1h or ISO-8601 PT10S";

  private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");

  private DurationParser() {}

  /** The duration, or a {@link ConfigException} naming {@code setting}. */
  public static Duration parse(String setting, String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE.matcher(t);
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    } else if (t.startsWith("pt") || t.startsWith("p")) {
      try {
        d = Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw ConfigException.badValue(setting, text, ALLOWED);
      }
    } else {
      throw ConfigException.badValue(setting, text, ALLOWED);
    }
    if (d.isZero() || d.isNegative() || d.compareTo(MAX) > 0) {
      throw ConfigException.badValue(setting, text, ALLOWED);
    }
    return d;
  }

  /** Renders a duration in the form operators write it: {@code 1h}, {@code 10m}, {@code 30s}, {@code 250ms}. */
  public static String text(Duration d) {
    long ms = d.toMillis();
    return ms % 3_600_000 == 0 ? ms / 3_600_000 + "h" : ms % 60_000 == 0 ? ms / 60_000 + "m"
        : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  /** Renders a duration the way the failover message has always said it: "4 min", "30 s", "250 ms". */
  public static String human(Duration d) {
    if (d.toMillis() % 60_000 == 0 && !d.isZero()) {
      return d.toMinutes() + " min";
    }
    if (d.toMillis() % 1000 == 0) {
      return d.toSeconds() + " s";
    }
    return d.toMillis() + " ms";
  }
}
