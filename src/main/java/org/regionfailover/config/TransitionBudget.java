package org.regionfailover.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@link Setting#MAX_TRANSITIONS} value: {@code COUNT/DURATION}, or {@code off} (count 0). */
public record TransitionBudget(int count, Duration window, String text) {
  private static final Pattern FORM = Pattern.compile("(\\d{1,4})/(.+)");

  /** Parses the setting; a bad value fails naming the setting, the value and the form. */
  public static TransitionBudget parse(String value) {
    if (value.equals("off")) {
      return new TransitionBudget(0, Duration.ZERO, value);
    }
    Matcher m = FORM.matcher(value);
    if (m.matches()) {
      int count = Integer.parseInt(m.group(1));
      Duration window;
      try {
        window = DurationParser.parse(Setting.MAX_TRANSITIONS.label(), m.group(2));
      } catch (ConfigException e) {
        throw bad(value);
      }
      if (count >= 1 && !window.isZero()) {
        return new TransitionBudget(count, window, value);
      }
    }
    throw bad(value);
  }

  private static ConfigException bad(String value) {
    return ConfigException.badValue(Setting.MAX_TRANSITIONS.label(), value,
        "expected COUNT/DURATION with COUNT 1-9999 and a positive duration of at most 7 days"
            + " (e.g. 3/1h), or off");
  }

  public boolean limited() {
    return count > 0;
  }
}
