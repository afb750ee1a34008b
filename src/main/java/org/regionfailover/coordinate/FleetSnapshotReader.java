package org.regionfailover.coordinate;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.regionfailover.decide.fleet.FleetHold;

/**
 * Reads the fleet for the status page on its own thread, so that a request never waits on
 * ZooKeeper longer than it is willing to: a read on a suspended session retries for
 * minutes, and {@code /status} must answer during exactly that outage. A snapshot younger
 * than {@code fresh} is reused (any number of open pages cost one read per {@code fresh});
 * without ZooKeeper the last one is returned as it is, with its age.
 */
public final class FleetSnapshotReader implements AutoCloseable {
  private final ZooKeeperClient zk;
  private final Decider decider;
  private final Clock clock;
  private final Duration fresh;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "fleet-status-read");
    t.setDaemon(true);
    return t;
  });
  private volatile FleetSnapshot last;
  /** Guarded by this. */
  private Future<?> reading;

  public FleetSnapshotReader(ZooKeeperClient zk, Decider decider, Clock clock,
      Duration fresh) {
    this.zk = Objects.requireNonNull(zk, "zk");
    this.decider = Objects.requireNonNull(decider, "decider");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.fresh = Objects.requireNonNull(fresh, "fresh");
  }

  /**
   * The newest snapshot, reading a new one first when the last is older than {@code fresh}
   * and ZooKeeper is connected, waiting for it at most {@code wait} (empty: none read yet).
   */
  public Optional<FleetSnapshot> snapshot(Duration wait) {
    Future<?> f;
    synchronized (this) {
      FleetSnapshot l = last;
      if (!zk.connected() || l != null && clock.millis() - l.readAtMillis() < fresh.toMillis()) {
        return Optional.ofNullable(l);
      }
      if (reading == null || reading.isDone()) {
        reading = thread.submit(this::read);
      }
      f = reading;
    }
    try {
      f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // still reading, or the read failed: the last snapshot, with its age, is the answer
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.ofNullable(last);
  }

  private Void read() throws Exception {
    long at = clock.millis();
    var views = FleetReads.views(zk.curator(), null);
    String leader = decider.leaderId();
    FleetJson.Persisted state = FleetReads.fleetState(zk.curator(), null);
    FleetHold h = state.holdMillis();
    FleetHold hold = h == null ? null : new FleetHold(h.user(), h.reason(),
        h.since() * 1_000_000L, h.until() * 1_000_000L);
    long[] history = java.util.Arrays.stream(state.historyMillis()).map(t -> t * 1_000_000L)
        .toArray();
    last = new FleetSnapshot(views, leader, hold, history, at);
    return null;
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
