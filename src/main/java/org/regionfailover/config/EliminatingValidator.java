package org.regionfailover.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every problem of one set's settings, not just the first, for {@code check --offline} and
 * for a start-up that reports what it found first. Each part of the configuration is loaded
 * until it passes: a setting found bad is reported, then taken at its default so that the
 * next problem of that part shows. A problem that names a setting already reported is a
 * consequence of it (the default stands in for the bad value), so it is not reported. The
 * rules between parts are only checked once every part passes, for the same reason.
 *
 * <p>The first problem reported is the one {@link SettingsLoader#validateAll} throws: the
 * parts are loaded in the order it loads them.
 */
final class EliminatingValidator {
  /** Checks of one value each, those that need no other setting. */
  private static final List<Consumer<SettingsLoader>> STANDALONE = List.of(
      SettingsLoader::envFile,
      l -> l.bool(Setting.DRY_RUN),
      l -> l.bool(Setting.INSECURE_LOCALHOST),
      l -> l.duration(Setting.INTERVAL),
      l -> l.duration(Setting.OUTAGE_THRESHOLD),
      l -> l.duration(Setting.PROBE_TIMEOUT),
      l -> l.duration(Setting.REGION_INTERVAL),
      l -> l.duration(Setting.FAILBACK_AFTER),
      l -> l.duration(Setting.SUPERVISOR_TIMEOUT),
      l -> LogFormat.parse(l.raw(Setting.LOG_FORMAT).orElseThrow()),
      l -> l.bool(Setting.VERBOSE));

  private final SettingsLoader loader;

  EliminatingValidator(SettingsLoader loader) {
    this.loader = loader;
  }

  /**
   * Every problem, each {@link SettingsLoader#located located}; with {@code writableEnvFile},
   * the check of {@link SettingsLoader#requireWritableEnvFile} too (once all else passes).
   */
  List<ConfigException> problems(boolean writableEnvFile) {
    Set<Setting> reported = new LinkedHashSet<>();
    Map<String, ConfigException> found = new LinkedHashMap<>();
    for (Setting s : Setting.values()) {
      check(l -> l.raw(s), reported, found);
    }
    List<Consumer<SettingsLoader>> parts = List.of(SettingsLoader::load, SettingsLoader::probe,
        SettingsLoader::regionProbe, SettingsLoader::policy, SettingsLoader::supervisor,
        SettingsLoader::datadog, SettingsLoader::listener, SettingsLoader::coordination);
    parts.forEach(part -> check(part, reported, found));
    // The same values again, each alone: a part stops at a required value that is missing
    // (it has no default to stand in), and these would go unchecked behind it.
    STANDALONE.forEach(part -> check(part, reported, found));
    if (found.isEmpty()) {
      check(SettingsLoader::configuration, reported, found);
    }
    check(l -> l.duration(Setting.TLS_TIMEOUT), reported, found);
    if (found.isEmpty() && writableEnvFile) {
      check(SettingsLoader::requireWritableEnvFile, reported, found);
    }
    return List.copyOf(found.values());
  }

  /** Runs {@code part} until it passes, or fails only on what was already reported. */
  private void check(Consumer<SettingsLoader> part, Set<Setting> reported,
      Map<String, ConfigException> found) {
    while (true) {
      try {
        part.accept(loader.withDefaults(reported));
        return;
      } catch (ConfigException e) {
        List<Setting> named = SettingsLoader.named(e);
        if (!consequence(e, reported)) {
          ConfigException located = loader.located(e);
          found.putIfAbsent(located.getMessage(), located);
        }
        if (named.isEmpty() || reported.containsAll(named)) {
          return; // nothing left to take at its default: this part says no more
        }
        reported.addAll(named);
      }
    }
  }

  /** Whether {@code e} is about, or mentions, a setting already reported. */
  private static boolean consequence(ConfigException e, Set<Setting> reported) {
    // "(FAILOVER_REGION)", not "FAILOVER_REGION": that is in FAILOVER_REGION_INTERVAL too.
    return reported.stream().anyMatch(s -> e.getMessage().contains(s.label())
        || e.getMessage().contains("(" + s.env() + ")"));
  }
}
