package org.regionfailover.decide;

import java.util.List;
import java.util.Objects;

/** The result of one decide step: the next state and what to report or do, in order. */
public record Transition(PolicyState next, List<Decision> decisions) {
  public Transition {
    Objects.requireNonNull(next, "next");
    decisions = List.copyOf(decisions);
  }
}
