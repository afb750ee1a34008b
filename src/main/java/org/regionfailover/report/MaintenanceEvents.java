package org.regionfailover.report;

import org.regionfailover.config.MaintenanceWindow;
import org.regionfailover.decide.Decision;

/** The events of planned maintenance: the windows and the moves ahead of them. */
final class MaintenanceEvents {
  private MaintenanceEvents() {}

  static Event move(Decision.PlannedMove m) {
    MaintenanceWindow w = m.window();
    return DecisionEvents.origin(window(Event.warn("maintenance_move", "moving from "
            + m.from().name() + " to " + m.to().name() + " (" + m.to().host() + ") ahead of"
            + " the maintenance of " + m.from().name() + " from " + w.start() + " to " + w.end()
            + " (" + w.reason() + ")" + (m.skipped().isEmpty() ? ""
                : "; passed over " + String.join("; ", m.skipped()))), w)
        .with("host", m.from().host())
        .with("from_region", m.from().name()).with("to_region", m.to().name())
        .with("to_host", m.to().host()).with("skipped", m.skipped()), m.origin()).build();
  }

  /** Each event's name is spelled out: the runbook's test finds them in the code. */
  static Event notice(Decision.MaintenanceNotice n) {
    MaintenanceWindow w = n.window();
    String region = n.region().name();
    Event.Builder b = switch (n.kind()) {
      case SCHEDULED -> Event.warn("maintenance_scheduled", "maintenance of " + region
          + " scheduled from " + w.start() + " to " + w.end() + " (" + w.reason() + "), "
          + n.detail());
      case CANCELLED -> Event.warn("maintenance_cancelled", "maintenance of " + region
          + " from " + w.start() + " cancelled: " + n.detail());
      case MOVE_BLOCKED -> Event.error("maintenance_move_blocked", "the host should leave "
          + region + " before its maintenance from " + w.start() + " but cannot: "
          + n.detail());
      case STARTED -> Event.warn("maintenance_started", "maintenance of " + region
          + " started, " + n.detail() + " (" + w.reason() + "): it is no target until then");
      case ENDED -> Event.warn("maintenance_ended", "maintenance of " + region + " ended; "
          + n.detail());
    };
    return window(b, w).with("detail", n.detail()).build();
  }

  private static Event.Builder window(Event.Builder b, MaintenanceWindow w) {
    return b.with("region", w.region()).with("window_id", w.id())
        .with("window_start", w.start().toString()).with("window_end", w.end().toString())
        .with("reason", w.reason());
  }
}
