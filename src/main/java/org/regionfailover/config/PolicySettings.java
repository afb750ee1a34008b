package org.regionfailover.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The tunable rules, validated: the interval and outage threshold, the direct probes'
 * cadence, the intermittent failure ratio, fail-back, the failover budget, the latency
 * band and how the applications' traffic counts. Cross-setting rules are checked with the settings' names where they are read.
 */
public record PolicySettings(Duration interval, Duration threshold, Duration regionInterval,
    double failureRatio, FailbackMode failback, Duration failbackAfter, int maxTransitions,
    Duration transitionWindow, Duration latencyEnter, Duration latencyExit,
    TrafficRules traffic) {
  public PolicySettings {
    Objects.requireNonNull(traffic, "traffic");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(threshold, "threshold");
    Objects.requireNonNull(regionInterval, "regionInterval");
    Objects.requireNonNull(failback, "failback");
    Objects.requireNonNull(failbackAfter, "failbackAfter");
    Objects.requireNonNull(transitionWindow, "transitionWindow");
  }

  /** Without traffic evidence (issue 27's rules off). */
  public PolicySettings(Duration interval, Duration threshold, Duration regionInterval,
      double failureRatio, FailbackMode failback, Duration failbackAfter, int maxTransitions,
      Duration transitionWindow, Duration latencyEnter, Duration latencyExit) {
    this(interval, threshold, regionInterval, failureRatio, failback, failbackAfter,
        maxTransitions, transitionWindow, latencyEnter, latencyExit, TrafficRules.OFF);
  }

  /** These rules with {@code next} traffic rules. */
  public PolicySettings withTraffic(TrafficRules next) {
    return new PolicySettings(interval, threshold, regionInterval, failureRatio, failback,
        failbackAfter, maxTransitions, transitionWindow, latencyEnter, latencyExit, next);
  }

  /**
   * The continuous rule alone: no intermittent ratio, no fail-back, no budget, no latency
   * band, as before the regions could be seen.
   */
  public static PolicySettings continuousOnly(Duration interval, Duration threshold,
      Duration regionInterval) {
    return new PolicySettings(interval, threshold, regionInterval, 1.0, FailbackMode.OFF,
        regionInterval, 0, Duration.ZERO, null, null);
  }
}
