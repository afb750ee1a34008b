package org.regionfailover.decide;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Decision.FailOver;
import org.regionfailover.decide.Decision.LateProbe;
import org.regionfailover.decide.Decision.ProbeSeen;
import org.regionfailover.decide.RegionView.Health;
import org.regionfailover.decide.State.Down;
import org.regionfailover.decide.State.Repairing;
import org.regionfailover.decide.State.Switching;
import org.regionfailover.probe.ProbeResult;

/**
 * The failover policy as a pure function {@code (state, input, now) -> (state', decisions)},
 * composed of small rules: the pause rule, the latency band, the outage clock and the
 * intermittent rule, repair in place, pre-flight target choice, fail-back, the budget, what
 * becomes of a switch, and the stack's repair. Each rule is tested alone with plain
 * numbers; this class only routes an input to them.
 *
 * <p>No I/O, no clock reads.
 */
public final class FailoverPolicy {
  /** How a traffic rule's reason begins: the veto never blocks the traffic's own outage. */
  private static final String TRAFFIC = "traffic";
  /** The {@code failover_blocked} reason of the traffic veto. */
  public static final String TRAFFIC_HEALTHY = "traffic_healthy";
  private final List<Region> order;
  private final PolicySettings settings;
  private final Duration threshold;
  private final long staleAfterNanos;
  private final long keepHistoryNanos;
  private final PauseRule pause;
  private final LatencyBand latency;
  private final OutageClock clock;
  private final IntermittentRule intermittent;
  private final TrafficRule traffic;
  private final TargetChoice targets;
  private final FailbackRule failback;
  private final Budget budget;
  private final SwitchRule switches;
  private final StackRule stack;
  private final ManualRule manual;
  private final MaintenanceRule maintenance;
  /** Decides for a fleet over its hosts' views: see {@link #forFleet}. */
  private final boolean fleetView;
  /** Asks the pre-switch hook before each move: see {@link #gated()}. */
  private final boolean gated;

  /** The continuous rule alone, without direct probes of the regions. */
  public FailoverPolicy(List<Region> order, Duration interval, Duration threshold) {
    this(order, PolicySettings.continuousOnly(interval, threshold, interval.multipliedBy(3)));
  }

  /** The continuous rule alone; {@code regionInterval}: the cadence of direct probes. */
  public FailoverPolicy(List<Region> order, Duration interval, Duration threshold,
      Duration regionInterval) {
    this(order, PolicySettings.continuousOnly(interval, threshold, regionInterval));
  }

  public FailoverPolicy(List<Region> order, PolicySettings s) {
    this(order, s, false, false);
  }

  /**
   * The rules as a fleet's decider runs them over the hosts' views. Two of a host's rules
   * belong to the hosts there, not to the decider: the repair in place (each host restarts
   * its own stack; a decider's "repair" would restart nothing and cost a threshold and a
   * slot of the budget) and the pause rule (a late pass of the decider is not missing
   * evidence: the views carry the hosts' own clocks).
   */
  public static FailoverPolicy forFleet(List<Region> order, PolicySettings s) {
    return new FailoverPolicy(order, s, true, false);
  }

  /**
   * The same rules on a host with a pre-switch hook (issue 28): a move (failover, fail-back,
   * manual move) is decided as without one, then waits, uncounted and untouched, for the
   * hook's answer ({@link Decision.SwitchPending}, {@link Input.SwitchAnswered}); probes go
   * on meanwhile and the outage clock keeps running. Allowed, the move is made as decided;
   * vetoed, the host stays ({@code failover_blocked}, {@code hook_veto}), and the rule that
   * wanted the move decides, and asks, again at the next probe (a manual move is not asked
   * again: the operator does). A hold, or the active region back, gives a waiting failover
   * up; a fail-back no longer wanted gives itself up. Without a hook (and in replay) a move
   * is made in the step that decides it, as before.
   */
  public FailoverPolicy gated() {
    return gated ? this : new FailoverPolicy(order, settings, fleetView, true);
  }

  /** Whether moves wait for the pre-switch hook's answer: {@link #gated()}. */
  public boolean asksBeforeSwitching() {
    return gated;
  }

  private FailoverPolicy(List<Region> order, PolicySettings s, boolean fleetView,
      boolean gated) {
    this.fleetView = fleetView;
    this.gated = gated;
    this.order = List.copyOf(Objects.requireNonNull(order, "order"));
    if (this.order.isEmpty()) {
      throw new IllegalArgumentException("the failover order cannot be empty");
    }
    // interval <= threshold and interval <= region interval are the configuration's rules
    // (config.Settings, config.Configuration), checked once where the settings are read.
    this.settings = Objects.requireNonNull(s, "settings");
    Duration interval = s.interval();
    this.threshold = s.threshold();
    this.staleAfterNanos = s.regionInterval().multipliedBy(2).toNanos();
    this.pause = new PauseRule(interval.toNanos());
    this.latency = s.latencyEnter() == null ? LatencyBand.OFF
        : new LatencyBand(s.latencyEnter(), s.latencyExit());
    this.clock = new OutageClock(threshold);
    this.intermittent = new IntermittentRule(s.failureRatio(), threshold, interval);
    this.traffic = new TrafficRule(s.traffic(), threshold, interval);
    this.targets = new TargetChoice(this.order);
    this.failback = new FailbackRule(s.failback(), s.failbackAfter());
    this.budget = new Budget(s.maxTransitions(), s.transitionWindow());
    this.keepHistoryNanos = Math.max(s.transitionWindow().toNanos(), s.failbackAfter().toNanos());
    this.switches = new SwitchRule(this.order, threshold);
    this.stack = new StackRule(this.order);
    this.manual = new ManualRule(this.order);
    this.maintenance = new MaintenanceRule(this.order, s.failbackAfter());
  }

