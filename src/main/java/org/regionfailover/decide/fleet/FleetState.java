package org.regionfailover.decide.fleet;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the decider knows besides the views: the fleet's region ({@code active}, index in the
 * order), the fleet's transitions in the budget's window ({@code history}, wall-clock
 * nanoseconds, oldest first; kept in ZooKeeper so a new decider inherits them), since when
 * each region has been up for the fleet ({@code upSince}, {@link #NEVER}: not up), an
 * operator's hold (null: none) and the last refusal reported ({@code reported}), so it is
 * reported once.
 */
public record FleetState(int active, long[] history, long[] upSince, FleetHold hold,
    String reported) {
  public static final long NEVER = Long.MIN_VALUE;

  public FleetState {
    Objects.requireNonNull(history, "history");
    Objects.requireNonNull(upSince, "upSince");
    history = history.clone();
    upSince = upSince.clone();
    if (active < 0 || active >= upSince.length) {
      throw new IllegalArgumentException("no region " + active);
    }
  }

  /** The fleet on {@code active} of {@code regions}, with {@code history} and {@code hold}. */
  public static FleetState of(int active, int regions, long[] history, FleetHold hold) {
    long[] up = new long[regions];
    Arrays.fill(up, NEVER);
    return new FleetState(active, history, up, hold, null);
  }

  @Override
  public long[] history() {
    return history.clone();
  }

  @Override
  public long[] upSince() {
    return upSince.clone();
  }

  FleetState moved(int target, long[] nextHistory) {
    return new FleetState(target, nextHistory, upSince, hold, null);
  }

  FleetState upSince(long[] next) {
    return new FleetState(active, history, next, hold, reported);
  }

  FleetState reported(String next) {
    return Objects.equals(next, reported) ? this
        : new FleetState(active, history, upSince, hold, next);
  }

  FleetState hold(FleetHold next) {
    return new FleetState(active, history, upSince, next, reported);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FleetState s && active == s.active && Arrays.equals(history, s.history)
        && Arrays.equals(upSince, s.upSince) && Objects.equals(hold, s.hold)
        && Objects.equals(reported, s.reported);
  }

  @Override
  public int hashCode() {
    return Objects.hash(active, Arrays.hashCode(history), Arrays.hashCode(upSince), hold,
        reported);
  }

  @Override
  public String toString() {
    return "FleetState[active=" + active + ", history=" + Arrays.toString(history) + ", hold="
        + hold + ", reported=" + reported + "]";
  }
}
