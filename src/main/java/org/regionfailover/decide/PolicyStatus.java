package org.regionfailover.decide;

import java.time.Duration;
import org.regionfailover.config.FailbackMode;

/**
 * What the rules make of a state at a given time, for people: the failover budget and the
 * fail-back to come. Computed by the policy, so the status shows exactly what it would do.
 */
public final class PolicyStatus {
  private PolicyStatus() {}

  /**
   * {@code used} of {@code max} transitions in the last {@code window} ({@code max} 0: no
   * limit); when none is left, a slot frees in {@code freeIn} (else null).
   */
  public record Budget(int used, int max, Duration window, Duration freeIn) {}

  /**
   * The fail-back {@code mode}; the region a fail-back would go to ({@code target}, -1:
   * none); in auto mode, in how long it happens ({@code in}, null when none is coming); in
   * manual mode, whether it waits for an operator ({@code waiting}).
   */
  public record Failback(FailbackMode mode, int target, Duration in, boolean waiting) {}
}
