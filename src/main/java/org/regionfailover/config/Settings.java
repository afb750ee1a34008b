package org.regionfailover.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated configuration of one supervisor run. Cross-field rules live here so that
 * no combination the supervisor cannot honour gets past start-up.
 */
public record Settings(
    FailoverList failoverList,
    Optional<Region> preferred,
    ProbeSettings probe,
    Duration interval,
    Duration outageThreshold,
    Path envFile,
    boolean dryRun) {

  public Settings {
    Objects.requireNonNull(failoverList, "failoverList");
    Objects.requireNonNull(preferred, "preferred");
    Objects.requireNonNull(probe, "probe");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(outageThreshold, "outageThreshold");
    Objects.requireNonNull(envFile, "envFile");
    preferred.ifPresent(p -> {
      if (!failoverList.regions().contains(p)) {
        throw new IllegalArgumentException("preferred region " + p + " is not in the list");
      }
    });
    // A timeout as long as the interval would let probes overlap, and the loop fall behind.
    if (probe.timeout().compareTo(interval) >= 0) {
      throw ConfigException.badValue(Setting.PROBE_TIMEOUT.label(),
          DurationParser.text(probe.timeout()), "it must be below the interval "
              + DurationParser.text(interval) + " (" + Setting.INTERVAL.label() + ")");
    }
    // Below one interval the "outage" would be a single failed probe: exactly the
    // spurious failover on one timed-out check that we design against.
    if (outageThreshold.compareTo(interval) < 0) {
      throw ConfigException.badValue(Setting.OUTAGE_THRESHOLD.label(),
          DurationParser.text(outageThreshold), "it must be at least the interval "
              + DurationParser.text(interval) + " (" + Setting.INTERVAL.label() + ")");
    }
  }

  /** The failover order: the preferred region first, then the rest in list order. */
  public List<Region> order() {
    return failoverList.orderFrom(preferred);
  }
}