  /** The state to start in, with {@code active} adopted at {@code now}, nothing to start. */
  public PolicyState initial(int active, long now) {
    return initial(active, now, TransitionHistory.NONE);
  }

  /** As above, with the automatic transitions of before this start ({@code history}). */
  public PolicyState initial(int active, long now, TransitionHistory history) {
    Objects.checkIndex(active, order.size());
    return new PolicyState(new State.Watching(active, now),
        RegionView.empty(order.size(), staleAfterNanos), false, ProbeWindow.EMPTY, now, false,
        history, null, null, -1, false, TrafficWindow.EMPTY, MaintenancePlan.NONE);
  }

  /**
   * The state a new fleet decider takes over in: the fleet on {@code active} with the
   * fleet's {@code history} and {@code hold} (null: none) from ZooKeeper, and, when a quorum
   * of hosts already sees the region failing, the outage running since {@code downSince}
   * (empty: none), so a change of decider does not restart the outage clock. A region first
   * seen up counts as up since the last transition: the fail-back guard survives the change.
   */
  public PolicyState resumed(int active, long now, TransitionHistory history, Hold hold,
      OptionalLong downSince) {
    PolicyState s = initial(active, now, history).hold(hold);
    if (history.any()) {
      // A new decider has not seen which regions came back since the last transition: one
      // up now counts as up since then, so the fail-back guard still keeps the fleet off a
      // region it left on failing chains, until that region is seen down and back.
      s = s.with(s.regions().upNoLaterThan(history.last()));
    }
    return downSince.isEmpty() ? s : s.with(new Down(active, now, downSince.getAsLong(), 1,
        "resumed by a new decider"));
  }

  /**
   * Start-up with a stack to start on {@code active}: probes are not evidence until it is
   * up. {@code interrupted}: a switch was cut short, so the whole stack is restarted.
   */
  public Transition start(int active, long now, boolean interrupted) {
    return start(active, now, interrupted, TransitionHistory.NONE);
  }

  /** As above, with the automatic transitions of before this start. */
  public Transition start(int active, long now, boolean interrupted, TransitionHistory history) {
    PhaseChange change = switches.start(active, now, interrupted);
    return new Transition(initial(active, now, history).with(change.next()), change.decisions());
  }

  /** The region at an index of the order. */
  public Region region(int index) {
    return order.get(index);
  }

  public List<Region> order() {
    return order;
  }

  /**
   * One step without the wall clock: maintenance windows are kept but not judged (replay,
   * which has no schedule to judge).
   */
  public Transition decide(PolicyState state, Input input, long now) {
    return decide(state, input, now, null);
  }

  /**
   * One step at ticker time {@code now} and wall-clock time {@code wall} (null: unknown).
   * The maintenance windows are judged on the wall clock at every step, after the input's
   * own rules: a window is never missed for want of a timer, whatever the clock did.
   */
  public Transition decide(PolicyState state, Input input, long now, java.time.Instant wall) {
    Transition t = holdChecked(state, input, now, wall);
    return wall == null ? t : new Step(t.next(), now, wall).maintained(t);
  }

  private Transition holdChecked(PolicyState state, Input input, long now,
      java.time.Instant wall) {
    Hold hold = state.hold();
    if (hold == null || !hold.expired(now)) {
      return input.accept(new Step(state, now, wall));
    }
    // A hold runs out at the first input after its end: probes come every interval.
    Transition t = input.accept(new Step(state.hold(null), now, wall));
    List<Decision> out = new ArrayList<>();
    out.add(new Decision.HoldEnded(hold, null, Duration.ofNanos(now - hold.since())));
    out.addAll(t.decisions());
    return new Transition(t.next(), out);
  }

  /** The outage threshold. */
  public Duration threshold() {
    return threshold;
  }

  /** The rules this policy was built from. */
  public PolicySettings settings() {
    return settings;
  }

