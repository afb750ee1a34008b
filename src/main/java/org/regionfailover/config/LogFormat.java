package org.regionfailover.config;

import java.util.Locale;

/**
 * How events are written on stdout: JSON lines for machines (supervisord's log, journald,
 * Datadog's agent), text lines for a person, or whichever suits stdout ({@code AUTO}: text on
 * a terminal).
 */
public enum LogFormat {
  AUTO, JSON, TEXT;

  /** The format named {@code value} ({@code auto}, {@code json}, {@code text}, any case). */
  static LogFormat parse(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "auto" -> AUTO;
      case "json" -> JSON;
      case "text" -> TEXT;
      default -> throw ConfigException.badValue(Setting.LOG_FORMAT.label(), value,
          "expected auto, json or text");
    };
  }

  /** Whether events are written as text when stdout is ({@code terminal}) or is not a terminal. */
  public boolean text(boolean terminal) {
    return this == TEXT || (this == AUTO && terminal);
  }
}
