package org.regionfailover.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Blocked;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Hold;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.PolicyStatus;
import org.regionfailover.decide.RegionView;
import org.regionfailover.decide.State;
import org.regionfailover.decide.Transition;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.probe.ProbeResult;
import org.regionfailover.time.Ticker;

/**
 * Keeps what the status server shows, on the loop's thread: the probes of the last hour,
 * the last transitions, the stack as last checked, and since when each component has been
 * OK or failing; after every step it publishes one immutable {@link StatusSnapshot}. A
 * request reads the last snapshot and never waits on the loop.
 */
public final class StatusRecorder implements FailoverLoop.StepListener {
  /** What a component outside the loop (Datadog) says of itself, read at each step. */
  public record Check(boolean ok, String reason) {}

  static final int TRANSITIONS_KEPT = 50;
  /** An hour at 1 s; a faster cadence (tests, the demo) keeps less than an hour. */
  static final int MAX_SAMPLES = 3600;

  /** Replaced on the loop's thread by a reload of the rules (same order). */
  private FailoverPolicy policy;
  private final List<Region> order;
  private final Clock clock;
  private final Ticker ticker;
  private final String version;
  private final boolean stackWatched;
  private final Supplier<Check> datadog;
  /** Components of a coordinated host (its link to the cluster, its role), in order. */
  private final java.util.List<Extra> extras = new java.util.concurrent.CopyOnWriteArrayList<>();

  private record Extra(String name, boolean aggregated, Supplier<Check> check) {}
  private final LatencyRing[] chain;
  private final LatencyRing[] direct;
  private final LatencySeries[] chainSeries;
  private final LatencySeries[] directSeries;
  private final ProbeSeen[] lastChain;
  /**
   * The applications' calls through each region, an hour of intervals (issue 27); null
   * while no traffic source is on, so that a host without one keeps nothing.
   */
  private TrafficRing[] traffic;
  private TrafficSeries[] trafficSeries;
  /** Newest first. */
  private final List<TransitionRecord> transitions = new ArrayList<>();
  private final Map<String, Component> components = new HashMap<>();
  private Input.StackChecked lastStack;
  /** Why the last input could not be handled; null when it was. */
  private String loopError;
  private PolicyState last;
  private String phaseKey = "";
  private Instant phaseSince;
  private volatile StatusSnapshot snapshot;
  /** When the last traffic evidence was taken (issue 27), or the first publish before any. */
  private Instant evidenceAt;
  private boolean evidenceSeen;
  private StatusSnapshot.TrafficView lastTraffic;

  private record ProbeSeen(Instant at, ProbeResult result) {}

