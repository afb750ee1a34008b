package org.regionfailover.coordinate;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Hold;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Operator;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.Transition;
import org.regionfailover.decide.fleet.FleetCommand;
import org.regionfailover.decide.fleet.FleetHold;
import org.regionfailover.decide.fleet.FleetPolicy;
import org.regionfailover.decide.fleet.HostView;
import org.regionfailover.decide.fleet.SeenView;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.FixedRateRunner;
import org.regionfailover.time.Ticker;

/**
 * Every host runs one; the one that holds the {@code /decider} latch decides for the
 * fleet. Once per interval (and at once when a command arrives) it reads every host's view
 * and runs the fleet's rules; a move is written to the decision node in one transaction
 * that also checks that this decider's own latch node still exists and that the decision is
 * the version it read. The new version is the fencing epoch: a decider that lost its
 * session, or was suspended and replaced, cannot write.
 *
 * <p>At the first SUSPENDED it stops deciding and forgets its state; it reads the state
 * again from ZooKeeper when it leads again.
 */
public final class Decider implements AutoCloseable {
  private final ZooKeeperClient zk;
  private final CuratorFramework curator;
  /** Replaced by {@link #reconfigure} on the runner's thread, between two passes. */
  private volatile FleetPolicy policy;
  private final String hostId;
  private final Clock clock;
  private final EventLog log;
  private final FixedRateRunner runner;
  private final LeaderLatch latch;
  /**
   * One watcher for every pass: ZooKeeper keeps a watcher once per path, so re-registering
   * this one costs nothing, where a new one each pass piled up until the next command.
   */
  private final CuratorWatcher commandsWatcher;
  /** Written by the runner's thread only. */
  private PolicyState state;
  /** The maintenance windows given last (null: none yet), and those the state has. */
  private volatile Input.MaintenanceSchedule schedule;
  private Input.MaintenanceSchedule scheduled;
  private int epoch;
  private volatile boolean leading;
  private volatile long writes;
  /** Written by the runner's thread only. */
  private volatile long passes;

  public Decider(ZooKeeperClient zk, FleetPolicy policy, String hostId, Duration interval,
      Clock clock, Ticker ticker, EventLog log) {
    this.zk = Objects.requireNonNull(zk, "zk");
    this.curator = zk.curator();
    this.policy = Objects.requireNonNull(policy, "policy");
    this.hostId = Objects.requireNonNull(hostId, "hostId");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.log = Objects.requireNonNull(log, "log");
    this.latch = new LeaderLatch(curator, ClusterPaths.DECIDER, hostId);
    this.runner = new FixedRateRunner(slot -> pass(), interval, ticker, log::tickFailed,
        "fleet-decider");
    this.commandsWatcher = e -> runner.runNow();
    // A new decider starts at once, not at its next slot: a takeover costs the old
    // session's expiry, not that plus up to one interval.
    latch.addListener(new LeaderLatchListener() {
      @Override
      public void isLeader() {
        runner.runNow();
      }

      @Override
      public void notLeader() {
        runner.runNow();
      }
    });
    zk.onConnectedChange(up -> {
      if (!up) {
        leading = false; // at once: the pass may be waiting for its next slot
      }
      runner.runNow();
    });
  }

  /** Joins the election and starts the passes. */
  public void start() {
    try {
      latch.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot join the decider election: " + e, e);
    }
    runner.start();
  }

  /**
   * A reload: the passes from now on run {@code next}'s rules every {@code interval},
   * taking over the state this decider holds (its outage clock, history and hold), so that
   * a fleet's threshold, budget or fail-back follows its hosts' settings without a restart
   * or a move of the decider. Applied between two passes; never blocks.
   */
  public void reconfigure(FleetPolicy next, Duration interval) {
    Objects.requireNonNull(next, "next");
    runner.reschedule(interval, () -> {
      if (state != null) {
        state = next.adopt(state, policy);
      }
      policy = next;
    });
  }

  /**
   * The maintenance windows as they now stand: from the next pass on the fleet moves ahead
   * of them, planned here once for every host.
   */
  public void maintenance(Input.MaintenanceSchedule next) {
    schedule = Objects.requireNonNull(next, "next");
    runner.runNow();
  }

  /** Runs a pass now (a command arrived). */
  public void wake() {
    runner.runNow();
  }

  /** Whether this host decides for the fleet now. */
  public boolean leading() {
    return leading;
  }

