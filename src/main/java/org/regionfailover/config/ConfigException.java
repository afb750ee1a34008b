package org.regionfailover.config;

/**
 * A setting has a value the supervisor cannot run with. The message names the setting
 * (flag and environment variable), the offending value and what is allowed; the CLI turns
 * it into exit code 2. The message is always one line: control characters are escaped.
 */
public class ConfigException extends IllegalArgumentException {
  /** Longer values are cut in messages: a 100,000-character name is not worth a screenful. */
  static final int MAX_SHOWN = 200;

  private final String setting;
  private final String detail;

  public ConfigException(String setting, String message) {
    // A value read from the environment may hold a newline; echoed raw it would split the
    // message and could forge a second log line.
    super(escaped(setting + ": " + message));
    this.setting = setting;
    this.detail = message;
  }

  /**
   * A problem found at {@code where}, a place in a settings file ({@code /etc/x.env:12}):
   * "WHERE: SETTING: MESSAGE".
   */
  public ConfigException(String where, String setting, String message) {
    super(escaped(where + ": " + setting + ": " + message));
    this.setting = setting;
    this.detail = message;
  }

  /** A bad value: "SETTING: 'VALUE' is not valid; ALLOWED". */
  public static ConfigException badValue(String setting, String value, String allowed) {
    return new ConfigException(setting, "'" + shown(value) + "' is not valid; " + allowed);
  }

  /** A bad value of a secret: the message says what is wrong without showing any of it. */
  public static ConfigException badSecret(String setting, String problem) {
    return new ConfigException(setting, "the value (not shown: it is a secret) " + problem);
  }

  /**
   * {@code value} as a message may show it: credentials in a URL masked (they must not reach
   * a terminal or a log), control characters escaped, and cut when very long.
   */
  public static String shown(String value) {
    String v = escaped(Setting.withoutUserInfo(String.valueOf(value)));
    return v.length() <= MAX_SHOWN ? v
        : v.substring(0, MAX_SHOWN) + "... (" + value.length() + " characters)";
  }

  /** {@code text} with control characters written as {@code \n}, {@code \t}, {@code \u001B}... */
  public static String escaped(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (isControl(c)) {
            b.append(String.format("\\u%04X", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
  static boolean isControl(char c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
  }

  /**
   * The same problem, said of the value at {@code where} (a file and line) and naming the
   * setting as {@code setting} (as the file spells it).
   */
  public ConfigException at(String where, String setting) {
    ConfigException located = new ConfigException(where, setting, detail);
    located.setStackTrace(getStackTrace());
    return located;
  }

  /** The setting the problem is about, e.g. {@code --interval (FAILOVER_INTERVAL)}. */
  public String setting() {
    return setting;
  }
}