  /**
   * For the loop that runs {@code policy}, probing every {@code interval} through the chain
   * and every {@code regionInterval} directly; {@code stackWatched}: supervisord runs the
   * stack and is checked (not in dry run).
   */
  public StatusRecorder(FailoverPolicy policy, Duration interval, Duration regionInterval,
      Clock clock, Ticker ticker, String version, boolean stackWatched,
      Supplier<Check> datadog) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.order = policy.order();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.version = Objects.requireNonNull(version, "version");
    this.stackWatched = stackWatched;
    this.datadog = Objects.requireNonNull(datadog, "datadog");
    int n = order.size();
    chain = new LatencyRing[n];
    direct = new LatencyRing[n];
    chainSeries = new LatencySeries[n];
    directSeries = new LatencySeries[n];
    lastChain = new ProbeSeen[n];
    for (int i = 0; i < n; i++) {
      chain[i] = new LatencyRing(LatencyRing.hourAt(interval.toMillis(), MAX_SAMPLES));
      direct[i] = new LatencyRing(LatencyRing.hourAt(regionInterval.toMillis(), MAX_SAMPLES));
      chainSeries[i] = LatencySeries.EMPTY;
      directSeries[i] = LatencySeries.EMPTY;
    }
    trafficKept(policy.settings().traffic().enabled(), interval);
  }

  /**
   * Keeps the calls of the last hour at {@code interval} while a traffic source is on
   * ({@code on}), the newest kept across a change of cadence; forgets them when it is off.
   */
  private void trafficKept(boolean on, Duration interval) {
    if (!on) {
      traffic = null;
      trafficSeries = null;
      return;
    }
    int slots = LatencyRing.hourAt(interval.toMillis(), MAX_SAMPLES);
    if (traffic == null) {
      traffic = new TrafficRing[order.size()];
      trafficSeries = new TrafficSeries[order.size()];
    }
    for (int i = 0; i < order.size(); i++) {
      traffic[i] = traffic[i] == null ? new TrafficRing(slots) : traffic[i].resized(slots);
      trafficSeries[i] = traffic[i].series();
    }
  }

  /**
   * The loop has stopped and the host no longer runs the stack (a standby): readers get no
   * snapshot, as before the first start, until {@link #begin} is called for the next loop.
   */
  public void end() {
    snapshot = null;
  }

  /** Publishes the first snapshot, from the loop's initial state; before its thread runs. */
  public void begin(PolicyState initial) {
    publish(initial, ticker.read());
  }

  @Override
  public void stepped(Input input, long at, Transition transition) {
    Instant when = wall(at);
    if (input instanceof Input.StackChecked c) {
      lastStack = c;
    } else if (input instanceof Input.StackRepaired) {
      lastStack = null;
    }
    Recording recording = new Recording(when, at);
    transition.decisions().forEach(d -> d.accept(recording));
    loopError = null;
    publish(transition.next(), at);
  }

  @Override
  public void failed(Input input, long at, Throwable error) {
    loopError = "handling " + input.getClass().getSimpleName() + " failed: " + error;
    if (last != null) {
      publish(last, at);
    }
  }

  /**
   * The rules were reloaded: the snapshot shows the new threshold, budget and fail-back at
   * once, and the latency history keeps an hour at the new cadences (its newest probes
   * kept), as do the calls of a traffic source (forgotten when the reload turns it off).
   */
  @Override
  public void reconfigured(FailoverPolicy next, PolicyState state, long at) {
    policy = next;
    int chainSlots = LatencyRing.hourAt(next.settings().interval().toMillis(), MAX_SAMPLES);
    int directSlots = LatencyRing.hourAt(next.settings().regionInterval().toMillis(),
        MAX_SAMPLES);
    for (int i = 0; i < order.size(); i++) {
      chain[i] = chain[i].resized(chainSlots);
      direct[i] = direct[i].resized(directSlots);
      chainSeries[i] = chain[i].series();
      directSeries[i] = direct[i].series();
    }
    trafficKept(next.settings().traffic().enabled(), next.settings().interval());
    publish(state, at);
  }

  /** The last snapshot; null before {@link #begin}. Never blocks. */
  public StatusSnapshot snapshot() {
    return snapshot;
  }

  /** What the status page keeps of each decision: probes, transitions, holds. */
  private final class Recording implements Decision.Visitor<Void> {
    private final Instant when;
    /** The step's ticker slot: the traffic reports of one drain share it. */
    private final long slot;

    Recording(Instant when, long slot) {
      this.when = when;
      this.slot = slot;
    }

    @Override
    public Void probeSeen(Decision.ProbeSeen p) {
      int r = order.indexOf(p.region());
      chain[r].add(when.toEpochMilli(), p.result().latencyMs(), p.result().healthy());
      chainSeries[r] = chain[r].series();
      lastChain[r] = new ProbeSeen(when, p.result());
      return null;
    }

    @Override
    public Void regionProbeSeen(Decision.RegionProbeSeen p) {
      int r = order.indexOf(p.region());
      direct[r].add(when.toEpochMilli(), p.result().latencyMs(), p.result().healthy());
      directSeries[r] = direct[r].series();
      return null;
    }

    /**
     * Issue 27: evidence arrived (the traffic component), and the calls go on the plot of
     * the region they went through, even when the rules ignore them (a late report from
     * before a move): what the applications saw of that region.
     */
    @Override
    public Void trafficSeen(Decision.TrafficSeen t) {
      evidenceAt = when;
      evidenceSeen = true;
      lastTraffic = new StatusSnapshot.TrafficView(t.region().name(), t.traffic().source(),
          t.traffic().ok(), t.traffic().unreachable(), t.ignored(), t.volume(), t.share(), when);
      int r = order.indexOf(t.region());
      if (traffic != null && r >= 0) {
        traffic[r].add(slot, when.toEpochMilli(), t.traffic().ok(), t.traffic().unreachable());
        trafficSeries[r] = traffic[r].series();
      }
      return null;
    }

    @Override
    public Void failOver(Decision.FailOver f) {
      return begun(when, "failover", f.from(), f.to(), f.reason(), null);
    }

    @Override
    public Void failBack(Decision.FailBack f) {
      return begun(when, "failback", f.from(), f.to(), "up on its direct probe for "
          + f.upFor().toSeconds() + " s", null);
    }

    @Override
    public Void repairInPlace(Decision.RepairInPlace r) {
      return begun(when, "repair", r.region(), r.region(), r.reason(), null);
    }

    @Override
    public Void manualMove(Decision.ManualMove m) {
      return begun(when, "manual", m.from(), m.to(), m.force() ? "asked by " + m.by().user()
          + ", pre-flight skipped" : "asked by " + m.by().user(), m.by().user());
    }

    @Override
    public Void plannedMove(Decision.PlannedMove m) {
      return begun(when, "maintenance", m.from(), m.to(), "maintenance of " + m.from().name()
          + " from " + m.window().start() + " (" + m.window().reason() + ")", null);
    }

    /** The windows themselves are read from the state: nothing to keep of a notice. */
    @Override public Void maintenanceNotice(Decision.MaintenanceNotice d) { return null; }

    @Override
    public Void switchCompleted(Decision.SwitchCompleted s) {
      return s.startup() ? null : finish("completed", s.took());
    }

    @Override
    public Void switchAbandoned(Decision.SwitchAbandoned a) {
      return a.startup() ? null : finish("failed", a.took());
    }

    @Override
    public Void holdStarted(Decision.HoldStarted h) {
      Hold hold = h.hold();
      return add(new TransitionRecord(when, "hold", null, null, hold.reason(),
          hold.by().user(), "done", 0));
    }

    @Override
    public Void holdEnded(Decision.HoldEnded h) {
      return add(new TransitionRecord(when, "release", null, null, h.by() == null
          ? "hold ran out" : "released", h.by() == null ? null : h.by().user(), "done", 0));
    }

    // Shown from the state, or only in the log.
    @Override public Void outageStarted(Decision.OutageStarted d) { return null; }

    @Override public Void outageEnded(Decision.OutageEnded d) { return null; }

    @Override public Void failoverBlocked(Decision.FailoverBlocked d) { return null; }

    @Override public Void switchPending(Decision.SwitchPending d) { return null; }

    @Override public Void repairAbandoned(Decision.RepairAbandoned d) { return null; }

    @Override public Void regionProbeUnusable(Decision.RegionProbeUnusable d) { return null; }

    @Override public Void startStack(Decision.StartStack d) { return null; }

    @Override public Void repairStack(Decision.RepairStack d) { return null; }

    @Override public Void stackRepaired(Decision.StackRepaired d) { return null; }

    @Override public Void lateProbe(Decision.LateProbe d) { return null; }

    @Override public Void manualCommand(Decision.ManualCommand d) { return null; }

    @Override public Void failbackWaiting(Decision.FailbackWaiting d) { return null; }

    @Override public Void heldBack(Decision.HeldBack d) { return null; }
  }

  private Void begun(Instant when, String kind, Region from, Region to, String reason,
      String by) {
    return add(new TransitionRecord(when, kind, from.name(), to.name(), reason, by,
        "in_progress", -1));
  }

  private Void add(TransitionRecord t) {
    transitions.add(0, t);
    if (transitions.size() > TRANSITIONS_KEPT) {
      transitions.remove(transitions.size() - 1);
    }
    return null;
  }

  /** Marks the newest transition in progress (the loop runs one at a time) as finished. */
  private Void finish(String how, Duration took) {
    for (int i = 0; i < transitions.size(); i++) {
      if (transitions.get(i).inProgress()) {
        transitions.set(i, transitions.get(i).finished(how, took.toMillis()));
        return null;
      }
    }
    return null;
  }

  private void publish(PolicyState state, long now) {
    last = state;
    Instant at = wall(now);
    PhaseView phase = PhaseView.of(state.phase(), order);
    if (!phase.key().equals(phaseKey)) {
      phaseKey = phase.key();
      phaseSince = phase.since() == Long.MIN_VALUE ? at : wall(phase.since());
    }
    List<RegionStatus> regions = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      regions.add(region(i, state, now));
    }
    PolicyStatus.Budget budget = policy.budget(state, now);
    PolicyStatus.Failback failback = policy.failback(state, now, at);
    Hold hold = state.hold();
    List<Component> parts = components(state, phase, regions, at);
    snapshot = new StatusSnapshot(at, version, state, phase.name(), phaseSince, phase.reason(),
        policy.threshold(), regions, budget,
        budget.freeIn() == null ? null : at.plus(budget.freeIn()), failback,
        failback.in() == null ? null : at.plus(failback.in()),
        hold == null ? null : wall(hold.since()),
        hold == null || !hold.expires() ? null : wall(hold.until()), parts,
        List.copyOf(transitions),
        state.blocked() != null && state.blocked().since() != null
            ? wall(state.blocked().since()) : null, lastTraffic);
  }

  private RegionStatus region(int i, PolicyState state, long now) {
    Region r = order.get(i);
    RegionView view = state.regions();
    RegionView.Seen seen = view.last(i);
    ProbeSeen c = lastChain[i];
    return new RegionStatus(r.name(), r.host(), i == state.active(), view.health(i, now),
        seen == null ? null : wall(seen.at()), seen == null ? -1 : seen.result().latencyMs(),
        seen == null || seen.result().healthy() ? null : seen.result().reason(),
        seen == null || !seen.result().healthy() ? null : wall(seen.upSince()),
        c == null ? null : c.at(), c == null ? -1 : c.result().latencyMs(),
        c != null && c.result().healthy(),
        c == null || c.result().healthy() ? null : c.result().reason(),
        chainSeries[i], directSeries[i], trafficSeries == null ? null : trafficSeries[i]);
  }

  private List<Component> components(PolicyState state, PhaseView phase,
      List<RegionStatus> regions, Instant at) {
    List<Component> out = new ArrayList<>();
    RegionStatus active = regions.get(state.active());
    out.add(component("active", phase.name().equals("watching"), phase.name().equals("watching")
        ? active.name() + (active.chainAt() == null ? ": no probe through the chain yet"
            : " answers through the local chain") : phase.reason(), at));
    for (RegionStatus r : regions) {
      // The active region counts through "active"; its direct probe alone does not move it.
      out.add(component("region/" + r.name(), r.health() != RegionView.Health.DOWN,
          regionReason(r, state), at, false));
    }
    out.add(stack(state, at));
    out.add(supervisord(at));
    out.add(component("loop", loopError == null, loopError == null
        ? "every input handled" : loopError, at));
    Check d = datadog.get();
    out.add(component("datadog", d.ok(), d.reason(), at, false));
    out.add(traffic(at));
    for (Extra e : extras) {
      Check k = e.check().get();
      out.add(component(e.name(), k.ok(), k.reason(), at, e.aggregated()));
    }
    return out;
  }

  private static String regionReason(RegionStatus r, PolicyState state) {
    return switch (r.health()) {
      case UP -> "up on its direct probe (" + r.directLatencyMs() + " ms)";
      case DOWN -> "down on its direct probe: " + r.directReason();
      case UNKNOWN -> r.directAt() == null ? "unknown: not probed directly yet"
          : !state.regions().usable() ? "unknown: no direct probe has ever succeeded"
              : "unknown: last direct probe too old";
    };
  }

  private Component stack(PolicyState state, Instant at) {
    if (!stackWatched) {
      return component("stack", true, "not watched (dry run)", at);
    }
    if (state.phase() instanceof State.Repairing r) {
      return component("stack", false, "being repaired: " + r.reason(), at);
    }
    if (lastStack == null) {
      return component("stack", true, "not checked since the last start or repair", at);
    }
    if (lastStack.unreachable() != null) {
      return component("stack", false, "unknown: supervisord did not answer", at);
    }
    return lastStack.notRunning().isEmpty()
        ? component("stack", true, "every program RUNNING", at)
        : component("stack", false, "not RUNNING: " + String.join(", ", lastStack.notRunning()),
            at);
  }

  /**
   * Whether the applications' evidence arrives (issue 27): OK with no source, or when
   * some arrived within the last two intervals. Reported alone: a client that stopped
   * reporting must not take the host out of a load balancer.
   */
  private Component traffic(Instant at) {
    if (!policy.settings().traffic().enabled()) {
      return component("traffic", true, "off: no traffic source", at, false);
    }
    if (evidenceAt == null) {
      evidenceAt = at;
    }
    Duration silent = Duration.between(evidenceAt, at);
    // From the start, as after a report: two intervals before the first one is missed.
    boolean ok = silent.compareTo(policy.settings().interval().multipliedBy(2)) <= 0;
    String reason = !ok ? "no evidence for " + silent.toSeconds() + " s"
        : evidenceSeen ? "evidence arriving (last " + silent.toSeconds() + " s ago)"
        : "waiting for the first evidence (" + silent.toSeconds() + " s since the start)";
    return component("traffic", ok, reason, at, false);
  }

  private Component supervisord(Instant at) {
    if (!stackWatched) {
      return component("supervisord", true, "not used (dry run)", at);
    }
    if (lastStack != null && lastStack.unreachable() != null) {
      return component("supervisord", false, lastStack.unreachable(), at);
    }
    return component("supervisord", true, "answers", at);
  }

  /**
   * Adds component {@code name}, read at each step; {@code aggregated}: part of
   * {@code /health} as a whole (the role of an active/standby host), or reported alone (a
   * fleet host's link to ZooKeeper: without it the host keeps serving on its region).
   */
  public void extra(String name, boolean aggregated, Supplier<Check> check) {
    extras.add(new Extra(name, aggregated, check));
  }

  /** The component with since-when kept across steps: it moves only when OK flips. */
  private Component component(String name, boolean ok, String reason, Instant at) {
    return component(name, ok, reason, at, true);
  }

  private Component component(String name, boolean ok, String reason, Instant at,
      boolean aggregated) {
    Component before = components.get(name);
    Instant since = before != null && before.ok() == ok ? before.since() : at;
    Component now = new Component(name, ok, reason, since, aggregated);
    components.put(name, now);
    return now;
  }

  private Instant wall(long tickerNanos) {
    return clock.instant().minusNanos(ticker.read() - tickerNanos);
  }
}