  /**
   * {@code state}, decided so far by {@code previous}, as this policy takes it over: a reload
   * of the rules on a running host. Nothing seen is lost: the outage clock (a {@code Down}
   * keeps its start, so a raised threshold counts from the outage's first failure and a
   * lowered one below the outage's age fails over at the next probe), the chain's probe
   * window (trimmed to the new threshold at the next probe), the latency band (still slow
   * under the new bounds until a probe answers under the new exit), the transitions of the
   * budget (judged by the new count and window), a hold, the regions' direct probes and
   * since when each is up (the fail-back timer), a repair already made in this outage.
   *
   * <p>What follows the settings is adapted: a direct probe is evidence for twice the new
   * region interval; with the latency band off nothing is slow; a refusal by the old budget
   * is dropped (the new budget refuses, and says so, on its own terms); a fail-back waiting
   * for an operator is forgotten unless fail-back stays manual. When the interval changes,
   * the last probe is moved by the difference, so that the probe expected next under the old
   * cadence is still on time under the new one: the pause rule judges a gap by the new
   * interval from then on, and a real pause still shifts an outage by exactly the time not
   * watched. A probe window kept for a shorter threshold cannot hold probes it dropped: the
   * intermittent rule waits for a whole new threshold of them.
   *
   * <p>Pure; the loop calls it between two steps, never while a switch or a repair runs (its
   * abandonment follows the threshold it began under).
   *
   * @throws IllegalArgumentException when the two policies decide over different orders, or
   *     one decides for a fleet and the other for a host: those need a restart
   */
  public PolicyState adopt(PolicyState state, FailoverPolicy previous) {
    if (!order.equals(previous.order)) {
      throw new IllegalArgumentException("the failover order cannot change while running: "
          + previous.order + " -> " + order);
    }
    if (fleetView != previous.fleetView) {
      throw new IllegalArgumentException("a host's policy and a fleet's are not interchangeable");
    }
    State phase = state.phase();
    long shift = previous.pause.intervalNanos() - pause.intervalNanos();
    State rebased = shift == 0 ? phase : phase.withLastProbeAt(phase.lastProbeAt() + shift);
    boolean slow = latency != LatencyBand.OFF && state.slow();
    Blocked blocked = state.blocked() instanceof Blocked.ByBudget && !budget.equals(previous.budget)
        ? null : state.blocked();
    int waiting = failback.mode() == FailbackMode.MANUAL ? state.failbackWaiting() : -1;
    return new PolicyState(rebased, state.regions().withStaleAfter(staleAfterNanos),
        state.repairedInPlace(), state.window(), state.windowSince(), slow, state.history(),
        blocked, state.hold(), waiting, state.fleet(), state.traffic(), state.pending(),
        state.asks(), state.maintenance());
  }

  /** The failover budget as it stands at {@code now}. */
  public PolicyStatus.Budget budget(PolicyState state, long now) {
    long[] times = state.history().times();
    Duration freeIn = budget.allows(times, now) ? null
        : Duration.ofNanos(budget.nextFree(times, now) - now);
    return new PolicyStatus.Budget(budget.limited() ? budget.used(times, now) : 0,
        budget.count(), budget.window(), freeIn);
  }

  /** The fail-back to come at {@code now}, if any. */
  public PolicyStatus.Failback failback(PolicyState state, long now) {
    return failback(state, now, null);
  }

  /**
   * As above, at wall-clock {@code wall} (null: unknown): never to a region a maintenance
   * window keeps a fail-back off.
   */
  public PolicyStatus.Failback failback(PolicyState state, long now, java.time.Instant wall) {
    java.util.function.IntPredicate closed = r -> wall != null
        && maintenance.keepsFailbackOff(state.maintenance(), r, wall) != null;
    TransitionHistory h = state.history();
    if (failback.mode() == FailbackMode.MANUAL) {
      int target = failback.waiting(state.active(), state.regions(), h.any(),
          h.any() ? h.last() : 0, now, closed);
      return new PolicyStatus.Failback(FailbackMode.MANUAL, target, null, target >= 0);
    }
    FailbackRule.Eta eta = failback.eta(state.active(), state.regions(), h.any(),
        h.any() ? h.last() : 0, now, closed);
    return eta == null ? new PolicyStatus.Failback(failback.mode(), -1, null, false)
        : new PolicyStatus.Failback(failback.mode(), eta.region(),
            Duration.ofNanos(Math.max(0, eta.at() - now)), false);
  }

  /** One input against one state; the visitor makes the dispatch exhaustive. */
  private final class Step implements Input.Visitor<Transition> {
    private final PolicyState state;
    private final State phase;
    private final long now;
    /** The wall clock at this step; null: unknown, no window is judged. */
    private final java.time.Instant wall;

    Step(PolicyState state, long now, java.time.Instant wall) {
      this.state = state;
      this.phase = state.phase();
      this.now = now;
      this.wall = wall;
    }

    /** Why {@code region} is no target now (inside a maintenance window), or null. */
    private String closed(PolicyState s, int region) {
      if (wall == null) {
        return null;
      }
      org.regionfailover.config.MaintenanceWindow w =
          maintenance.closed(s.maintenance(), region, wall);
      return w == null ? null : "in maintenance until " + w.end() + " (" + w.reason() + ")";
    }

    /** Whether a fail-back to {@code region} must wait for a maintenance window. */
    private boolean failbackClosed(PolicyState s, int region) {
      return wall != null && maintenance.keepsFailbackOff(s.maintenance(), region, wall) != null;
    }

    @Override
    public Transition maintenance(Input.MaintenanceSchedule m) {
      List<Decision> out = new ArrayList<>();
      MaintenancePlan plan = wall == null
          ? state.maintenance().windows(m.windows().stream()
              .filter(w -> maintenance.index(w) >= 0).toList(), m.lead())
          : maintenance.scheduled(state.maintenance(), m.windows(), m.lead(), wall, out);
      return new Transition(state.maintenance(plan), out);
    }

