package org.regionfailover.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What two failover sets must not share: a supervisord program (two loops would restart
 * it for different regions) and an env file (two loops would write, and lock, one file;
 * paths compared absolute and normalized). Each clash is one problem naming both sets and
 * where each got its value. Sets are compared on these values alone, so a clash is found
 * even while another of their settings is still wrong.
 */
final class SharedResources {
  private final Map<String, SettingsLoader> sets;

  /** {@code sets}: each set's settings, by name, in name order. */
  SharedResources(Map<String, SettingsLoader> sets) {
    this.sets = sets;
  }

  List<ConfigException> problems() {
    List<ConfigException> problems = new ArrayList<>();
    problems.addAll(clashes(Setting.PROGRAMS, "programs",
        l -> SupervisorSettings.parsePrograms(l.raw(Setting.PROGRAMS).orElseThrow())));
    problems.addAll(clashes(Setting.ENV_FILE, "env file", l -> List.of(Path.of(
        l.raw(Setting.ENV_FILE).orElseThrow()).toAbsolutePath().normalize().toString())));
    return problems;
  }

  /** Each pair of sets whose {@code owned} values meet, said at the later set's value. */
  private List<ConfigException> clashes(Setting setting, String what,
      Function<SettingsLoader, List<String>> owned) {
    List<ConfigException> problems = new ArrayList<>();
    List<String> names = new ArrayList<>(sets.keySet());
    for (int b = 1; b < names.size(); b++) {
      for (int a = 0; a < b; a++) {
        List<String> shared = new ArrayList<>(owned(owned, names.get(b)));
        shared.retainAll(owned(owned, names.get(a)));
        if (!shared.isEmpty()) {
          problems.add(clash(setting, what, shared, names.get(a), names.get(b)));
        }
      }
    }
    return problems;
  }

  /** What set {@code name} owns; nothing while its value is invalid (reported elsewhere). */
  private List<String> owned(Function<SettingsLoader, List<String>> owned, String name) {
    try {
      return owned.apply(sets.get(name));
    } catch (ConfigException | InvalidPathException e) {
      return List.of();
    }
  }

  private ConfigException clash(Setting setting, String what, List<String> shared, String a,
      String b) {
    SettingsLoader first = sets.get(a);
    SettingsLoader second = sets.get(b);
    return second.located(new ConfigException(setting.label(), "set " + b + " ("
        + second.origin(setting) + ") and set " + a + " (" + first.origin(setting) + ") share"
        + " the " + what + " " + String.join(", ", shared) + "; each set needs its own"));
  }
}
