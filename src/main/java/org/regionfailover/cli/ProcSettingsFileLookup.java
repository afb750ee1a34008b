package org.regionfailover.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.regionfailover.config.FileConfigSource;

/**
 * The settings file a running supervisor was started with, read from Linux's {@code /proc}:
 * the last {@code --config} of its command line, else {@code FAILOVER_CONFIG} in the
 * environment it started with; a relative path is taken from its working directory. So that
 * {@code region-failover reload --config A} does not say "sent" to a process that will
 * read B.
 */
final class ProcSettingsFileLookup {
  /** What the process was started with: {@code file} empty when it runs without one. */
  record StartedWith(Optional<Path> file) {
    String describe() {
      return file.map(f -> "--config " + f).orElse("no settings file");
    }
  }

  private final Path proc;

  /** Reads {@code proc} ({@code /proc} on Linux; a directory laid out like it in tests). */
  ProcSettingsFileLookup(Path proc) {
    this.proc = proc;
  }

  /** The file {@code pid} started with; empty when that cannot be told (no /proc, no access). */
  Optional<StartedWith> of(long pid) {
    Path dir = proc.resolve(Long.toString(pid));
    try {
      List<String> args = nulSeparated(dir.resolve("cmdline"));
      String given = null;
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (a.equals(SettingOptions.CONFIG) && i + 1 < args.size()) {
          given = args.get(++i);
        } else if (a.startsWith(SettingOptions.CONFIG + "=")) {
          given = a.substring(SettingOptions.CONFIG.length() + 1);
        }
      }
      if (given == null) {
        for (String v : nulSeparated(dir.resolve("environ"))) {
          if (v.startsWith(FileConfigSource.CONFIG_ENV + "=")) {
            given = v.substring(FileConfigSource.CONFIG_ENV.length() + 1);
          }
        }
      }
      if (given == null || given.isBlank()) {
        return Optional.of(new StartedWith(Optional.empty()));
      }
      Path file = Path.of(given.strip());
      if (!file.isAbsolute()) {
        file = Files.readSymbolicLink(dir.resolve("cwd")).resolve(file);
      }
      return Optional.of(new StartedWith(Optional.of(file.normalize())));
    } catch (IOException | InvalidPathException | SecurityException e) {
      return Optional.empty(); // another user's environment, or not Linux: cannot tell
    }
  }

  /** Whether {@code a} and {@code b} name one file (or both none). */
  static boolean same(Optional<Path> a, Optional<Path> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return a.isEmpty() && b.isEmpty();
    }
    try {
      return Files.isSameFile(a.get(), b.get());
    } catch (IOException e) {
      return a.get().toAbsolutePath().normalize().equals(b.get().toAbsolutePath().normalize());
    }
  }

  private static List<String> nulSeparated(Path file) throws IOException {
    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split("\0"));
  }
}
