package org.regionfailover.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The configuration from the command line, the settings file ({@code --config}), its sets
 * directory and the environment. Each {@link #load} reads the files again, so a reload
 * validates exactly as the start did.
 *
 * <p>Precedence, highest first: the command line, the set's file, the settings file, the
 * environment, the defaults. Without a sets directory the process runs one set,
 * {@link SetConfiguration#DEFAULT}, from the settings file (or none) as before. With one,
 * every {@code NAME.env} in it is a set: its per-set keys ({@link Setting#perSet}) over the
 * settings file's values.
 */
public final class FileConfigSource implements ConfigSource {
  /** The environment variable naming the settings file when {@code --config} is not given. */
  public static final String CONFIG_ENV = "FAILOVER_CONFIG";
  /** How messages name the option. */
  public static final String CONFIG_LABEL = "--config (" + CONFIG_ENV + ")";
  /** What a set's file is called in the sets directory: {@code NAME.env}. */
  public static final String SET_SUFFIX = ".env";
  /** The sets directory beside the settings file when none is given. */
  public static final String DEFAULT_SETS_DIR = "sets.d";

  private final Map<Setting, String> flags;
  private final String config;
  private final Map<String, String> env;
  private final boolean writableEnvFiles;

  /**
   * {@code flags}: settings given on the command line; {@code config}: the {@code --config}
   * value, or null for {@link #CONFIG_ENV} (or no settings file); {@code env}: the process
   * environment. With {@code writableEnvFiles} each set's env file must be replaceable (the
   * loop's check; {@code check} and {@code status} do not write).
   */
  public FileConfigSource(Map<Setting, String> flags, String config, Map<String, String> env,
      boolean writableEnvFiles) {
    this.flags = Map.copyOf(flags);
    this.config = config;
    this.env = Map.copyOf(env);
    this.writableEnvFiles = writableEnvFiles;
  }

  /** Everything validated; the first problem found is thrown. */
  @Override
  public ProcessConfiguration load() {
    Validation v = validate();
    if (!v.problems().isEmpty()) {
      throw v.problems().get(0);
    }
    return v.process();
  }

  /**
   * The settings file's loader alone (command line, settings file, environment), without
   * the sets: what {@code status} needs (the listener), and the process-wide settings.
   * The settings file's own problems are thrown, the first one.
   */
  public SettingsLoader mainLoader() {
    Main main = main();
    if (!main.problems().isEmpty()) {
      throw main.problems().get(0);
    }
    return main.loader();
  }

  /**
   * The settings file's values by setting (not the sets'), for a command that takes them as
   * given values ({@code replay}); the settings file's problems are thrown, the first one.
   */
  public Map<Setting, String> fileValues() {
    Main main = main();
    if (!main.problems().isEmpty()) {
      throw main.problems().get(0);
    }
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    main.known().forEach(f -> f.entries().values()
        .forEach(e -> values.put(Setting.byEnv(e.key()).orElseThrow(), e.value())));
    return values;
  }

  /** Problems that do not stop the start-up but must be reported (see SettingsLoader). */
  public List<String> warnings() {
    return new SettingsLoader(flags, env).warnings();
  }

  /** What a validation found: every problem, and the sets that passed. */
  public record Validation(List<ConfigException> problems, List<SetConfiguration> sets,
      Optional<Path> file, Optional<Path> setsDir) {
    public Validation {
      problems = List.copyOf(problems);
      sets = List.copyOf(sets);
    }

    /** The process's configuration; only when there are no problems. */
    public ProcessConfiguration process() {
      if (!problems.isEmpty()) {
        throw problems.get(0);
      }
      return new ProcessConfiguration(sets, file, setsDir);
    }
  }

  /** Every problem of the files, the sets and their settings (none: {@link Validation#process}). */
  public Validation validate() {
    Main main = main();
    List<ConfigException> problems = new ArrayList<>(main.problems());
    if (main.loader() == null) {
      return new Validation(problems, List.of(), main.file(), Optional.empty());
    }
    Optional<Path> setsDir;
    try {
      setsDir = SetsDirectory.locate(main.loader(), main.file());
    } catch (ConfigException e) {
      problems.add(main.loader().located(e));
      return new Validation(problems, List.of(), main.file(), Optional.empty());
    }
    Map<String, SettingsLoader> loaders = new TreeMap<>();
    if (setsDir.isEmpty()) {
      loaders.put(SetConfiguration.DEFAULT, main.loader());
    } else {
      SetsDirectory.read(setsDir.get(), main.file(), setFile -> new SettingsLoader(flags,
          Stream.concat(Stream.of(setFile), main.known().stream()).toList(), env), loaders,
          problems);
    }
    List<SetConfiguration> sets = new ArrayList<>();
    for (var e : loaders.entrySet()) {
      List<ConfigException> found = new EliminatingValidator(e.getValue())
          .problems(writableEnvFiles);
      problems.addAll(found);
      if (found.isEmpty()) {
        sets.add(e.getValue().set(e.getKey()));
      }
    }
    problems.addAll(new SharedResources(loaders).problems());
    return new Validation(distinct(problems), sets, main.file(), setsDir);
  }

  /** The settings file read and its keys checked; {@code loader} null when unreadable. */
  private record Main(Optional<Path> file, List<SettingsFile> known, SettingsLoader loader,
      List<ConfigException> problems) {}

  private Main main() {
    Optional<Path> file;
    SettingsFile read;
    try {
      file = configFile();
      if (file.isEmpty()) {
        return new Main(file, List.of(), new SettingsLoader(flags, env), List.of());
      }
      read = SettingsFile.read(file.get(), CONFIG_LABEL);
    } catch (ConfigException e) {
      return new Main(Optional.empty(), List.of(), null, List.of(e));
    }
    List<ConfigException> problems = new ArrayList<>(read.problems());
    problems.addAll(SettingsKeys.problems(read, false));
    SettingsFile known = read.restrictedTo(key -> Setting.byEnv(key).isPresent());
    return new Main(file, List.of(known), new SettingsLoader(flags, List.of(known), env),
        problems);
  }

  /** The settings file named by {@code --config}, else by {@link #CONFIG_ENV}, if any. */
  private Optional<Path> configFile() {
    String value = config != null ? config : env.get(CONFIG_ENV);
    if (value == null) {
      return Optional.empty();
    }
    if (value.isBlank()) {
      throw ConfigException.badValue(CONFIG_LABEL, value, "an empty value is an error; for no"
          + " settings file, leave out the flag and " + CONFIG_ENV);
    }
    try {
      return Optional.of(Path.of(value.strip()).toAbsolutePath().normalize());
    } catch (InvalidPathException e) {
      throw ConfigException.badValue(CONFIG_LABEL, value, "expected a file path");
    }
  }

  private static List<ConfigException> distinct(List<ConfigException> problems) {
    Map<String, ConfigException> seen = new LinkedHashMap<>();
    problems.forEach(p -> seen.putIfAbsent(p.getMessage(), p));
    return List.copyOf(seen.values());
  }
}
