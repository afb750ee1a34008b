package org.regionfailover.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Planned maintenance (issue 28): the file of windows, as given ({@code --maintenance-file};
 * empty: the default place, resolved where the process is assembled, beside the settings
 * file or else the env file), and how long before a window a host on its region moves.
 */
public record MaintenanceSettings(Optional<Path> file, Duration lead) {
  public static final MaintenanceSettings DEFAULT =
      new MaintenanceSettings(Optional.empty(), Duration.ofMinutes(10));

  public MaintenanceSettings {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(lead, "lead");
  }
}
