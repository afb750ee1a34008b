package org.regionfailover.coordinate.standby;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.regionfailover.coordinate.ClusterPaths;
import org.regionfailover.coordinate.ZooKeeperClient;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.NamedThreads;

/**
 * Active/standby: one host of the cluster holds the lease (a Curator leader latch) and runs
 * the stack; the others keep it stopped. A host that gains the lease bumps the lease epoch
 * in a transaction that checks its own latch node (the fencing epoch), waits the takeover
 * delay (time for a leader that lost its session to finish stopping its stack), and
 * starts. A host that loses the lease, or whose connection is merely suspended, stops its
 * stack at once: before its session can expire and another host can start.
 */
public final class StandbyLease implements AutoCloseable {
  /** What the lease guards: the stack. Both calls run on the lease's own threads. */
  public interface Holder {
    /** This host leads at {@code epoch}: start the stack. Interrupted when fenced. */
    void lead(int epoch) throws InterruptedException;

    /** Stop the stack now, because of {@code why}; must not throw. */
    void fence(String why);
  }

  private final ZooKeeperClient zk;
  private final CuratorFramework curator;
  private final String hostId;
  private final Duration takeoverDelay;
  private final Holder holder;
  private final EventLog log;
  private final Object stackLock = new Object();
  /** Moves at every fence: a lead that began before one gives up. */
  private final AtomicLong generation = new AtomicLong();
  private volatile LeaderLatch latch;
  private volatile Thread leadThread;
  private volatile boolean leading;
  private volatile int epoch = -1;
  private volatile boolean closed;

  public StandbyLease(ZooKeeperClient zk, String hostId, Duration takeoverDelay, Holder holder,
      EventLog log) {
    this.zk = Objects.requireNonNull(zk, "zk");
    this.curator = zk.curator();
    this.hostId = Objects.requireNonNull(hostId, "hostId");
    this.takeoverDelay = Objects.requireNonNull(takeoverDelay, "takeoverDelay");
    this.holder = Objects.requireNonNull(holder, "holder");
    this.log = Objects.requireNonNull(log, "log");
    zk.onConnectedChange(up -> {
      if (!up) {
        fence("ZooKeeper connection suspended: the session may expire and another host take"
            + " the lease");
      } else if (latch != null && latch.hasLeadership()) {
        acquireLater();
      }
    });
  }

  /** Joins the election. */
  public void start() {
    join();
  }

  private void join() {
    LeaderLatch l = new LeaderLatch(curator, ClusterPaths.LEASE, hostId);
    l.addListener(new LeaderLatchListener() {
      @Override
      public void isLeader() {
        acquireLater();
      }

      @Override
      public void notLeader() {
        fence("lost the lease");
      }
    });
    latch = l;
    try {
      l.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot join the lease election: " + e, e);
    }
  }

  private void acquireLater() {
    long gen = generation.get();
    NamedThreads.daemon("lease-acquire", () -> acquire(gen)).start();
  }

  private void acquire(long gen) {
    synchronized (stackLock) {
      if (leading || closed || gen != generation.get()) {
        return;
      }
      leadThread = Thread.currentThread();
      try {
        Thread.sleep(takeoverDelay.toMillis());
        LeaderLatch l = latch;
        if (gen != generation.get() || !zk.connected() || !l.hasLeadership()) {
          return;
        }
        int e = bump(l);
        epoch = e;
        leading = true;
        log.emit(Event.warn("became_leader", hostId + " holds the lease at epoch " + e
                + ": starting the stack")
            .with("host_id", hostId).with("epoch", e));
        holder.lead(e);
      } catch (InterruptedException e) {
        // fenced while waiting or starting: the fence stops whatever was started
      } catch (Exception e) {
        log.emit(Event.warn("lease_not_taken", hostId + " could not take the lease: " + e)
            .with("host_id", hostId).with("reason", e.toString()));
      } finally {
        leadThread = null;
        Thread.interrupted();
      }
    }
  }

