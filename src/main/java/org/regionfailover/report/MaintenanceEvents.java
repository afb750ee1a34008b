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

  static Event notice(Decision.MaintenanceNotice n) {
    MaintenanceWindow w = n.window();
    String what = switch (n.kind()) {
      case SCHEDULED -> "maintenance of " + n.region().name() + " scheduled from " + w.start()
          + " to " + w.end() + " (" + w.reason() + "), " + n.detail();
      case CANCELLED -> "maintenance of " + n.region().name() + " from " + w.start()
          + " cancelled: " + n.detail();
      case MOVE_BLOCKED -> "the host should leave " + n.region().name() + " before its"
          + " maintenance from " + w.start() + " but cannot: " + n.detail();
      case STARTED -> "maintenance of " + n.region().name() + " started, " + n.detail()
          + " (" + w.reason() + "): it is no target until then";
      case ENDED -> "maintenance of " + n.region().name() + " ended; " + n.detail();
    };
    Event.Builder b = n.kind() == Decision.MaintenanceNotice.Kind.MOVE_BLOCKED
        ? Event.error(n.kind().event(), what) : Event.warn(n.kind().event(), what);
    return window(b, w).with("detail", n.detail()).build();
  }

  private static Event.Builder window(Event.Builder b, MaintenanceWindow w) {
    return b.with("region", w.region()).with("window_id", w.id())
        .with("window_start", w.start().toString()).with("window_end", w.end().toString())
        .with("reason", w.reason());
  }
}
