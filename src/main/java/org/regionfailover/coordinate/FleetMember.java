package org.regionfailover.coordinate;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Operator;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.RegionView.Health;
import org.regionfailover.decide.State;
import org.regionfailover.decide.fleet.HostView;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.FixedRateRunner;
import org.regionfailover.time.Ticker;

/**
 * One host's part in the fleet, on its own thread at the interval: publishes the host's
 * view (an ephemeral node, rewritten only when it changes), and applies the fleet's
 * decision through the loop, as a move the loop carries out like any other (journal, env
 * file, ordered restart). An epoch is applied once: it is recorded on disk when the move is
 * done, and an epoch at or below the recorded one is never applied again.
 *
 * <p>Without ZooKeeper the host keeps its region; after the fallback time (if any) it
 * decides alone until ZooKeeper returns.
 */
public final class FleetMember implements AutoCloseable {
  /** Re-posted while the loop is busy; a command older than this is answered by the loop. */
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final Duration LOOK_AGAIN = Duration.ofMillis(200);

  private final ZooKeeperClient zk;
  private final CuratorFramework curator;
  private final String cluster;
  private final String hostId;
  private final FailoverLoop loop;
  private final List<Region> order;
  private final AppliedEpochFile appliedFile;
  private final Duration fallback;
  private final Ticker ticker;
  private final EventLog log;
  private final FixedRateRunner runner;
  private final PersistentNode viewNode;
  private final CuratorCache decisionCache;
  /** Written by the runner's thread only; read by the status page. */
  private volatile AppliedEpochFile.Applied applied;
  private volatile boolean fellBack;
  /** The runner's thread only, below. */
  private HostView published;
  private Pending pending;
  private long lostAt = Long.MIN_VALUE;
  /**
   * Back from deciding alone: the host goes to the fleet's region once, even if it applied
   * that epoch before it fell back (it may have moved alone since).
   */
  private boolean rejoin;
  private ScheduledFuture<?> lookAgain;
  private volatile FleetDecision.Read lastDecision;

  /** A decision being applied: posted at {@code postedAt}, accepted by the loop or not yet. */
  private record Pending(FleetDecision.Read read, int target, long postedAt, boolean accepted,
      CompletableFuture<FailoverLoop.Outcome> reply) {}

  public FleetMember(ZooKeeperClient zk, String cluster, String hostId, FailoverLoop loop,
      AppliedEpochFile appliedFile, Duration interval, Duration fallback, Ticker ticker,
      EventLog log) {
    this.zk = Objects.requireNonNull(zk, "zk");
    this.curator = zk.curator();
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.hostId = Objects.requireNonNull(hostId, "hostId");
    this.loop = Objects.requireNonNull(loop, "loop");
    this.order = loop.policyOrder();
    this.appliedFile = Objects.requireNonNull(appliedFile, "appliedFile");
    this.fallback = fallback;
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.log = Objects.requireNonNull(log, "log");
    this.applied = appliedFile.load();
    this.runner = new FixedRateRunner(slot -> tick(), interval, ticker, log::tickFailed,
        "fleet-member");
    this.viewNode = new PersistentNode(curator, CreateMode.EPHEMERAL, false,
        ClusterPaths.host(hostId), FleetJson.view(view()));
    this.decisionCache = CuratorCache.build(curator, ClusterPaths.DECISION,
        CuratorCache.Options.SINGLE_NODE_CACHE);
    decisionCache.listenable().addListener((type, before, after) -> runner.runNow());
    zk.onConnectedChange(up -> runner.runNow());
  }

  /** A reload: publishes every {@code interval} from now on, as the host's loop probes. */
  public void reconfigure(Duration interval) {
    runner.reschedule(interval, () -> { });
  }

  /** Publishes the view and starts following the decision. */
  public void start() {
    viewNode.start();
    decisionCache.start();
    runner.start();
  }

  /** The last epoch applied here (-1: none). */
  public int appliedEpoch() {
    return applied.epoch();
  }

  /** The fleet's decision as last read (empty: none yet). */
  public Optional<FleetDecision.Read> decision() {
    return Optional.ofNullable(lastDecision);
  }

  /** Whether ZooKeeper is usable now. */
  public boolean connected() {
    return zk.connected();
  }

  /** Whether this host decides alone after the fallback time without ZooKeeper. */
  public boolean fellBack() {
    return fellBack;
  }

  void tick() {
    long now = ticker.read();
    if (!zk.connected()) {
      if (lostAt == Long.MIN_VALUE) {
        lostAt = now;
      }
      fallBackIfDue(now);
      return;
    }
    lostAt = Long.MIN_VALUE;
    if (fellBack) {
      fellBack = false;
      rejoin = true;
      loop.post(new Input.FleetMode(true));
      log.emit(Event.warn("coordination_fallback_ended", "ZooKeeper is back: failovers are"
          + " the fleet's to decide again").with("host_id", hostId));
    }
    publish();
    apply(now);
  }

  private void fallBackIfDue(long now) {
    if (fallback == null || fellBack || now - lostAt - fallback.toNanos() < 0) {
      return;
    }
    fellBack = true;
    loop.post(new Input.FleetMode(false));
    log.emit(Event.warn("coordination_fallback", "no ZooKeeper for "
            + fallback.toSeconds() + " s (" + "--coordination-fallback): this host decides"
            + " its failovers alone until ZooKeeper returns")
        .with("host_id", hostId).with("fallback_s", fallback.toSeconds()));
  }

  private void publish() {
    HostView v = view();
    if (v.sameAs(published)) {
      return;
    }
    try {
      viewNode.setData(FleetJson.view(v));
      published = v;
    } catch (Exception e) {
      // The node is made again by its recipe once the session is back; retried next tick.
      published = null;
    }
  }

