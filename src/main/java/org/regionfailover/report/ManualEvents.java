package org.regionfailover.report;

import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Hold;

/** The events of operators' commands, holds and waiting fail-backs. */
final class ManualEvents {
  private ManualEvents() {}

  static Event command(Decision.ManualCommand c) {
    Event.Builder b = c.accepted() ? Event.warn("manual_command", c.command().by().user()
        + " from " + c.command().by().address() + ": " + c.command().name() + " accepted; "
        + c.outcome())
        : Event.warn("manual_command", c.command().by().user() + " from "
            + c.command().by().address() + ": " + c.command().name() + " refused: "
            + c.outcome());
    return b.with("user", c.command().by().user()).with("address", c.command().by().address())
        .with("command", c.command().name())
        .with("outcome", c.accepted() ? "accepted" : "refused")
        .with("reason", c.outcome()).build();
  }

  static Event move(Decision.ManualMove m) {
    return DecisionEvents.origin(Event.warn("manual_switch", "moving from " + m.from().name()
            + " to " + m.to().name() + " (" + m.to().host() + ") because " + m.by().user()
            + " asked" + (m.origin().fleet() ? " (for the fleet, epoch " + m.origin().epoch()
                + ")" : "") + (m.force() ? "; pre-flight skipped" : ""))
        .with("region", m.from().name()).with("host", m.from().host())
        .with("from_region", m.from().name()).with("to_region", m.to().name())
        .with("to_host", m.to().host()).with("user", m.by().user())
        .with("force", m.force()), m.origin()).build();
  }

  static Event holdStarted(Decision.HoldStarted h) {
    if (h.restored()) {
      return Event.warn("hold_restored", "the hold by " + h.hold().by().user() + " kept on"
              + " disk is taken up again after the restart: no automatic transition "
              + (h.duration() == null ? "until released" : "for the " + h.duration().toSeconds()
                  + " s left") + " (" + h.hold().reason() + ")")
          .with("user", h.hold().by().user()).with("reason", h.hold().reason())
          .with("duration_s", h.duration() == null ? null : h.duration().toSeconds()).build();
    }
    return Event.warn("hold_started", h.hold().by().user() + " holds the host: no automatic"
            + " transition " + (h.duration() == null ? "until released"
                : "for " + h.duration().toSeconds() + " s") + " (" + h.hold().reason() + ")")
        .with("user", h.hold().by().user()).with("reason", h.hold().reason())
        .with("duration_s", h.duration() == null ? null : h.duration().toSeconds()).build();
  }

  static Event holdEnded(Decision.HoldEnded h) {
    String how = h.by() == null ? "ran out" : "released by " + h.by().user();
    return Event.warn("hold_ended", "hold by " + h.hold().by().user() + " " + how + " after "
            + h.held().toSeconds() + " s: automatic transitions resume")
        .with("user", h.by() == null ? null : h.by().user())
        .with("held_by", h.hold().by().user()).with("expired", h.by() == null)
        .with("duration_s", h.held().toSeconds()).build();
  }

  static Event heldBack(Decision.HeldBack h) {
    Hold hold = h.hold();
    return Event.warn("transition_held", "a " + h.transition() + " from " + h.from().name()
            + " is due but " + hold.by().user() + " holds the host (" + hold.reason()
            + "); it happens when the hold ends")
        .with("region", h.from().name()).with("host", h.from().host())
        .with("transition", h.transition()).with("held_by", hold.by().user())
        .with("reason", hold.reason()).with("outage_s", DecisionEvents.seconds(h.outage()))
        .build();
  }

  static Event failbackWaiting(Decision.FailbackWaiting w) {
    return Event.warn("failback_waiting", w.to().name() + " has been up on its direct probe"
            + " for " + w.upFor().toSeconds() + " s; fail-back is manual: POST /failback to"
            + " move from " + w.from().name())
        .with("region", w.from().name()).with("to_region", w.to().name())
        .with("up_s", w.upFor().toSeconds()).build();
  }
}
