package org.regionfailover.decide.fleet;

import java.util.Map;
import java.util.Objects;
import org.regionfailover.decide.RegionView.Health;

/**
 * What one host publishes to the fleet: the region it is on, its phase ({@code watching},
 * {@code down}, {@code switching}, {@code repairing}), how long its chain had failed when it
 * published ({@code downForMillis}, -1: up), each region's direct health as it sees it, and
 * the last fleet epoch it applied (-1: none).
 */
public record HostView(String host, String region, String phase, long downForMillis,
    Map<String, Health> direct, long appliedEpoch) {
  public HostView {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(phase, "phase");
    direct = Map.copyOf(direct);
  }

  /** Whether the chain was failing when this was published. */
  public boolean down() {
    return downForMillis >= 0;
  }

  /** The same view but for when it was measured: equal views are not published again. */
  public boolean sameAs(HostView other) {
    return other != null && host.equals(other.host) && region.equals(other.region)
        && phase.equals(other.phase) && down() == other.down() && direct.equals(other.direct)
        && appliedEpoch == other.appliedEpoch;
  }
}
