package org.regionfailover.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which keys a settings file may hold: the settings' environment variables, and in a set's
 * file only the per-set ones. Every other key is an error, never ignored: a typo would
 * silently leave a default in force.
 */
final class SettingsKeys {
  /**
   * Variables read from the process environment before the settings file is read (by the
   * launcher, the JVM, logging), which a file therefore cannot set.
   */
  static final Set<String> ENVIRONMENT_ONLY = Set.of("JAVA_OPTS",
      "JAVA_HOME", "REGION_FAILOVER_JAR", "MALLOC_ARENA_MAX", "FAILOVER_LOG_LEVEL");

  private SettingsKeys() {}

  /**
   * The keys of {@code file} that are errors: unknown ones (with the closest known key),
   * {@link FileConfigSource#CONFIG_ENV}, and in a set's file the process-wide ones.
   */
  static List<ConfigException> problems(SettingsFile file, boolean setFile) {
    List<ConfigException> problems = new ArrayList<>();
    List<String> known = Arrays.stream(Setting.values()).map(Setting::env).toList();
    for (SettingsFile.Entry e : file.entries().values()) {
      Optional<Setting> setting = Setting.byEnv(e.key());
      if (e.key().equals(FileConfigSource.CONFIG_ENV)) {
        problems.add(new ConfigException(e.where(), e.key(), "not allowed in a settings file:"
            + " it names the settings file; give it as --config or in the environment"));
      } else if (ENVIRONMENT_ONLY.contains(e.key())) {
        problems.add(new ConfigException(e.where(), e.key(), "read from the process environment"
            + " only, before this file is read: set it in the systemd unit (Environment=, in a"
            + " drop-in) or the supervisord program (environment=)"));
      } else if (setting.isEmpty()) {
        problems.add(new ConfigException(e.where(), e.key(), "unknown setting"
            + ClosestKey.among(known, e.key()).map(k -> "; did you mean " + k + "?")
                .orElse("; the keys are the environment variables listed by --help")
            + " (a mistyped key would leave the default in force)"));
      } else if (setFile && !setting.get().perSet()) {
        problems.add(new ConfigException(e.where(), setting.get().fileLabel(), "process-wide"
            + " (shared by every set): give it in the main settings file, not in a set's"));
      }
    }
    return problems;
  }
}
