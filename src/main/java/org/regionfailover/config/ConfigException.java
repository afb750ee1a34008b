package org.regionfailover.config;

/**
 * A setting has a value the supervisor cannot run with. The message names the setting
 * (flag and environment variable), the offending value and what is allowed; the CLI turns
 * it into exit code 2.
 */
public class ConfigException extends IllegalArgumentException {
  private final String setting;

  public ConfigException(String setting, String message) {
    super(setting + ": " + message);
    this.setting = setting;
  }

  /** A bad value: "SETTING: 'VALUE' is not allowed; ALLOWED". */
  public static ConfigException badValue(String setting, String value, String allowed) {
    // A URL value may carry credentials; they must not reach a terminal or a log.
    return new ConfigException(setting,
        "'" + Setting.withoutUserInfo(String.valueOf(value)) + "' is not valid; " + allowed);
  }

  /** The setting the problem is about, e.g. {@code --interval (FAILOVER_INTERVAL)}. */
  public String setting() {
    return setting;
  }
}
