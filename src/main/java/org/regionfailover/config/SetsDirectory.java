package org.regionfailover.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The sets directory: where it is, and its {@code NAME.env} files read as sets. Only files
 * so named and not hidden count, so an example ({@code payments.env.example}), a README or
 * an editor's backup or lock ({@code .#payments.env}) beside them is never a set by accident.
 */
final class SetsDirectory {
  private SetsDirectory() {}

  /**
   * The sets directory: as given (it must then exist), else {@value FileConfigSource#DEFAULT_SETS_DIR}
   * beside the settings file when that exists, else none.
   */
  static Optional<Path> locate(SettingsLoader loader, Optional<Path> file) {
    Optional<String> given = loader.raw(Setting.SETS_DIR);
    if (given.isEmpty()) {
      return file.map(f -> f.resolveSibling(FileConfigSource.DEFAULT_SETS_DIR))
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
          + " of NAME" + FileConfigSource.SET_SUFFIX + " set files (" + (Files.exists(dir) ? dir
          + " is not a directory" : "there is no " + dir) + ")");
    }
    return dir;
  }

  /**
   * Every {@code NAME.env} of {@code dir} (but {@code mainFile}) as a set's loader, in name
   * order: {@code over} layers a set's file (its per-set keys) over the main settings.
   */
  static void read(Path dir, Optional<Path> mainFile,
      Function<SettingsFile, SettingsLoader> over, Map<String, SettingsLoader> loaders,
      List<ConfigException> problems) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir, "*" + FileConfigSource.SET_SUFFIX)) {
      listing.forEach(files::add);
    } catch (IOException e) {
      problems.add(new ConfigException(Setting.SETS_DIR.label(), "cannot read the sets"
          + " directory " + dir + ": " + e.getClass().getSimpleName()));
      return;
    }
    files.removeIf(f -> mainFile.map(f::equals).orElse(false));
    // Hidden files are never sets: Emacs locks a file being edited with a link .#NAME.env,
    // which would otherwise be an invalid set name (a reload rejected, a restart exit 2,
    // while an operator edits); and a set named "." or ".." breaks URLs and ZooKeeper paths.
    files.removeIf(f -> f.getFileName().toString().startsWith("."));
    if (files.isEmpty()) {
      problems.add(new ConfigException(dir.toString(), "no NAME" + FileConfigSource.SET_SUFFIX + " in the sets"
          + " directory: add one file per set, or remove the directory to run one set from"
          + " the settings file"));
      return;
    }
    files.sort(null);
    for (Path file : files) {
      String name = file.getFileName().toString();
      name = name.substring(0, name.length() - FileConfigSource.SET_SUFFIX.length());
      if (!SetConfiguration.NAME.matcher(name).matches()) {
        problems.add(new ConfigException(file.toString(), "set name '"
            + ConfigException.shown(name) + "' is not valid; a set's"
            + " name (its file's name without " + FileConfigSource.SET_SUFFIX + ") is 1 to 63 letters, digits,"
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
      problems.addAll(SettingsKeys.problems(read, true));
      loaders.put(name, over.apply(
          read.restrictedTo(k -> Setting.byEnv(k).map(Setting::perSet).orElse(false))));
    }
  }
}
