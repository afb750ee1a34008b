package org.regionfailover.coordinate;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.fleet.FleetCommand;

/**
 * An operator's command given on this host, for the fleet: queued as a sequential node that
 * the decider answers and removes in one transaction (so it happens once, whichever host
 * decides), and the answer read back for the operator. Without ZooKeeper it is refused at
 * once: no host acts alone on a fleet command.
 */
public final class FleetCommands {
  private final ZooKeeperClient zk;
  private final CuratorFramework curator;
  private final String hostId;
  private final Duration wait;

  /** Waits at most {@code wait} for the decider's answer (below the status server's 5 s). */
  public FleetCommands(ZooKeeperClient zk, String hostId, Duration wait) {
    this.zk = Objects.requireNonNull(zk, "zk");
    this.curator = zk.curator();
    this.hostId = Objects.requireNonNull(hostId, "hostId");
    this.wait = Objects.requireNonNull(wait, "wait");
  }

  /** Queues {@code command} and completes with the decider's answer, off the caller's thread. */
  public CompletableFuture<Decision.ManualCommand> submit(Input.Command command) {
    // A thread per command (they are rare), not the common pool: a queueing on a session
    // about to be suspended can retry for minutes and must not hold up anything else.
    return CompletableFuture.supplyAsync(() -> answer(command), r -> {
      Thread t = new Thread(r, "fleet-command");
      t.setDaemon(true);
      t.start();
    });
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
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() - deadline < 0) {
      try {
        byte[] data = curator.getData().forPath(ClusterPaths.result(node));
        FleetJson.Answer a = FleetJson.answer(data);
        curator.delete().quietly().forPath(ClusterPaths.result(node));
        return new Decision.ManualCommand(command, a.accepted(), a.outcome()
            + (a.epoch() >= 0 ? " (fleet epoch " + a.epoch() + ")" : "") + " [fleet]");
      } catch (KeeperException.NoNodeException e) {
        sleep();
      } catch (Exception e) {
        sleep();
      }
    }
    return new Decision.ManualCommand(command, false, "queued for the fleet as " + node
        + " but no decider answered within " + wait.toSeconds() + " s; it is carried out"
        + " once when a decider takes it");
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

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
