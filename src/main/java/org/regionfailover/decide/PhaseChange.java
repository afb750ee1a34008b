package org.regionfailover.decide;

import java.util.List;
import java.util.Objects;

/** What one rule did to the phase: the next phase and its decisions, in order. */
record PhaseChange(State next, List<Decision> decisions) {
  PhaseChange {
    Objects.requireNonNull(next, "next");
    decisions = List.copyOf(decisions);
  }

  /** Nothing changes. */
  static PhaseChange none(State state) {
    return new PhaseChange(state, List.of());
  }
}
