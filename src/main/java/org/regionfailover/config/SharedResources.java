package org.regionfailover.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What two failover sets must not share: a supervisord program (two loops would restart
 * it for different regions) and an env file (two loops would write, and lock, one file).
 * Each clash is one problem naming both sets and where each got its value.
 */
final class SharedResources {
  private final Map<String, SettingsLoader> loaders;
  private final Map<String, SetConfiguration> sets = new LinkedHashMap<>();

  /** {@code loaders} and {@code sets}: the valid sets, by name, in the same order. */
  SharedResources(Map<String, SettingsLoader> loaders, List<SetConfiguration> sets) {
    this.loaders = loaders;
    sets.forEach(s -> this.sets.put(s.name(), s));
  }

  List<ConfigException> problems() {
    List<ConfigException> problems = new ArrayList<>();
    problems.addAll(clashes(Setting.PROGRAMS, "programs",
        set -> set.config().supervisor().programs()));
    problems.addAll(clashes(Setting.ENV_FILE, "env file", set -> List.of(
        set.config().settings().envFile().toAbsolutePath().normalize().toString())));
    return problems;
  }

  /** Each pair of sets whose {@code owned} values meet, said at the later set's value. */
  private List<ConfigException> clashes(Setting setting, String what,
      Function<SetConfiguration, List<String>> owned) {
    List<ConfigException> problems = new ArrayList<>();
    List<String> names = new ArrayList<>(sets.keySet());
    for (int b = 1; b < names.size(); b++) {
      for (int a = 0; a < b; a++) {
        List<String> shared = new ArrayList<>(owned.apply(sets.get(names.get(b))));
        shared.retainAll(owned.apply(sets.get(names.get(a))));
        if (!shared.isEmpty()) {
          problems.add(clash(setting, what, shared, names.get(a), names.get(b)));
        }
      }
    }
    return problems;
  }

  private ConfigException clash(Setting setting, String what, List<String> shared, String a,
      String b) {
    SettingsLoader first = loaders.get(a);
    SettingsLoader second = loaders.get(b);
    return second.located(new ConfigException(setting.label(), "set " + b + " ("
        + second.origin(setting) + ") and set " + a + " (" + first.origin(setting) + ") share"
        + " the " + what + " " + String.join(", ", shared) + "; each set needs its own"));
  }
}
