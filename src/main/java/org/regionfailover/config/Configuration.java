package org.regionfailover.config;

import java.util.Objects;

/**
 * Everything a run is configured with, loaded once and immutable. The rules that tie one
 * setting to another live here, each checked only when both settings are in force: a
 * fail-back that is off has no delay to compare with the region interval.
 */
public record Configuration(Settings settings, RegionProbeSettings regionProbe,
    PolicySettings policy, SupervisorSettings supervisor, DatadogSettings datadog,
    ListenerSettings listener, CoordinationSettings coordination, TrafficSettings traffic) {
  public Configuration {
    Objects.requireNonNull(traffic, "traffic");
    Objects.requireNonNull(supervisor, "supervisor");
    Objects.requireNonNull(datadog, "datadog");
    Objects.requireNonNull(listener, "listener");
    // settings, regionProbe, policy and coordination are read below: null fails there.
    String interval = " the interval " + settings.interval() + " (" + Setting.INTERVAL.label() + ")";
    // At least the probe interval: watching every region directly more often than the
    // active one through the chain would cost more than it tells. (The probe timeout, below
    // the interval, is then below the region interval too.)
    if (regionProbe.interval().compareTo(settings.interval()) < 0) {
      throw ConfigException.badValue(Setting.REGION_INTERVAL.label(),
          DurationParser.text(regionProbe.interval()), "it must be at least" + interval);
    }
    if (policy.failback() != FailbackMode.OFF
        && policy.failbackAfter().compareTo(regionProbe.interval()) < 0) {
      throw ConfigException.badValue(Setting.FAILBACK_AFTER.label(),
          DurationParser.text(policy.failbackAfter()), "it must be at least the region"
              + " interval " + regionProbe.interval() + " (" + Setting.REGION_INTERVAL.label()
              + "): health is only seen that often");
    }
    if (policy.failback() == FailbackMode.AUTO && policy.maxTransitions() == 1) {
      throw ConfigException.badValue(Setting.MAX_TRANSITIONS.label() + " / "
              + Setting.FAILBACK.label(), "1/" + DurationParser.text(policy.transitionWindow()),
          "with fail-back on, a failover and its fail-back are two transitions: allow at"
              + " least 2, or set " + Setting.FAILBACK.label() + " off");
    }
    if (coordination.enabled() && coordination.sessionTimeout().compareTo(settings.interval()) <= 0) {
      throw new ConfigException(Setting.SESSION_TIMEOUT.label() + " / " + Setting.INTERVAL.label(),
          "the session timeout " + coordination.sessionTimeout() + " must exceed the interval "
              + settings.interval() + ": a host publishes its view and checks its lease once per interval");
    }
  }
}