  /**
   * The host id of the current decider, as the election says ({@code ""}: none elected).
   * Reads ZooKeeper: it may wait for as long as Curator retries.
   */
  public String leaderId() throws Exception {
    org.apache.curator.framework.recipes.leader.Participant p = latch.getLeader();
    return p.isLeader() ? p.getId() : "";
  }

  /** Successful writes of this decider so far (decisions, commands, the fleet's state). */
  public long writes() {
    return writes;
  }

  /**
   * Passes in which this host, leading, ran the fleet's rules to the end: evidence that it
   * looked, where the absence of a decision is what matters.
   */
  public long passes() {
    return passes;
  }

  /** One pass: decide if leading, else make sure nothing is remembered. */
  void pass() {
    boolean lead = zk.connected() && latch.hasLeadership();
    if (!lead) {
      if (state != null) {
        log.emit(Event.warn("decider_stopped", hostId + " no longer decides for the fleet"
            + (zk.connected() ? " (another host leads)" : " (ZooKeeper suspended)"))
            .with("host_id", hostId));
      }
      state = null;
      leading = false;
      return;
    }
    try {
      if (state == null && !load()) {
        return;
      }
      leading = true;
      java.time.Instant wall = clock.instant();
      long now = wall.toEpochMilli() * 1_000_000L;
      List<SeenView> views = views();
      Input.MaintenanceSchedule windows = schedule;
      if (windows != null && windows != scheduled) {
        carryOut(policy.schedule(state, windows, now, wall), null, null, now);
        scheduled = windows;
      }
      commands(now, wall);
      carryOut(policy.decide(state, views, now, wall), null, null, now);
      passes++;
    } catch (FencedException e) {
      fenced(e.getMessage());
    } catch (Exception e) {
      // Uncertain: the write may have happened. Read everything again next pass.
      state = null;
      log.emit(Event.warn("decider_pass_failed", "the fleet decider's pass failed: " + e
          + "; reading the fleet again at the next pass").with("host_id", hostId)
          .with("reason", e.toString()));
    }
  }

  private void fenced(String why) {
    state = null;
    leading = false;
    log.emit(Event.warn("decider_fenced", hostId + " could not write the fleet's decision: "
        + why + "; it decides nothing until it leads again").with("host_id", hostId));
  }

  /** Reads the decision and the fleet's state; makes the first decision if there is none. */
  private boolean load() throws Exception {
    ensure(ClusterPaths.HOSTS);
    ensure(ClusterPaths.COMMANDS);
    ensure(ClusterPaths.RESULTS);
    Stat stat = new Stat();
    byte[] data;
    try {
      data = curator.getData().storingStatIn(stat).forPath(ClusterPaths.DECISION);
    } catch (KeeperException.NoNodeException e) {
      return initial();
    }
    FleetDecision d = FleetJson.decision(data);
    int active = policy.index(d.region());
    if (active < 0) {
      log.emit(Event.error("fleet_decision_unknown_region", "the fleet's decision names "
          + d.region() + ", which is not in this host's failover order " + policy.order()
          + "; this host will not decide for the fleet").with("region", d.region()));
      return false;
    }
    FleetJson.Persisted p = FleetReads.fleetState(curator, log);
    FleetHold h = p.holdMillis();
    Hold hold = h == null ? null : new Hold(new Operator(h.user(), FleetDecision.FLEET_USER),
        h.reason(), h.since() * 1_000_000L, h.until() * 1_000_000L, h.until() != 0, false);
    long now = clock.millis() * 1_000_000L;
    state = policy.resume(active, nanos(p.historyMillis()), hold, views(), now);
    scheduled = null; // a state read afresh has no windows: they are given again
    epoch = stat.getVersion();
    log.emit(Event.warn("decider_elected", hostId + " decides for the fleet from epoch "
            + epoch + " (fleet on " + d.region() + ")")
        .with("host_id", hostId).with("epoch", epoch).with("region", d.region()));
    return true;
  }

