package org.regionfailover.status;

import java.util.List;
import org.regionfailover.config.Region;
import org.regionfailover.decide.State;

/**
 * The phase of the decide stage in words: its name ({@code watching}, {@code down},
 * {@code switching}, {@code restarting} (repair in place), {@code starting},
 * {@code repairing} (the stack)), why, since when (ticker nanoseconds; MIN_VALUE: from the
 * moment it is first seen) and a key that changes whenever the phase does.
 */
record PhaseView(String name, String reason, long since, String key) {
  static PhaseView of(State phase, List<Region> order) {
    String active = order.get(phase.active()).name();
    if (phase instanceof State.Down d) {
      return new PhaseView("down", active + " fails through the local chain ("
          + d.failures() + " failed probe(s)): " + d.reason(), d.since(), "down" + d.since());
    }
    if (phase instanceof State.Switching s && s.startup()) {
      return new PhaseView("starting", "starting the stack on " + active, s.startedAt(),
          "start" + s.startedAt());
    }
    if (phase instanceof State.Switching s && s.inPlace()) {
      return new PhaseView("restarting", "restarting the stack on " + active
          + " (repair in place)", s.startedAt(), "restart" + s.startedAt());
    }
    if (phase instanceof State.Switching s) {
      return new PhaseView("switching", "moving from " + active + " to "
          + order.get(s.target()).name(), s.startedAt(), "switch" + s.startedAt());
    }
    if (phase instanceof State.Repairing r) {
      return new PhaseView("repairing", "the stack on " + active + " is being repaired: "
          + r.reason(), r.since(), "repair" + r.since());
    }
    return new PhaseView("watching", "watching " + active, Long.MIN_VALUE,
        "watching" + phase.active());
  }
}
