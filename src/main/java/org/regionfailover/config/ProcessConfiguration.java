package org.regionfailover.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one process runs with, loaded once and immutable: its failover sets, in name
 * order (one, {@link SetConfiguration#DEFAULT}, without a sets directory), and the files it
 * was read from ({@code file}: the settings file, {@code setsDir}: the sets directory), which
 * a reload reads again.
 */
public record ProcessConfiguration(List<SetConfiguration> sets, Optional<Path> file,
    Optional<Path> setsDir) {
  public ProcessConfiguration {
    sets = List.copyOf(sets);
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(setsDir, "setsDir");
    if (sets.isEmpty()) {
      throw new IllegalArgumentException("a process runs at least one set");
    }
  }

  /** One set, {@link SetConfiguration#DEFAULT}, from flags and the environment alone. */
  public static ProcessConfiguration single(SetConfiguration set) {
    return new ProcessConfiguration(List.of(set), Optional.empty(), Optional.empty());
  }

  /**
   * The process-wide parts (listener, Datadog, supervisord's URL and credentials,
   * coordination): the same in every set, read from the first.
   */
  public Configuration main() {
    return sets.get(0).config();
  }

  /** The set called {@code name}, if any. */
  public Optional<SetConfiguration> set(String name) {
    return sets.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** Whether this process runs sets from a sets directory (not just the default set). */
  public boolean multiSet() {
    return setsDir.isPresent();
  }
}
