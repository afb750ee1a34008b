package org.regionfailover.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.FileConfigSource;
import org.regionfailover.config.Region;
import org.regionfailover.config.SetConfiguration;
import org.regionfailover.config.SettingsLoader;

/**
 * {@code region-failover check --offline}: validates the settings file, its sets and the
 * files they name, touching no network. Valid: one line per set on stdout, exit 0. Not: every
 * problem on stderr, one line each ({@code FILE:LINE: KEY: why} for a value from a file),
 * exit 2.
 */
final class OfflineCheck {
  private final FileConfigSource source;
  private final PrintStream out;
  private final PrintStream err;

  OfflineCheck(FileConfigSource source, PrintStream out, PrintStream err) {
    this.source = source;
    this.out = out;
    this.err = err;
  }

  int call() {
    FileConfigSource.Validation validation = source.validate();
    List<ConfigException> problems = new ArrayList<>(validation.problems());
    try {
      security(source);
    } catch (ConfigException e) {
      if (problems.stream().noneMatch(p -> p.getMessage().equals(e.getMessage()))) {
        problems.add(e);
      }
    }
    if (!problems.isEmpty()) {
      problems.forEach(p -> err.println("region-failover: " + p.getMessage()));
      err.println("region-failover check: " + problems.size() + " problem"
          + (problems.size() == 1 ? "" : "s") + " found");
      return Cli.USAGE;
    }
    for (SetConfiguration set : validation.sets()) {
      out.println("set " + set.name() + ": order " + String.join(" > ",
          set.config().settings().order().stream().map(Region::name).toList())
          + "; env file " + set.config().settings().envFile());
    }
    out.println("OK: " + validation.sets().size() + " set" + (validation.sets().size() == 1
        ? "" : "s") + " valid" + validation.file().map(f -> " in " + f).orElse(""));
    return Cli.OK;
  }

  /**
   * The listener's files (htpasswd, certificate and key) as the status server would read
   * them; a problem is said at the file and line that named the file.
   */
  static void security(FileConfigSource source) {
    SettingsLoader main = source.mainLoader();
    try {
      StatusListener.security(main.listener());
    } catch (ConfigException e) {
      throw main.located(e);
    }
  }
}