  /** No decision yet: the fleet is where most live hosts are (the earlier region on a tie). */
  private boolean initial() throws Exception {
    List<SeenView> views = views();
    Map<String, Integer> count = new HashMap<>();
    views.forEach(v -> count.merge(v.view().region(), 1, Integer::sum));
    int best = 0;
    int bestCount = -1;
    for (int r = 0; r < policy.order().size(); r++) {
      int c = count.getOrDefault(policy.order().get(r).name(), 0);
      if (c > bestCount) {
        best = r;
        bestCount = c;
      }
    }
    String region = policy.order().get(best).name();
    FleetDecision d = new FleetDecision(region, "initial", "the first decision of the fleet:"
        + " where " + Math.max(0, bestCount) + " of " + views.size() + " live hosts are",
        hostId, clock.millis(), new Operator(FleetDecision.FLEET_USER, hostId));
    List<CuratorOp> ops = new ArrayList<>();
    ops.add(curator.transactionOp().check().forPath(ourPath()));
    ops.add(curator.transactionOp().create().forPath(ClusterPaths.DECISION,
        FleetJson.decision(d)));
    if (curator.checkExists().forPath(ClusterPaths.FLEET_STATE) == null) {
      ops.add(curator.transactionOp().create().forPath(ClusterPaths.FLEET_STATE,
          FleetJson.fleetState(new long[0], null)));
    }
    try {
      curator.transaction().forOperations(ops);
      writes++;
    } catch (KeeperException.NodeExistsException e) {
      return false; // another decider was first; read it at the next pass
    } catch (KeeperException.NoNodeException e) {
      throw new FencedException("its latch node is gone");
    }
    log.emit(Event.warn("fleet_decision", "fleet epoch 0: " + region + " (" + d.reason() + ")")
        .with("epoch", 0).with("region", region).with("kind", "initial")
        .with("host_id", hostId));
    return false; // read back at the next pass, with its version
  }

  private List<SeenView> views() throws Exception {
    return FleetReads.views(curator, log);
  }

  /** Operators' commands, oldest first, each answered and removed in one transaction. */
  private void commands(long now, java.time.Instant wall) throws Exception {
    List<String> pending = new ArrayList<>(curator.getChildren()
        .usingWatcher(commandsWatcher).forPath(ClusterPaths.COMMANDS));
    Collections.sort(pending);
    for (String node : pending) {
      String path = ClusterPaths.COMMANDS + "/" + node;
      FleetCommand c;
      try {
        c = FleetJson.command(curator.getData().forPath(path));
      } catch (KeeperException.NoNodeException e) {
        continue;
      } catch (java.io.IOException e) {
        answer(node, new FleetJson.Answer(false, "unreadable command: " + e.getMessage(), -1),
            List.of());
        continue;
      }
      carryOut(policy.command(state, c.input(), now, wall), node, c, now);
    }
  }

  /**
   * Carries out one step of the fleet's rules: writes its move (with a command's answer) or
   * its answer and the fleet's state, then logs. On a failed write the state is as before.
   */
  private void carryOut(Transition t, String commandNode, FleetCommand c, long now)
      throws Exception {
    FleetPlan plan = FleetPlan.of(t.decisions());
    PolicyState previous = state;
    state = t.next();
    try {
      if (plan.move().isPresent()) {
        FleetPlan.Move m = plan.move().get();
        write(m, previous.active(), commandNode, plan.answer().map(a -> a.outcome()).orElse(""));
        state = policy.done(state, m.target(), now).next();
      } else {
        if (plan.repair()) {
          state = policy.done(state, state.active(), now).next();
        }
        List<CuratorOp> ops = plan.persist() ? List.of(fleetStateOp()) : List.of();
        if (commandNode != null) {
          Decision.ManualCommand a = plan.answer().orElse(null);
          answer(commandNode, new FleetJson.Answer(a != null && a.accepted(),
              a == null ? "not answered by the rules" : a.outcome(), -1), ops);
        } else if (!ops.isEmpty()) {
          commit(ops, -1);
        }
      }
    } catch (Exception e) {
      state = previous;
      throw e;
    }
    plan.events().forEach(e -> log.emit(new Event(e.name(), e.level(), e.message(),
        withHost(e.fields()))));
    if (c != null) {
      Decision.ManualCommand a = plan.answer().orElse(null);
      boolean ok = a != null && a.accepted();
      String outcome = a == null ? "not answered" : a.outcome();
      log.emit(Event.warn("fleet_command", c.user() + " from " + c.address() + " on " + c.host()
              + ": " + c.name() + (ok ? " accepted; " : " refused: ") + outcome)
          .with("user", c.user()).with("address", c.address()).with("peer", c.host())
          .with("command", c.name()).with("outcome", ok ? "accepted" : "refused")
          .with("reason", outcome).with("command_id", c.id()));
    }
  }

  private Map<String, Object> withHost(Map<String, Object> fields) {
    Map<String, Object> all = new java.util.LinkedHashMap<>(fields);
    all.put("host_id", hostId);
    all.put("epoch", epoch);
    return all;
  }