    /**
     * After the input's own rules: report the windows that started or ended, and move a
     * host off a region whose window is within the lead, unless a switch or repair runs
     * or the fleet decides.
     */
    Transition maintained(Transition t) {
      List<Decision> out = new ArrayList<>(t.decisions());
      RegionView[] regions = {t.next().regions()};
      MaintenancePlan plan = maintenance.passed(t.next().maintenance(), wall, out,
          r -> regions[0] = regions[0].upAgainAt(r, now));
      PolicyState after = t.next().maintenance(plan).with(regions[0]);
      Input.HoldCommand pending = plan.pendingHold();
      if (pending != null && !wall.isBefore(pending.from())) {
        // A scheduled hold begins: its ManualCommand was answered when it was scheduled.
        Duration left = pending.duration() == null ? null
            : pending.duration().minus(Duration.between(pending.from(), wall));
        Transition held = left != null && (left.isZero() || left.isNegative())
            ? new Transition(after.maintenance(plan.pendingHold(null)), out)
            : new Step(after, now, wall).startHold(after, pending, left, out);
        after = held.next();
        out = new ArrayList<>(held.decisions());
      }
      if (phase instanceof Switching || phase instanceof Repairing || after.fleet()) {
        return new Transition(after, out);
      }
      org.regionfailover.config.MaintenanceWindow w =
          maintenance.leaving(after.maintenance(), after.active(), wall);
      return w == null ? new Transition(after, out) : plannedMove(after, w, out);
    }

    /**
     * The planned move off a region about to be maintained: pre-flight as for a failover,
     * never onto a region inside or about to enter a window, never with the budget's last
     * slot (kept for a real outage). Refusals are reported once per window.
     */
    private Transition plannedMove(PolicyState after,
        org.regionfailover.config.MaintenanceWindow w, List<Decision> out) {
      if (after.held()) {
        return heldBack(after, "maintenance", Duration.ZERO, out);
      }
      int active = after.active();
      TargetChoice.Choice choice = targets.after(active, after.regions(), now, r -> {
        org.regionfailover.config.MaintenanceWindow x =
            maintenance.clashes(after.maintenance(), r, w, wall);
        return x == null ? null : "maintenance from " + after.maintenance().moveFrom(x)
            + " to " + x.end();
      });
      long[] times = after.history().times();
      String refused = choice.blocked() || choice.target() == active
          ? "no region to move to (" + String.join("; ", choice.skipped()) + "); staying on "
              + order.get(active).name()
          : budget.limited() && budget.used(times, now) >= budget.count() - 1
              ? "the failover budget (" + budget.count() + " in " + budget.window()
                  + ") has " + Math.max(0, budget.count() - budget.used(times, now))
                  + " slot(s) left, and a planned move never takes the last; staying on "
                  + order.get(active).name()
              : null;
      if (refused != null) {
        if (after.maintenance().reported(w, "blocked")) {
          return new Transition(after, out);
        }
        out.add(new Decision.MaintenanceNotice(Decision.MaintenanceNotice.Kind.MOVE_BLOCKED,
            order.get(active), w, refused));
        return new Transition(after.maintenance(after.maintenance().report(w, "blocked")),
            out);
      }
      Decision.PlannedMove move = new Decision.PlannedMove(order.get(active),
          order.get(choice.target()), choice.target(), w, choice.skipped(), Origin.HOST);
      if (gated) {
        // The pre-switch hook gates a planned move as any other (issue 28); asked once at a
        // time, again at the next step after a veto.
        return after.waiting() ? new Transition(after, out)
            : ask(after, move, choice.target(), PendingSwitch.Kind.PLANNED, out);
      }
      out.add(move);
      return new Transition(counted(after.with(new Switching(active, choice.target(), now,
          now, false))).repaired(false).failbackWaiting(-1), out);
    }

    @Override
    public Transition probed(Input.Probed p) {
      if (p.region() != phase.active() || now - state.windowSince() < 0) {
        // Probed before the host moved, or before the stack was restarted on this region:
        // it says nothing about where the host is now.
        return new Transition(state, List.of());
      }
      Region active = order.get(phase.active());
      LatencyBand.Judged judged = latency.judge(p.result(), state.slow());
      ProbeResult result = judged.result();
      List<Decision> out = new ArrayList<>();
      out.add(new ProbeSeen(active, result));
      boolean late = !fleetView && pause.late(phase.lastProbeAt(), now);
      if (late) {
        out.add(new LateProbe(active, Duration.ofNanos(now - phase.lastProbeAt()),
            Duration.ofNanos(pause.intervalNanos())));
      }
      if (phase instanceof Switching s) {
        return new Transition(state.with(
            new Switching(s.active(), s.target(), now, s.startedAt(), s.startup())), out);
      }
      if (phase instanceof Repairing r) {
        return repairing(r, p.result(), now, out);
      }
      State next = clock.next(phase, active, result, now, late, pause, out);
      PolicyState after = state.with(next)
          .chain(state.window().add(now, !result.healthy(), intermittent.windowNanos()),
              judged.slow());
      if (after.repairedInPlace() && !after.window().anyFailed()
          && now - after.windowSince() - intermittent.windowNanos() >= 0) {
        // A whole threshold without a failure: the repair worked, the next outage may have
        // one. One lucky probe is not enough, or a mostly failing chain would be repaired
        // again and again and never fail over.
        after = after.repaired(false);
      }
      if (late) {
        return new Transition(after, out);
      }
      if (phase instanceof Down && next instanceof Down d && clock.reached(d, now)) {
        return thresholdReached(after, Duration.ofNanos(now - d.since()), d.reason(), out);
      }
      String why = intermittent.downReason(after.window(), after.windowSince(), now);
      if (why != null) {
        return thresholdReached(after, Duration.ofNanos(now - after.window().oldestFailure()),
            why, out);
      }
      return failBack(recovered(after.blockOver()), out);
    }

