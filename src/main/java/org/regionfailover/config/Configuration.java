package org.regionfailover.config;

import java.util.Objects;

/**
 * Everything a run is configured with, loaded once and immutable. The rules that tie one
 * setting to another live here, each checked only when both settings are in force: a
 * fail-back that is off has no delay to compare with the region interval.
 */
public record Configuration(Settings settings, RegionProbeSettings regionProbe,
    PolicySettings policy, SupervisorSettings supervisor, DatadogSettings datadog,
    ListenerSettings listener, CoordinationSettings coordination, TrafficSettings traffic,
    HookSettings hooks, MaintenanceSettings maintenance) {
  public Configuration {
    Objects.requireNonNull(traffic, "traffic");
    Objects.requireNonNull(hooks, "hooks");
    Objects.requireNonNull(maintenance, "maintenance");
    Objects.requireNonNull(supervisor, "supervisor");
    Objects.requireNonNull(datadog, "datadog");
    Objects.requireNonNull(listener, "listener");
    // settings, regionProbe, policy and coordination are read below: null fails there.
    String interval = " the interval " + DurationParser.text(settings.interval()) + " (" + Setting.INTERVAL.label() + ")";
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
              + " interval " + DurationParser.text(regionProbe.interval()) + " (" + Setting.REGION_INTERVAL.label()
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
          "the session timeout " + DurationParser.text(coordination.sessionTimeout())
              + " must exceed the interval " + DurationParser.text(settings.interval()) + ": a host publishes its view and checks its lease once per interval");
    }
    // The switch waits for the pre-switch hook while the region is down: a gate that may
    // hold it for longer than a third of the threshold turns a 4-minute outage into 5+.
    if (hooks.preSwitch().isPresent()
        && hooks.timeout().multipliedBy(3).compareTo(policy.threshold()) > 0) {
      throw ConfigException.badValue(Setting.HOOK_TIMEOUT.label() + " / "
              + Setting.OUTAGE_THRESHOLD.label(), DurationParser.text(hooks.timeout()),
          "with " + Setting.HOOK_PRE_SWITCH.flag() + " it must be at most a third of the outage"
              + " threshold " + DurationParser.text(policy.threshold()) + ", i.e. "
              + DurationParser.text(policy.threshold().dividedBy(3)));
    }
  }

  /** This configuration with other hooks and maintenance (a reload keeps what needs a restart). */
  public Configuration with(HookSettings hooks, MaintenanceSettings maintenance) {
    return new Configuration(settings, regionProbe, policy, supervisor, datadog, listener,
        coordination, traffic, hooks, maintenance);
  }
}