  /** The new lease epoch, written only while this host's latch node exists. */
  private int bump(LeaderLatch l) throws Exception {
    String ours = l.getOurPath();
    if (curator.checkExists().forPath(ClusterPaths.LEASE_EPOCH) == null) {
      try {
        curator.create().creatingParentsIfNeeded().forPath(ClusterPaths.LEASE_EPOCH, new byte[0]);
      } catch (KeeperException.NodeExistsException e) {
        // another host made it
      }
    }
    var results = curator.transaction().forOperations(
        curator.transactionOp().check().forPath(ours),
        curator.transactionOp().setData().forPath(ClusterPaths.LEASE_EPOCH,
            hostId.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    Stat stat = results.get(1).getResultStat();
    return stat.getVersion();
  }

  /** Stops the stack now if this host runs it (or is about to). */
  public void fence(String why) {
    generation.incrementAndGet();
    Thread t = leadThread;
    if (t != null) {
      t.interrupt();
    }
    NamedThreads.lasting("lease-fence", () -> fenceNow(why)).start();
  }

  private void fenceNow(String why) {
    synchronized (stackLock) {
      if (!leading) {
        return;
      }
      leading = false;
      log.emit(Event.warn("lost_leadership", hostId + " no longer holds the lease (epoch "
              + epoch + "): " + why)
          .with("host_id", hostId).with("epoch", epoch).with("reason", why));
      holder.fence(why);
    }
  }

  /** Gives the lease up: the stack stops here, and another host takes it. */
  public void resign(String why) {
    fence("resigned: " + why);
    synchronized (stackLock) {
      LeaderLatch old = latch;
      try {
        old.close(LeaderLatch.CloseMode.NOTIFY_LEADER);
      } catch (Exception e) {
        // the node goes with the session anyway
      }
      if (!closed) {
        join(); // at the back of the queue
      }
    }
  }

  /** Whether this host holds the lease and runs the stack. */
  public boolean leading() {
    return leading;
  }

  /**
   * Asks ZooKeeper itself, in this host's own session, whether it still holds the lease:
   * empty if it does, else why not. A host that wakes from a pause (SIGSTOP, a stalled VM)
   * still believes it leads until its client notices; this read fails at once if the
   * session is gone, so nothing is started on a stale belief.
   */
  public java.util.Optional<String> confirm(Duration within) throws InterruptedException {
    LeaderLatch l = latch;
    String ours = l == null ? null : l.getOurPath();
    if (!leading || ours == null) {
      return java.util.Optional.of("this host does not hold the lease");
    }
    var answer = new java.util.concurrent.CompletableFuture<org.apache.zookeeper.KeeperException.Code>();
    try {
      // The raw client, not Curator's retrying one: a lost session must answer at once. It
      // does not know the cluster's namespace.
      String full = org.apache.curator.utils.ZKPaths.fixForNamespace(curator.getNamespace(), ours);
      curator.getZookeeperClient().getZooKeeper().exists(full, false,
          (rc, path, ctx, stat) -> answer.complete(
              org.apache.zookeeper.KeeperException.Code.get(rc)), null);
      var code = answer.get(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return switch (code) {
        case OK -> leading ? java.util.Optional.empty()
            : java.util.Optional.of("this host lost the lease");
        case NONODE -> java.util.Optional.of("its latch node " + ours + " is gone: its"
            + " ZooKeeper session ended");
        default -> java.util.Optional.of("ZooKeeper cannot confirm the lease: " + code);
      };
    } catch (java.util.concurrent.TimeoutException e) {
      return java.util.Optional.of("ZooKeeper did not confirm the lease within " + within);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      return java.util.Optional.of("ZooKeeper cannot confirm the lease: " + e);
    }
  }

  /** The lease epoch this host took last (-1: never). */
  public int epoch() {
    return epoch;
  }

  /**
   * The host that holds the lease, as the election says ({@code ""}: none). Reads
   * ZooKeeper: it may wait for as long as Curator retries, so never on a request's thread.
   */
  public String leaderId() throws Exception {
    var p = latch.getLeader();
    return p.isLeader() ? p.getId() : "";
  }

  /** Stops the stack if it runs here, then leaves the election. */
  @Override
  public void close() {
    closed = true;
    generation.incrementAndGet();
    Thread t = leadThread;
    if (t != null) {
      t.interrupt();
    }
    fenceNow("shutting down");
    try {
      latch.close(LeaderLatch.CloseMode.NOTIFY_LEADER);
    } catch (Exception e) {
      // the node goes with the session anyway
    }
  }
}
