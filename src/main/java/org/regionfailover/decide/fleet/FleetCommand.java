package org.regionfailover.decide.fleet;

import java.time.Duration;
import java.util.Objects;

/**
 * An operator's command given on one host, for the fleet: {@code move} (to {@code target},
 * {@code force} skipping pre-flight), {@code hold} (for {@code duration}, null: until
 * released, because {@code reason}) or {@code release}. {@code id} makes it happen once.
 */
public record FleetCommand(String id, String name, int target, boolean force,
    Duration duration, String reason, String user, String address, String host) {
  public FleetCommand {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(host, "host");
  }

  /** Whether this moves the fleet (a fail-back or a move to a named region). */
  public boolean move() {
    return target >= 0;
  }
}
