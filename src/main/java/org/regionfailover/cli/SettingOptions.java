package org.regionfailover.cli;

import java.util.EnumMap;
import java.util.Map;
import org.regionfailover.config.FileConfigSource;
import org.regionfailover.config.Setting;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/** Builds picocli options from the {@link Setting} registry, and reads them back. */
final class SettingOptions {
  private SettingOptions() {}

  /** The option naming the settings file. */
  static final String CONFIG = "--config";

  /** Adds {@code --config} and one option per setting to {@code spec}. */
  static void addTo(CommandSpec spec) {
    spec.addOption(OptionSpec.builder(CONFIG).paramLabel("FILE").type(String.class).arity("1")
        .description("Settings file: KEY=VALUE lines keyed by the environment variables named"
            + " below (# comments, optional export and quotes); an unknown key is an error."
            + " Its sets directory (--sets-dir) holds one NAME.env per failover set. Env: "
            + FileConfigSource.CONFIG_ENV + ".")
        .build());
    addTo(spec, java.util.Arrays.stream(Setting.values()).filter(Setting::hasFlag).toList());
  }

  /** Adds one option per setting of {@code settings}, each with a flag, to {@code spec}. */
  static void addTo(CommandSpec spec, java.util.List<Setting> settings) {
    for (Setting s : settings) {
      String help = s.description() + " Env: " + s.env()
          + s.defaultValue().map(d -> "; default: " + d).orElse("") + ".";
      OptionSpec.Builder b = OptionSpec.builder(s.names().toArray(String[]::new))
          .paramLabel(s.paramLabel())
          .type(String.class)
          // picocli formats help text with String.format: a literal % must be doubled.
          .description(help.replace("%", "%%"));
      if (s.isBoolean()) {
        b.arity("0..1").fallbackValue("true");
      } else {
        b.arity("1");
      }
      spec.addOption(b.build());
    }
  }

  /** The {@code --config} value given, or null. */
  static String config(ParseResult pr) {
    return pr.matchedOptionValue(CONFIG, null);
  }

  /** The values given on the command line. */
  static Map<Setting, String> values(ParseResult pr) {
    Map<Setting, String> out = new EnumMap<>(Setting.class);
    for (Setting s : Setting.values()) {
      if (!s.hasFlag()) {
        continue;
      }
      String v = pr.matchedOptionValue(s.flag(), null);
      if (v != null) {
        out.put(s, v);
      }
    }
    return out;
  }
}
