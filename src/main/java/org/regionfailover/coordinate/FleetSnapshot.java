package org.regionfailover.coordinate;

import java.util.List;
import java.util.Objects;
import org.regionfailover.decide.fleet.FleetHold;
import org.regionfailover.decide.fleet.SeenView;

/**
 * The fleet as ZooKeeper held it at {@code readAtMillis} (wall clock), for the status page:
 * the live hosts' views with when each was written, the decider the election names
 * ({@code ""}: none elected), the fleet's hold (null: none; wall-clock nanoseconds) and its
 * past transitions ({@code history}, wall-clock nanoseconds, as the budget counts them).
 */
public record FleetSnapshot(List<SeenView> views, String decider, FleetHold hold,
    long[] history, long readAtMillis) {
  public FleetSnapshot {
    views = List.copyOf(views);
    Objects.requireNonNull(decider, "decider");
    history = history.clone();
  }

  @Override
  public long[] history() {
    return history.clone();
  }
}
