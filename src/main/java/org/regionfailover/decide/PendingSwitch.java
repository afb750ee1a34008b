package org.regionfailover.decide;

import java.util.Objects;

/**
 * A move decided and not yet made (issue 28): it waits for the pre-switch hook's answer.
 * Nothing of the move has happened: the env file is untouched and the budget not charged
 * until the answer allows it; the phase stays where it was (an outage clock keeps running).
 * {@code id} tells its answer from one to a request given up before (stale); {@code move}
 * is the decision as made ({@link Decision.FailOver}, {@link Decision.FailBack},
 * {@link Decision.ManualMove} or {@link Decision.PlannedMove}) from region {@code from} to {@code target}, carried out as it
 * is when allowed; {@code since}: when it was decided.
 */
public record PendingSwitch(long id, Decision move, int from, int target, Kind kind,
    long since) {
  /** Which rule decided the move: each is given up on its own terms while it waits. */
  public enum Kind {
    FAILOVER, FAILBACK, MANUAL, PLANNED;

    /**
     * As the events name the transition ({@code failover}, {@code failback}, {@code manual},
     * and {@code maintenance} for a planned move, as the metrics name it).
     */
    public String label() {
      return this == PLANNED ? "maintenance" : name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public PendingSwitch {
    Objects.requireNonNull(move, "move");
    Objects.requireNonNull(kind, "kind");
  }
}
