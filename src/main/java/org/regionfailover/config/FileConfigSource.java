package org.regionfailover.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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
  /**
   * Variables read from the process environment before the settings file is read (by the
   * launcher, the JVM, logging), which a file therefore cannot set.
   */
  static final java.util.Set<String> ENVIRONMENT_ONLY = java.util.Set.of("JAVA_OPTS",
      "JAVA_HOME", "REGION_FAILOVER_JAR", "MALLOC_ARENA_MAX", "FAILOVER_LOG_LEVEL");
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
    Map<Setting, String> values = new java.util.EnumMap<>(Setting.class);
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
      setsDir = setsDir(main);
    } catch (ConfigException e) {
      problems.add(main.loader().located(e));
      return new Validation(problems, List.of(), main.file(), Optional.empty());
    }
    Map<String, SettingsLoader> loaders = new TreeMap<>();
    if (setsDir.isEmpty()) {
      loaders.put(SetConfiguration.DEFAULT, main.loader());
    } else {
      readSets(setsDir.get(), main, loaders, problems);
    }
    Map<String, SettingsLoader> passed = new LinkedHashMap<>();
    List<SetConfiguration> sets = new ArrayList<>();
    for (var e : loaders.entrySet()) {
      List<ConfigException> found = new EliminatingValidator(e.getValue())
          .problems(writableEnvFiles);
      problems.addAll(found);
      if (found.isEmpty()) {
        passed.put(e.getKey(), e.getValue());
        sets.add(e.getValue().set(e.getKey()));
      }
    }
    new SharedResources(passed, sets).problems().forEach(problems::add);
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
    problems.addAll(keyProblems(read, false));
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

  /**
   * The keys of {@code file} that are errors: unknown ones (with the closest known key),
   * {@link #CONFIG_ENV}, and in a set's file the process-wide ones.
   */
  private static List<ConfigException> keyProblems(SettingsFile file, boolean setFile) {
    List<ConfigException> problems = new ArrayList<>();
    List<String> known = Arrays.stream(Setting.values()).map(Setting::env).toList();
    for (SettingsFile.Entry e : file.entries().values()) {
      Optional<Setting> setting = Setting.byEnv(e.key());
      if (e.key().equals(CONFIG_ENV)) {
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

  /**
   * The sets directory: as given (it must then exist), else {@value #DEFAULT_SETS_DIR}
   * beside the settings file when that exists, else none.
   */
  private static Optional<Path> setsDir(Main main) {
    SettingsLoader loader = main.loader();
    Optional<String> given = loader.raw(Setting.SETS_DIR);
    if (given.isEmpty()) {
      return main.file().map(f -> f.resolveSibling(DEFAULT_SETS_DIR))
          .filter(d -> Files.exists(d) || Files.isSymbolicLink(d)).map(d -> directory(d, d.toString()));
    }
    Path dir;
    try {
      dir = Path.of(given.get());
    } catch (InvalidPathException e) {
      throw ConfigException.badValue(Setting.SETS_DIR.label(), given.get(), "expected a path");
    }
    Optional<SettingsFile.Entry> line = loader.entry(Setting.SETS_DIR);
    if (!dir.isAbsolute() && line.isPresent()) {
      dir = line.get().file().resolveSibling(dir); // relative to the file that says so
    }
    return Optional.of(directory(dir.toAbsolutePath().normalize(), given.get()));
  }

  private static Path directory(Path dir, String given) {
    if (!Files.isDirectory(dir)) {
      throw ConfigException.badValue(Setting.SETS_DIR.label(), given, "expected a directory"
          + " of NAME" + SET_SUFFIX + " set files (" + (Files.exists(dir) ? dir
          + " is not a directory" : "there is no " + dir) + ")");
    }
    return dir;
  }

  /** Every {@code NAME.env} of {@code dir} as a set's loader, in name order. */
  private void readSets(Path dir, Main main, Map<String, SettingsLoader> loaders,
      List<ConfigException> problems) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir, "*" + SET_SUFFIX)) {
      listing.forEach(files::add);
    } catch (IOException e) {
      problems.add(new ConfigException(Setting.SETS_DIR.label(), "cannot read the sets"
          + " directory " + dir + ": " + e.getClass().getSimpleName()));
      return;
    }
    files.removeIf(f -> main.file().map(f::equals).orElse(false));
    if (files.isEmpty()) {
      problems.add(new ConfigException(dir.toString(), "no NAME" + SET_SUFFIX + " in the sets"
          + " directory: add one file per set, or remove the directory to run one set from"
          + " the settings file"));
      return;
    }
    files.sort(null);
    for (Path file : files) {
      String name = file.getFileName().toString();
      name = name.substring(0, name.length() - SET_SUFFIX.length());
      if (!SetConfiguration.NAME.matcher(name).matches()) {
        problems.add(new ConfigException(file.toString(), "set name '"
            + ConfigException.shown(name) + "' is not valid; a set's"
            + " name (its file's name without " + SET_SUFFIX + ") is 1 to 63 letters, digits,"
            + " '.', '_' or '-': it goes into events, URLs, metrics and ZooKeeper paths"));
        continue;
      }
      SettingsFile read;
      try {
        read = SettingsFile.read(file, "set " + name);
      } catch (ConfigException e) {
        problems.add(e);
        continue;
      }
      problems.addAll(read.problems());
      problems.addAll(keyProblems(read, true));
      List<SettingsFile> layers = new ArrayList<>();
      layers.add(read.restrictedTo(k -> Setting.byEnv(k).map(Setting::perSet).orElse(false)));
      layers.addAll(main.known());
      loaders.put(name, new SettingsLoader(flags, layers, env));
    }
  }

  private static List<ConfigException> distinct(List<ConfigException> problems) {
    Map<String, ConfigException> seen = new LinkedHashMap<>();
    problems.forEach(p -> seen.putIfAbsent(p.getMessage(), p));
    return List.copyOf(seen.values());
  }
}