    /**
     * No rule finds the active region down at this probe: a failover waiting for the
     * pre-switch hook is given up (its answer, when it comes, is stale).
     */
    private PolicyState recovered(PolicyState after) {
      PendingSwitch p = after.pending();
      return p != null && p.kind() == PendingSwitch.Kind.FAILOVER ? after.pending(null) : after;
    }

    /**
     * The applications' calls through the active region: kept over the threshold window
     * (emptied at every transition) and judged by the traffic rule. A report for another
     * region (a late one from before a move), or while a switch or a repair restarts the
     * stack, is counted in its event and decides nothing.
     */
    @Override
    public Transition traffic(Input.Traffic t) {
      Region region = order.get(t.region());
      boolean restarting = phase instanceof Switching || phase instanceof Repairing;
      if (t.region() != phase.active() || now - state.windowSince() < 0 || restarting) {
        TrafficWindow w = state.traffic().trimmed(now, traffic.windowNanos());
        return new Transition(state, List.of(new Decision.TrafficSeen(region, t, true,
            w.volume(), w.unreachableShare())));
      }
      TrafficWindow window = traffic.add(state.traffic(), now, t.ok(), t.unreachable());
      List<Decision> out = new ArrayList<>();
      out.add(new Decision.TrafficSeen(region, t, false, window.volume(),
          window.unreachableShare()));
      String why = traffic.downReason(window, state.windowSince(), now);
      if (why == null) {
        return new Transition(state.traffic(window.down(false)), out);
      }
      if (!window.down()) {
        out.add(new Decision.OutageStarted(region, why));
      }
      PolicyState after = state.traffic(window.down(true));
      return thresholdReached(after, Duration.ofNanos(now - window.trimmed(now,
          traffic.windowNanos()).oldest()), why, out);
    }

    /**
     * While the stack is being repaired, probes are not evidence, unless the region itself
     * is down on its own direct probe and the repair has run for a whole threshold: a
     * program that dies because the region is unreachable (a client that exits) must not
     * keep the host there. The repair is given up and the outage counts from its start.
     */
    private Transition repairing(Repairing r, ProbeResult result, long now, List<Decision> out) {
      boolean regionDown = state.regions().health(r.active(), now) == Health.DOWN;
      if (result.healthy() || !regionDown || now - r.since() - threshold.toNanos() < 0) {
        return new Transition(state.with(new Repairing(r.active(), now, r.since(), r.reason())),
            out);
      }
      Region active = order.get(r.active());
      out.add(new Decision.RepairAbandoned(active, Duration.ofNanos(now - r.since()), r.reason()));
      return new Transition(state.with(new Down(r.active(), now, r.since(), 1,
          "stack down (" + r.reason() + ") and " + active.name() + " down on its direct probe")),
          out);
    }

    /** The active region is down by a rule: repair in place, move, or stay and say why. */
    private Transition thresholdReached(PolicyState after, Duration outage, String reason,
        List<Decision> out) {
      int activeIndex = after.active();
      Region active = order.get(activeIndex);
      if (after.waiting()) {
        // A move already waits for the pre-switch hook: its answer decides (issue 28).
        return new Transition(after, out);
      }
      if (!reason.startsWith(TRAFFIC) && traffic.vetoes(after.traffic(), now)) {
        return trafficVeto(after, outage, out);
      }
      boolean repair = !fleetView && !after.repairedInPlace()
          && after.regions().health(activeIndex, now) == Health.UP;
      if (after.held()) {
        return heldBack(after, repair ? "repair" : "failover", outage, out);
      }
      if (after.fleet() && !repair) {
        // The fleet decides whether the region is down: this host's evidence is in its
        // published view, and a minority never moves alone.
        return new Transition(after, out);
      }
      if (repair) {
        // Chain down, region up on its own: the fault is this host's tunnel or client.
        if (!budget.allows(after.history().times(), now)) {
          return budgetBlocked(after, outage, out);
        }
        out.add(new Decision.RepairInPlace(active, outage, reason));
        return new Transition(counted(after.with(
            new Switching(activeIndex, activeIndex, now, now, false))).repaired(true), out);
      }
      TargetChoice.Choice choice = targets.after(activeIndex, after.regions(), now,
          r -> closed(after, r));
      if (choice.blocked()) {
        // Reported when it starts and when its reason changes, not at every probe.
        Blocked.NoTarget block = Blocked.NoTarget.of(activeIndex, after.regions(), now,
            after.blocked());
        if (block.sameReason(after.blocked())) {
          return new Transition(after, out);
        }
        out.add(new Decision.FailoverBlocked(active, "no_healthy_target", outage,
            choice.skipped(), null));
        return new Transition(after.blocked(block), out);
      }
      if (!budget.allows(after.history().times(), now)) {
        return budgetBlocked(after, outage, out);
      }
      FailOver move = new FailOver(active, order.get(choice.target()), choice.target(), outage,
          threshold, reason, choice.skipped(), Origin.HOST);
      if (gated) {
        return ask(after, move, choice.target(), PendingSwitch.Kind.FAILOVER, out);
      }
      out.add(move);
      return new Transition(counted(after.with(new Switching(activeIndex, choice.target(), now,
          now, false))).repaired(false), out);
    }

