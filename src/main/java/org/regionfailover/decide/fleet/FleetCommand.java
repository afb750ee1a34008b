package org.regionfailover.decide.fleet;

import java.time.Duration;
import java.util.Objects;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Operator;

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

  /**
   * The command as a host's loop takes it, answered by the same rules. Its name is what was
   * written to ZooKeeper: read back here, at the edge, once.
   */
  public Input.Command input() {
    Operator by = new Operator(user, address);
    return switch (name) {
      case "hold" -> new Input.HoldCommand(duration, reason == null ? "" : reason, by);
      case "release" -> new Input.ReleaseCommand(by);
      default -> new Input.MoveCommand(target, force, name, by);
    };
  }
}