  /** This host's view now, from the loop's last state. */
  HostView view() {
    PolicyState s = loop.state();
    long now = ticker.read();
    State phase = s.phase();
    String name = phase instanceof State.Watching ? "watching"
        : phase instanceof State.Down ? "down"
        : phase instanceof State.Switching ? "switching" : "repairing";
    long downFor = phase instanceof State.Down d ? Math.max(0, (now - d.since()) / 1_000_000L)
        : -1;
    Map<String, Health> direct = new LinkedHashMap<>();
    for (int r = 0; r < order.size(); r++) {
      direct.put(order.get(r).name(), s.regions().health(r, now));
    }
    return new HostView(hostId, order.get(s.active()).name(), name, downFor, direct,
        applied == null ? -1 : applied.epoch());
  }

  private void apply(long now) {
    Optional<ChildData> node = decisionCache.get(ClusterPaths.DECISION);
    if (node.isEmpty()) {
      return;
    }
    FleetDecision.Read read;
    try {
      read = new FleetDecision.Read(FleetJson.decision(node.get().getData()),
          node.get().getStat().getVersion(), node.get().getStat().getCzxid());
    } catch (IOException e) {
      return;
    }
    lastDecision = read;
    if (applied.zxid() != read.createdZxid() || !applied.cluster().equals(cluster)) {
      if (applied.epoch() >= 0) {
        log.emit(Event.warn("fleet_epoch_reset", "the fleet's decision node is not the one"
                + " this host last applied (made again, or another cluster): epochs start"
                + " over from " + read.epoch())
            .with("host_id", hostId).with("epoch", read.epoch()));
      }
      applied = new AppliedEpochFile.Applied(cluster, read.createdZxid(), -1);
    }
    boolean again = read.epoch() <= applied.epoch();
    if (again && !rejoin) {
      return;
    }
    int target = index(read.decision().region());
    if (target < 0) {
      log.emit(Event.error("fleet_decision_unknown_region", "the fleet decided "
          + read.decision().region() + ", which is not in this host's failover order; not"
          + " applied").with("region", read.decision().region()).with("epoch", read.epoch()));
      record(read, "not in the order", again);
      return;
    }
    if (pending != null && pending.read().epoch() != read.epoch()) {
      pending = null; // a newer decision replaces one not yet carried out
    }
    step(read, target, now, again);
  }

  /** Moves the host toward the decision, one step per tick. */
  private void step(FleetDecision.Read read, int target, long now, boolean again) {
    if (pending != null && !pending.accepted() && accepted(pending)) {
      // Noted before anything else: the switch it started may be over by the next look.
      pending = new Pending(read, target, pending.postedAt(), true, pending.reply());
    }
    PolicyState s = loop.state();
    if (s.phase() instanceof State.Switching || s.phase() instanceof State.Repairing) {
      runLater();
      return;
    }
    if (s.active() == target) {
      record(read, pending != null && pending.accepted() ? "moved" : "already there", again);
      return;
    }
    if (pending != null && pending.accepted()) {
      // The move ended elsewhere (given up): the epoch was carried out once; not again.
      record(read, "the switch did not complete; the host is on "
          + order.get(s.active()).name(), again);
      return;
    }
    if (pending == null
        || pending.reply().isDone() && now - pending.postedAt() - RETRY.toNanos() >= 0) {
      pending = new Pending(read, target, now, false,
          loop.submit(read.decision().move(target, read.epoch(),
              !again && read.epoch() == applied.epoch() + 1)));
    }
    runLater();
  }

  private static boolean accepted(Pending p) {
    return p.reply().isDone() && !p.reply().isCompletedExceptionally()
        && p.reply().join().moved();
  }

  private void runLater() {
    // Soon, not at the next interval: a switch ends at an unknown time. One look at a time:
    // ticks and cache events during a long switch would otherwise each start a chain.
    // A look still ahead has a positive delay; the one running now (calling this) has not.
    if (lookAgain == null || lookAgain.getDelay(TimeUnit.NANOSECONDS) <= 0) {
      lookAgain = runner.runAfter(LOOK_AGAIN).orElse(null);
    }
  }

  /** Records {@code read} as applied; {@code again}: re-applied on rejoining the fleet. */
  private void record(FleetDecision.Read read, String outcome, boolean again) {
    AppliedEpochFile.Applied next = new AppliedEpochFile.Applied(cluster, read.createdZxid(),
        read.epoch());
    try {
      appliedFile.save(next);
    } catch (IOException e) {
      log.emit(Event.error("fleet_epoch_not_saved", "cannot write " + appliedFile.file() + ": "
          + e + "; a restart may apply epoch " + read.epoch() + " again (it is where the host"
          + " is, so nothing moves)").with("reason", e.toString()));
    }
    applied = next;
    pending = null;
    rejoin = false;
    if (again) {
      log.emit(Event.warn("fleet_rejoined", "back on the fleet's decision after deciding alone:"
              + " epoch " + read.epoch() + " (" + read.decision().region() + "): " + outcome)
          .with("host_id", hostId).with("epoch", read.epoch())
          .with("region", read.decision().region()).with("outcome", outcome));
      return;
    }
    log.emit(Event.info("fleet_decision_applied", "applied fleet epoch " + read.epoch() + " ("
            + read.decision().kind() + ", " + read.decision().region() + "): " + outcome)
        .with("host_id", hostId).with("epoch", read.epoch())
        .with("region", read.decision().region()).with("outcome", outcome));
  }

  private int index(String region) {
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i).name().equals(region)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() {
    runner.close(Duration.ofSeconds(2));
    decisionCache.close();
    try {
      viewNode.close();
    } catch (IOException e) {
      // the session's end removes the node anyway
    }
  }
}