    /**
     * The probe failed for the threshold while the applications' calls through the region
     * went through at volume: the probe is wrong, not the region. Stay; reported once per
     * outage, the counts in the reason.
     */
    private Transition trafficVeto(PolicyState after, Duration outage, List<Decision> out) {
      if (after.blocked() instanceof Blocked.TrafficHealthy) {
        return new Transition(after, out);
      }
      out.add(new Decision.FailoverBlocked(order.get(after.active()), TRAFFIC_HEALTHY, outage,
          List.of(), null));
      return new Transition(after.blocked(new Blocked.TrafficHealthy(now)), out);
    }

    /** Held by an operator: reported once per hold, then silent; the evidence is kept. */
    private Transition heldBack(PolicyState after, String transition, Duration outage,
        List<Decision> out) {
      Hold hold = after.hold();
      if (hold.reported()) {
        return new Transition(after, out);
      }
      out.add(new Decision.HeldBack(order.get(after.active()), transition, hold, outage));
      return new Transition(after.hold(hold.blockedOnce()), out);
    }

    /** Refused by the budget: reported once for each time a slot frees, then silent. */
    private Transition budgetBlocked(PolicyState after, Duration outage, List<Decision> out) {
      Blocked.ByBudget block = new Blocked.ByBudget(budget.nextFree(after.history().times(), now));
      if (block.equals(after.blocked())) {
        return new Transition(after, out);
      }
      out.add(new Decision.FailoverBlocked(order.get(after.active()), "budget", outage,
          List.of(), Duration.ofNanos(block.freeAt() - now)));
      return new Transition(after.blocked(block), out);
    }

    private PolicyState counted(PolicyState s) {
      return s.blockOver().vetoOver().history(s.history().record(now, keepHistoryNanos));
    }

    /** In Watching or Down: back to a region earlier in the order once it has held up. */
    private Transition failBack(PolicyState after, List<Decision> out) {
      if (after.fleet()) {
        return new Transition(after, out);
      }
      if (failback.mode() == FailbackMode.MANUAL) {
        return failbackWaiting(after, out);
      }
      TransitionHistory history = after.history();
      PolicyState before = after;
      int target = failback.target(after.active(), after.regions(), history.any(),
          history.any() ? history.last() : 0, now, r -> failbackClosed(before, r));
      PendingSwitch waiting = after.pending();
      if (waiting != null && waiting.kind() == PendingSwitch.Kind.FAILBACK
          && waiting.target() != target) {
        // The fail-back asked for is no longer the one wanted: given up, asked anew below.
        after = after.pending(null);
      }
      if (target < 0) {
        return new Transition(after.blocked() instanceof Blocked.HookVeto v
            && v.kind() == PendingSwitch.Kind.FAILBACK ? after.vetoOver() : after, out);
      }
      if (after.waiting()) {
        return new Transition(after, out);
      }
      if (after.held()) {
        return heldBack(after, "failback", Duration.ZERO, out);
      }
      if (!budget.allows(history.times(), now)) {
        return budgetBlocked(after, Duration.ZERO, out);
      }
      RegionView.Seen seen = after.regions().last(target);
      Decision.FailBack move = new Decision.FailBack(order.get(after.active()),
          order.get(target), target, Duration.ofNanos(now - seen.upSince()), Origin.HOST);
      if (gated) {
        return ask(after, move, target, PendingSwitch.Kind.FAILBACK, out);
      }
      out.add(move);
      return new Transition(counted(after.with(new Switching(after.active(), target, now, now,
          false))).repaired(false), out);
    }

    /** Manual fail-back: report once that a region is ready and waits for an operator. */
    private Transition failbackWaiting(PolicyState after, List<Decision> out) {
      TransitionHistory history = after.history();
      int target = failback.waiting(after.active(), after.regions(), history.any(),
          history.any() ? history.last() : 0, now, r -> failbackClosed(after, r));
      if (target >= 0 && target != after.failbackWaiting()) {
        RegionView.Seen seen = after.regions().last(target);
        out.add(new Decision.FailbackWaiting(order.get(after.active()), order.get(target),
            Duration.ofNanos(now - seen.upSince())));
      }
      return new Transition(after.failbackWaiting(target), out);
    }

    @Override
    public Transition move(Input.MoveCommand m) {
      String refused = state.waiting() ? "a move to "
          + order.get(state.pending().target()).name() + " (" + state.pending().kind().label()
          + ") waits for the pre-switch hook's answer; ask again once it has answered"
          : manual.refusal(phase, state.regions(), m.target(), m.force(), now);
      String inWindow = refused != null || m.force() ? null : closed(state, m.target());
      if (inWindow != null) {
        refused = order.get(m.target()).name() + " is " + inWindow
            + "; add force=true to move anyway";
      }
      if (refused != null) {
        return new Transition(state, List.of(new Decision.ManualCommand(m, false, refused)));
      }
      Region from = order.get(phase.active());
      Region to = order.get(m.target());
      Decision.ManualCommand answer = new Decision.ManualCommand(m, true, "moving from "
          + from.name() + " to " + to.name() + (m.force() ? " (forced: pre-flight skipped)" : "")
          + (gated ? " once the pre-switch hook allows it" : ""));
      Decision.ManualMove move = new Decision.ManualMove(from, to, m.target(), m.by(),
          m.force(), Origin.HOST);
      if (gated) {
        return ask(state, move, m.target(), PendingSwitch.Kind.MANUAL,
            new ArrayList<>(List.of(answer)));
      }
      return moving(state, m.target(), true, List.of(answer, move));
    }

