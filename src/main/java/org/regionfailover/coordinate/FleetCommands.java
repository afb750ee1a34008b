package org.regionfailover.coordinate;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.fleet.FleetCommand;
import org.regionfailover.time.NamedThreads;
import org.regionfailover.time.Ticker;

/**
 * An operator's command given on this host, for the fleet: queued as a sequential node that
 * the decider answers and removes in one transaction (so it happens once, whichever host
 * decides), and the answer read back for the operator. Without ZooKeeper it is refused at
 * once: no host acts alone on a fleet command.
 */
public final class FleetCommands {
  private static final Duration LOOK_AGAIN = Duration.ofMillis(100);

  private final ZooKeeperClient zk;
  private final CuratorFramework curator;
  private final String hostId;
  private final Duration wait;
  private final Ticker ticker;

  /**
   * Waits at most {@code wait}, measured on {@code ticker}, for the decider's answer (below
   * the status server's 5 s).
   */
  public FleetCommands(ZooKeeperClient zk, String hostId, Duration wait, Ticker ticker) {
    this.zk = Objects.requireNonNull(zk, "zk");
    this.curator = zk.curator();
    this.hostId = Objects.requireNonNull(hostId, "hostId");
    this.wait = Objects.requireNonNull(wait, "wait");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /** Queues {@code command} and completes with the decider's answer, off the caller's thread. */
  public CompletableFuture<Decision.ManualCommand> submit(Input.Command command) {
    // A thread per command (they are rare), not the common pool: a queueing on a session
    // about to be suspended can retry for minutes and must not hold up anything else.
    return CompletableFuture.supplyAsync(() -> answer(command),
        r -> NamedThreads.daemon("fleet-command", r).start());
  }

  private Decision.ManualCommand answer(Input.Command command) {
    if (!zk.connected()) {
      return new Decision.ManualCommand(command, false, "ZooKeeper is unreachable from this"
          + " host: the fleet cannot take commands now (nothing was changed)");
    }
    FleetCommand c = fleetCommand(command);
    String node;
    try {
      String path = curator.create().withMode(CreateMode.PERSISTENT_SEQUENTIAL)
          .forPath(ClusterPaths.COMMANDS + "/cmd-", FleetJson.command(c));
      node = path.substring(path.lastIndexOf('/') + 1);
    } catch (Exception e) {
      return new Decision.ManualCommand(command, false, "could not queue the command in"
          + " ZooKeeper (" + e.getClass().getSimpleName() + "); nothing was changed");
    }
    Optional<FleetJson.Answer> a = awaitAnswer(ClusterPaths.result(node));
    if (a.isPresent()) {
      return new Decision.ManualCommand(command, a.get().accepted(), a.get().outcome()
          + (a.get().epoch() >= 0 ? " (fleet epoch " + a.get().epoch() + ")" : "") + " [fleet]");
    }
    return new Decision.ManualCommand(command, false, "queued for the fleet as " + node
        + " but no decider answered within " + wait.toSeconds() + " s; it is carried out"
        + " once when a decider takes it");
  }

  /**
   * The decider's answer at {@code path}, read and removed, or empty when none came in time.
   * A watch wakes the wait when the answer is written; a look that fails (ZooKeeper
   * suspended) is tried again after {@link #LOOK_AGAIN}, until the deadline.
   */
  private Optional<FleetJson.Answer> awaitAnswer(String path) {
    long deadline = ticker.read() + wait.toNanos();
    while (true) {
      CountDownLatch written = new CountDownLatch(1);
      long nap = LOOK_AGAIN.toNanos();
      try {
        // Not asked while disconnected: Curator would retry the look for minutes, past the
        // deadline, and hold this thread.
        if (!zk.connected()) {
          throw new IllegalStateException("ZooKeeper disconnected");
        }
        if (curator.checkExists().usingWatcher((CuratorWatcher) e -> written.countDown())
            .forPath(path) != null) {
          FleetJson.Answer a = FleetJson.answer(curator.getData().forPath(path));
          curator.delete().quietly().forPath(path);
          return Optional.of(a);
        }
        nap = Long.MAX_VALUE; // the watch says when it is written (or the connection changes)
      } catch (Exception e) {
        // ZooKeeper suspended, or a half-written answer: look again shortly.
      }
      long left = deadline - ticker.read();
      if (left <= 0) {
        return Optional.empty();
      }
      try {
        written.await(Math.min(left, nap), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  private FleetCommand fleetCommand(Input.Command command) {
    String id = UUID.randomUUID().toString();
    String user = command.by().user();
    String address = command.by().address();
    if (command instanceof Input.MoveCommand m) {
      return new FleetCommand(id, m.name(), m.target(), m.force(), null, null, user, address,
          hostId);
    }
    if (command instanceof Input.HoldCommand h) {
      return new FleetCommand(id, "hold", -1, false, h.duration(), h.reason(), user, address,
          hostId);
    }
    return new FleetCommand(id, "release", -1, false, null, null, user, address, hostId);
  }

}
