package org.regionfailover.decide.fleet;

import java.util.Objects;

/**
 * An operator's hold on the whole fleet: no automatic fleet transition until {@code until}
 * (wall-clock nanoseconds; 0: until released), by {@code user} because {@code reason}.
 */
public record FleetHold(String user, String reason, long since, long until) {
  public FleetHold {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(reason, "reason");
  }

  /** Whether the hold has run out at {@code now}. */
  public boolean expired(long now) {
    return until != 0 && now - until >= 0;
  }
}
