package org.regionfailover.decide;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * composed of small rules: the pause rule, the outage clock, pre-flight target choice,
 * repair in place, what becomes of a switch, and the stack's repair. Each rule is tested
 * alone with plain numbers; this class only routes an input to them.
 *
 * <p>No I/O, no clock reads.
 */
public final class FailoverPolicy {
  private final List<Region> order;
  private final Duration threshold;
  private final long staleAfterNanos;
  private final PauseRule pause;
  private final OutageClock clock;
  private final TargetChoice targets;
  private final SwitchRule switches;
  private final StackRule stack;

  /** Without direct probes of the regions (each region's health stays unknown). */
  public FailoverPolicy(List<Region> order, Duration interval, Duration threshold) {
    this(order, interval, threshold, interval.multipliedBy(3));
  }

  /** {@code regionInterval}: the cadence of direct probes; a probe older than two is stale. */
  public FailoverPolicy(List<Region> order, Duration interval, Duration threshold,
      Duration regionInterval) {
    this.order = List.copyOf(Objects.requireNonNull(order, "order"));
    if (this.order.isEmpty()) {
      throw new IllegalArgumentException("the failover order cannot be empty");
    }
    if (interval.isNegative() || interval.isZero() || threshold.compareTo(interval) < 0) {
      throw new IllegalArgumentException(
          "need 0 < interval <= threshold, got " + interval + " and " + threshold);
    }
    if (regionInterval.compareTo(interval) < 0) {
      throw new IllegalArgumentException(
          "need interval <= region interval, got " + interval + " and " + regionInterval);
    }
    this.threshold = threshold;
    this.staleAfterNanos = regionInterval.multipliedBy(2).toNanos();
    this.pause = new PauseRule(interval.toNanos());
    this.clock = new OutageClock(threshold);
    this.targets = new TargetChoice(this.order);
    this.switches = new SwitchRule(this.order, threshold);
    this.stack = new StackRule(this.order);
  }

  /** The state to start in, with {@code active} adopted at {@code now}, nothing to start. */
  public PolicyState initial(int active, long now) {
    Objects.checkIndex(active, order.size());
    return new PolicyState(new State.Watching(active, now),
        RegionView.empty(order.size(), staleAfterNanos), false);
  }

  /**
   * Start-up with a stack to start on {@code active}: probes are not evidence until it is
   * up. {@code interrupted}: a switch was cut short, so the whole stack is restarted.
   */
  public Transition start(int active, long now, boolean interrupted) {
    PolicyState initial = initial(active, now);
    return apply(initial, switches.start(active, now, interrupted));
  }

  /** The region at an index of the order. */
  public Region region(int index) {
    return order.get(index);
  }

  public List<Region> order() {
    return order;
  }

  /** One step. */
  public Transition decide(PolicyState state, Input input, long now) {
    return input.accept(new Step(state, now));
  }

  private static Transition apply(PolicyState state, PhaseChange change) {
    return new Transition(state.with(change.next()), change.decisions());
  }

  /** One input against one state; the visitor makes the dispatch exhaustive. */
  private final class Step implements Input.Visitor<Transition> {
    private final PolicyState state;
    private final State phase;
    private final long now;

    Step(PolicyState state, long now) {
      this.state = state;
      this.phase = state.phase();
      this.now = now;
    }

    @Override
    public Transition probed(Input.Probed p) {
      if (p.region() != phase.active()) {
        // Probed before the host moved; it says nothing about where the host is now.
        return new Transition(state, List.of());
      }
      Region active = order.get(phase.active());
      List<Decision> out = new ArrayList<>();
      out.add(new ProbeSeen(active, p.result()));
      boolean late = pause.late(phase.lastProbeAt(), now);
      if (late) {
        out.add(new LateProbe(active, Duration.ofNanos(now - phase.lastProbeAt()),
            Duration.ofNanos(pause.intervalNanos())));
      }
      if (phase instanceof Switching s) {
        return new Transition(state.with(
            new Switching(s.active(), s.target(), now, s.startedAt(), s.startup())), out);
      }
      if (phase instanceof Repairing r) {
        return new Transition(state.with(new Repairing(r.active(), now, r.since(), r.reason())),
            out);
      }
      State next = clock.next(phase, active, p.result(), now, late, pause, out);
      // A healthy probe after a repair in place: the repair worked, the next outage may have one.
      PolicyState after = p.result().healthy() ? state.with(next).repaired(false) : state.with(next);
      if (late || !(phase instanceof Down) || !(next instanceof Down d) || !clock.reached(d, now)) {
        return new Transition(after, out);
      }
      return thresholdReached(after, d, out);
    }

    /** The outage of the active region has lasted the threshold: repair, move, or hold. */
    private Transition thresholdReached(PolicyState after, Down d, List<Decision> out) {
      Region active = order.get(d.active());
      Duration outage = Duration.ofNanos(now - d.since());
      if (!after.repairedInPlace() && after.regions().health(d.active(), now) == Health.UP) {
        // Chain down, region up on its own: the fault is this host's tunnel or client.
        out.add(new Decision.RepairInPlace(active, outage, d.reason()));
        return new Transition(after.with(new Switching(d.active(), d.active(), now, now, false))
            .repaired(true), out);
      }
      TargetChoice.Choice choice = targets.after(d.active(), after.regions(), now);
      if (choice.blocked()) {
        out.add(new Decision.FailoverBlocked(active, "no_healthy_target", outage,
            choice.skipped()));
        return new Transition(after, out);
      }
      out.add(new FailOver(active, order.get(choice.target()), choice.target(), outage,
          threshold, d.reason(), choice.skipped()));
      return new Transition(after.with(new Switching(d.active(), choice.target(), now, now,
          false)).repaired(false), out);
    }

    @Override
    public Transition regionProbed(Input.RegionProbed p) {
      ProbeResult result = p.result();
      RegionView regions = state.regions().with(p.region(), now, result);
      List<Decision> out = new ArrayList<>();
      out.add(new Decision.RegionProbeSeen(order.get(p.region()), result));
      if (regions.unusableToReport()) {
        List<String> reasons = new ArrayList<>();
        for (int r = 0; r < order.size(); r++) {
          reasons.add(order.get(r).name() + ": " + regions.last(r).result().reason());
        }
        out.add(new Decision.RegionProbeUnusable(reasons));
        regions = regions.unusableReported();
      }
      return new Transition(state.with(regions), out);
    }

    @Override
    public Transition switchDone(Input.SwitchDone d) {
      return apply(state, switches.done(phase, d, now));
    }

    @Override
    public Transition switchAttemptFailed(Input.SwitchAttemptFailed f) {
      return apply(state, switches.attemptFailed(phase, f, now));
    }

    @Override
    public Transition stackChecked(Input.StackChecked c) {
      return apply(state, stack.checked(phase, c, now));
    }

    @Override
    public Transition stackRepaired(Input.StackRepaired r) {
      return apply(state, stack.repaired(phase, r, now));
    }
  }
}