  private void answer(String node, FleetJson.Answer a, List<CuratorOp> extra) throws Exception {
    List<CuratorOp> ops = new ArrayList<>(extra);
    ops.add(curator.transactionOp().delete().forPath(ClusterPaths.COMMANDS + "/" + node));
    ops.add(curator.transactionOp().create().forPath(ClusterPaths.result(node),
        FleetJson.answer(a)));
    commit(ops, -1);
  }

  /** Writes a move (and, for a command, its answer); the new version is the epoch. */
  private void write(FleetPlan.Move m, int fromIndex, String commandNode, String outcome)
      throws Exception {
    String region = policy.order().get(m.target()).name();
    String from = policy.order().get(fromIndex).name();
    FleetDecision d = new FleetDecision(region, m.kind(), m.reason(), hostId, clock.millis(),
        m.by().orElse(new Operator(FleetDecision.FLEET_USER, hostId)));
    List<CuratorOp> ops = new ArrayList<>();
    ops.add(curator.transactionOp().setData().withVersion(epoch).forPath(ClusterPaths.DECISION,
        FleetJson.decision(d)));
    ops.add(fleetStateOp());
    if (commandNode != null) {
      ops.add(curator.transactionOp().delete().forPath(ClusterPaths.COMMANDS + "/" + commandNode));
      ops.add(curator.transactionOp().create().forPath(ClusterPaths.result(commandNode),
          FleetJson.answer(new FleetJson.Answer(true, outcome, epoch + 1))));
    }
    commit(ops, 0);
    log.emit(Event.warn("fleet_decision", "fleet epoch " + epoch + ": " + m.kind() + " from "
            + from + " to " + region + " (" + m.reason() + ")")
        .with("epoch", epoch).with("region", from).with("to_region", region)
        .with("kind", m.kind()).with("reason", m.reason()).with("host_id", hostId));
  }

  /**
   * Commits {@code ops} with the check of this decider's latch node first; when
   * {@code decisionOp} is an index, the epoch becomes that operation's new version.
   */
  private void commit(List<CuratorOp> ops, int decisionOp) throws Exception {
    List<CuratorOp> all = new ArrayList<>();
    all.add(curator.transactionOp().check().forPath(ourPath()));
    all.addAll(ops);
    List<CuratorTransactionResult> results;
    try {
      results = curator.transaction().forOperations(all);
    } catch (KeeperException.NoNodeException e) {
      throw new FencedException("its latch node is gone, or a command was already taken ("
          + e.getPath() + ")");
    } catch (KeeperException.BadVersionException e) {
      throw new FencedException("the decision changed under it (another decider wrote"
          + " epoch > " + epoch + ")");
    }
    writes++;
    if (decisionOp >= 0) {
      epoch = results.get(decisionOp + 1).getResultStat().getVersion();
    }
  }

  private CuratorOp fleetStateOp() throws Exception {
    long[] h = FleetPolicy.history(state);
    long[] millis = new long[h.length];
    for (int i = 0; i < h.length; i++) {
      millis[i] = h[i] / 1_000_000L;
    }
    Hold hold = state.hold();
    FleetHold holdMillis = hold == null ? null : new FleetHold(hold.by().user(), hold.reason(),
        hold.since() / 1_000_000L, hold.expires() ? hold.until() / 1_000_000L : 0);
    return curator.transactionOp().setData().forPath(ClusterPaths.FLEET_STATE,
        FleetJson.fleetState(millis, holdMillis));
  }

  private String ourPath() {
    String p = latch.getOurPath();
    if (p == null) {
      throw new FencedException("it has no latch node");
    }
    return p;
  }

  private void ensure(String path) throws Exception {
    try {
      curator.create().creatingParentsIfNeeded().forPath(path);
    } catch (KeeperException.NodeExistsException e) {
      // made by another host
    }
  }

  private static long[] nanos(long[] millis) {
    long[] out = new long[millis.length];
    for (int i = 0; i < millis.length; i++) {
      out[i] = millis[i] * 1_000_000L;
    }
    return out;
  }

  /** The fleet's state as this decider holds it (null: not deciding), and the epoch. */
  public synchronized String describe() {
    return leading ? "deciding at epoch " + epoch : "not deciding";
  }

  /** Leaves the election (another host decides) and stops the passes. */
  @Override
  public void close() {
    runner.close(Duration.ofSeconds(2));
    try {
      latch.close(LeaderLatch.CloseMode.NOTIFY_LEADER);
    } catch (Exception e) {
      // closing: the session's end removes the latch node anyway
    }
  }

  /** This decider may not write: its latch node is gone or the decision moved on. */
  private static final class FencedException extends RuntimeException {
    FencedException(String message) {
      super(message);
    }
  }
}
