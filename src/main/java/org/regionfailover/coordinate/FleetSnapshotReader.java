package org.regionfailover.coordinate;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.regionfailover.decide.fleet.FleetHold;

/**
 * Reads the fleet for the status page through a {@link BoundedRead}: the hosts' views, the
 * decider and the fleet's state, at most once per {@code fresh}; a request waits at most
 * what it asks for and otherwise gets the last read, with its time.
 */
public final class FleetSnapshotReader implements AutoCloseable {
  private final ZooKeeperClient zk;
  private final Decider decider;
  private final Clock clock;
  private final BoundedRead<FleetSnapshot> reads;

  public FleetSnapshotReader(ZooKeeperClient zk, Decider decider, Clock clock,
      Duration fresh) {
    this.zk = Objects.requireNonNull(zk, "zk");
    this.decider = Objects.requireNonNull(decider, "decider");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.reads = new BoundedRead<>("fleet-status-read", zk, this::read, clock, fresh);
  }

  /** The newest snapshot, waiting at most {@code wait} for a new read (empty: none yet). */
  public Optional<FleetSnapshot> snapshot(Duration wait) {
    return reads.get(wait);
  }

  private FleetSnapshot read() throws Exception {
    long at = clock.millis();
    var views = FleetReads.views(zk.curator(), null);
    String leader = decider.leaderId();
    FleetJson.Persisted state = FleetReads.fleetState(zk.curator(), null);
    FleetHold h = state.holdMillis();
    FleetHold hold = h == null ? null : new FleetHold(h.user(), h.reason(),
        h.since() * 1_000_000L, h.until() * 1_000_000L);
    long[] history = Arrays.stream(state.historyMillis()).map(t -> t * 1_000_000L).toArray();
    return new FleetSnapshot(views, leader, hold, history, at);
  }

  @Override
  public void close() {
    reads.close();
  }
}