    /**
     * The move is decided; it waits for the pre-switch hook, nothing touched or counted yet
     * (the loop asks the hook and posts its answer: {@link #switchAnswered}).
     */
    private Transition ask(PolicyState after, Decision move, int target,
        PendingSwitch.Kind kind, List<Decision> out) {
      PendingSwitch request = new PendingSwitch(after.asks() + 1, move, after.active(), target,
          kind, now);
      out.add(new Decision.SwitchPending(request, order.get(after.active()),
          order.get(target)));
      return new Transition(after.pending(request), out);
    }

    /**
     * The pre-switch hook answered. Allowed: the move is made as it was decided, counted now.
     * Vetoed (or timed out): the host stays, nothing counted, reported when the veto starts
     * or its answer changes. A stale answer, or one that comes while the stack restarts or
     * when the target went down on its direct probe meanwhile, moves nothing: the rule that
     * wanted the move decides again at the next probe.
     */
    @Override
    public Transition switchAnswered(Input.SwitchAnswered a) {
      PendingSwitch request = state.pending();
      if (request == null || request.id() != a.request()) {
        return new Transition(state, List.of());
      }
      PolicyState after = state.pending(null);
      boolean settled = phase instanceof State.Watching || phase instanceof Down;
      if (!settled || phase.active() != request.from()) {
        return new Transition(after, List.of());
      }
      if (!a.allowed()) {
        return vetoed(after, request, a);
      }
      boolean manual = request.kind() == PendingSwitch.Kind.MANUAL;
      if (!manual && after.regions().health(request.target(), now) == Health.DOWN) {
        return new Transition(after, List.of());
      }
      if (request.kind() == PendingSwitch.Kind.PLANNED && (wall == null
          || maintenance.leaving(after.maintenance(), after.active(), wall) == null)) {
        // The window was withdrawn (or a hold came) while the hook was asked: no move.
        return new Transition(after, List.of());
      }
      PolicyState next = moving(after, request.target(), true, List.of()).next();
      return new Transition(next, List.of(request.move()));
    }

    private Transition vetoed(PolicyState after, PendingSwitch request, Input.SwitchAnswered a) {
      Blocked.HookVeto veto = new Blocked.HookVeto(request.kind(), request.target(), a.hook(),
          a.output(), a.timedOut(), now);
      if (veto.sameVeto(after.blocked())) {
        return new Transition(after, List.of());
      }
      if (after.blocked() instanceof Blocked.HookVeto before && before.kind() == veto.kind()) {
        // The same veto with a new answer: blocked since it started.
        veto = new Blocked.HookVeto(veto.kind(), veto.target(), veto.hook(), veto.output(),
            veto.timedOut(), before.startedAt());
      }
      Duration outage = phase instanceof Down d ? Duration.ofNanos(now - d.since())
          : Duration.ZERO;
      return new Transition(after.blocked(veto), List.of(new Decision.FailoverBlocked(
          order.get(phase.active()), Blocked.HookVeto.REASON, outage, List.of(), null,
          order.get(request.target()), veto)));
    }

    /**
     * The fleet's move, reported as the transition a host makes alone: a failover pages as
     * one. While a switch or repair runs it is not taken (no decision); the member posts it
     * again once the loop is free.
     */
    @Override
    public Transition fleetMove(Input.FleetMove m) {
      if (manual.refusal(phase, state.regions(), m.target(), true, now) != null) {
        return new Transition(state, List.of());
      }
      Region from = order.get(phase.active());
      Region to = order.get(m.target());
      Origin origin = Origin.fleet(m.epoch());
      Decision move = switch (m.kind()) {
        case FAILOVER -> new FailOver(from, to, m.target(), phase instanceof Down d
            ? Duration.ofNanos(now - d.since()) : Duration.ZERO, threshold, m.reason(),
            List.of(), origin);
        case FAILBACK -> new Decision.FailBack(from, to, m.target(),
            state.regions().upFor(m.target(), 0, now)
                ? Duration.ofNanos(now - state.regions().last(m.target()).upSince())
                : Duration.ZERO, origin);
        case MANUAL -> new Decision.ManualMove(from, to, m.target(), m.by(), false, origin);
      };
      // Counted in the fleet's budget, by the decider, not in this host's.
      return moving(state, m.target(), false, List.of(move));
    }

    private Transition moving(PolicyState from, int target, boolean count, List<Decision> out) {
      PolicyState next = from.pending(null).with(new Switching(phase.active(), target, now, now,
          false));
      return new Transition((count ? counted(next) : next.vetoOver()).repaired(false)
          .failbackWaiting(-1), out);
    }

    @Override
    public Transition fleetMode(Input.FleetMode f) {
      return new Transition(automaticGivenUp(state).fleet(f.fleet()), List.of());
    }

    /**
     * An automatic move waiting for the pre-switch hook is given up (a hold, or the fleet
     * deciding); a manual one is not: an operator's move is no automatic transition.
     */
    private PolicyState automaticGivenUp(PolicyState s) {
      PendingSwitch p = s.pending();
      return p != null && p.kind() != PendingSwitch.Kind.MANUAL ? s.pending(null) : s;
    }

    /**
     * A hold from now, from a time passed (what is left of it), or from a time to come: then
     * it waits in the plan and begins at the first step at or after its start on the wall
     * clock. A restored hold (read back at start-up) answers no operator.
     */
    @Override
    public Transition hold(Input.HoldCommand h) {
      if (wall != null && h.from() != null && h.from().isAfter(wall)) {
        String what = "hold scheduled from " + h.from() + ": no automatic transition "
            + (h.duration() != null ? "for " + h.duration() : "until released");
        return new Transition(state.maintenance(state.maintenance().pendingHold(h)),
            h.restored() ? List.of() : List.of(new Decision.ManualCommand(h, true, what)));
      }
      Duration left = h.duration();
      if (left != null && h.from() != null && wall != null) {
        left = left.minus(Duration.between(h.from(), wall));
        if (left.isZero() || left.isNegative()) {
          return new Transition(state, h.restored() ? List.of() : List.of(
              new Decision.ManualCommand(h, false, "the hold would have ended at "
                  + h.from().plus(h.duration()) + ", before now")));
        }
      }
      return startHold(state, h, left, new ArrayList<>());
    }

    private Transition startHold(PolicyState s, Input.HoldCommand h, Duration left,
        List<Decision> out) {
      boolean expires = left != null;
      Hold hold = new Hold(h.by(), h.reason(), now, expires ? now + left.toNanos() : 0,
          expires, false);
      String what = (s.held() ? "hold replaced: " : "held: ")
          + "no automatic transition " + (expires ? "for " + left : "until released");
      if (!h.restored() && s.maintenance().pendingHold() != h) {
        out.add(new Decision.ManualCommand(h, true, what));
      }
      out.add(new Decision.HoldStarted(hold, left, h.restored()));
      // A hold gives up a move waiting for the pre-switch hook (issue 28).
      PolicyState next = automaticGivenUp(s).hold(hold);
      if (s.maintenance().pendingHold() == h) {
        next = next.maintenance(s.maintenance().pendingHold(null));
      }
      return new Transition(next, out);
    }

    @Override
    public Transition release(Input.ReleaseCommand r) {
      Hold hold = state.hold();
      Input.HoldCommand pending = state.maintenance().pendingHold();
      if (hold == null && pending == null) {
        return new Transition(state, List.of(
            new Decision.ManualCommand(r, false, "the host is not held")));
      }
      PolicyState next = state.maintenance(state.maintenance().pendingHold(null));
      if (hold == null) {
        return new Transition(next, List.of(new Decision.ManualCommand(r, true,
            "the hold scheduled from " + pending.from() + " is cancelled")));
      }
      return new Transition(next.hold(null), List.of(
          new Decision.ManualCommand(r, true, "released: automatic transitions resume"
              + (pending == null ? "" : "; the hold scheduled from " + pending.from()
                  + " is cancelled too")),
          new Decision.HoldEnded(hold, r.by(), Duration.ofNanos(now - hold.since()))));
    }

    @Override
    public Transition regionProbed(Input.RegionProbed p) {
      RegionView regions = state.regions().with(p.region(), now, p.result());
      List<Decision> out = new ArrayList<>();
      out.add(new Decision.RegionProbeSeen(order.get(p.region()), p.result()));
      if (regions.unusableToReport()) {
        List<String> reasons = new ArrayList<>();
        for (int r = 0; r < order.size(); r++) {
          reasons.add(order.get(r).name() + ": " + regions.last(r).result().reason());
        }
        out.add(new Decision.RegionProbeUnusable(reasons));
        regions = regions.unusableReported();
      }
      PolicyState after = state.with(regions);
      if (phase instanceof Switching || phase instanceof Repairing) {
        return new Transition(after, out);
      }
      return failBack(after, out);
    }

    @Override
    public Transition switchDone(Input.SwitchDone d) {
      return settled(switches.done(phase, d, now));
    }

    @Override
    public Transition switchAttemptFailed(Input.SwitchAttemptFailed f) {
      return settled(switches.attemptFailed(phase, f, now));
    }

    @Override
    public Transition stackChecked(Input.StackChecked c) {
      if (state.regions().health(phase.active(), now) == Health.DOWN) {
        // The region is down on its own: the stack failing with it is no fault of this
        // host, and the outage rules (not a repair in place) decide what happens.
        return new Transition(state, List.of());
      }
      return settled(stack.checked(phase, c, now));
    }

    @Override
    public Transition stackRepaired(Input.StackRepaired r) {
      return settled(stack.repaired(phase, r, now));
    }

    /**
     * A rule changed the phase: after a switch or repair the chain evidence starts clean. A
     * move waiting for the pre-switch hook when the stack starts being repaired is given up:
     * it was decided on evidence the repair makes void (decided again after it, if need be).
     */
    private Transition settled(PhaseChange change) {
      PolicyState next = change.next() instanceof Repairing ? state.pending(null).with(
          change.next()) : state.with(change.next());
      boolean fresh = change.next() != phase && change.next() instanceof State.Watching;
      return new Transition(fresh ? next.cleanChain(now) : next, change.decisions());
    }
  }
}
