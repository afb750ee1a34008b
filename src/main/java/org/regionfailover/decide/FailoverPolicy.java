package org.regionfailover.decide;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Decision.FailOver;
import org.regionfailover.decide.Decision.LateProbe;
import org.regionfailover.decide.Decision.OutageEnded;
import org.regionfailover.decide.Decision.OutageStarted;
import org.regionfailover.decide.Decision.ProbeSeen;
import org.regionfailover.decide.Decision.SwitchCompleted;
import org.regionfailover.decide.State.Down;
import org.regionfailover.decide.State.Repairing;
import org.regionfailover.decide.State.Switching;
import org.regionfailover.decide.State.Watching;

/**
 * The failover rule as a pure function {@code (state, input, now) -> (state', decisions)}:
 * an outage starts at the first failed probe and ends at any healthy one; once it has
 * lasted the threshold, the host moves to the next region in the order, wrapping around,
 * and the new region starts with a clean clock.
 *
 * <p>No I/O, no clock reads: every timing rule is tested with plain numbers.
 */
public final class FailoverPolicy {
  /**
   * A probe more than 1.5 intervals after the previous one means the process did not run
   * on time (GC, VM or SIGSTOP pause). Half an interval of slack absorbs scheduling jitter
   * and slow probes, which end before the next slot because the timeout is below the
   * interval.
   */
  static final double LATE_FACTOR = 1.5;

  private final List<Region> order;
  private final long intervalNanos;
  private final long lateNanos;
  private final Duration threshold;
  private final long thresholdNanos;

  public FailoverPolicy(List<Region> order, Duration interval, Duration threshold) {
    this.order = List.copyOf(Objects.requireNonNull(order, "order"));
    if (this.order.isEmpty()) {
      throw new IllegalArgumentException("the failover order cannot be empty");
    }
    if (interval.isNegative() || interval.isZero() || threshold.compareTo(interval) < 0) {
      throw new IllegalArgumentException(
          "need 0 < interval <= threshold, got " + interval + " and " + threshold);
    }
    this.intervalNanos = interval.toNanos();
    this.lateNanos = (long) (intervalNanos * LATE_FACTOR);
    this.threshold = threshold;
    this.thresholdNanos = threshold.toNanos();
  }

  /** The state to start in, with {@code active} adopted at {@code now}. */
  public State initial(int active, long now) {
    Objects.checkIndex(active, order.size());
    return new Watching(active, now);
  }

  /**
   * The state to start in when the stack must first be started on {@code active}: probes
   * are not evidence until the act stage reports the stack up.
   */
  public State starting(int active, long now) {
    Objects.checkIndex(active, order.size());
    return new Switching(active, active, now, now, true);
  }

  /** The region at an index of the order. */
  public Region region(int index) {
    return order.get(index);
  }

  public List<Region> order() {
    return order;
  }

  /** One step. */
  public Transition decide(State state, Input input, long now) {
    if (input instanceof Input.Probed p) {
      return probed(state, p, now);
    }
    if (input instanceof Input.SwitchFailed f) {
      return switchFailed(state, f, now);
    }
    if (input instanceof Input.StackChecked c) {
      return stackChecked(state, c, now);
    }
    if (input instanceof Input.StackRepaired r) {
      return stackRepaired(state, r, now);
    }
    return switchDone(state, (Input.SwitchDone) input, now);
  }

  /**
   * A program of the stack is not RUNNING, or supervisord is not answering (a restarted
   * supervisord does not start {@code autostart=false} programs): the tunnel is down, so a
   * failed probe says nothing about the region. Repair the stack in place and drop the
   * outage clock, which may have counted probes that failed because of it. While a switch
   * or a repair is in flight the stack is being started anyway.
   */
  private Transition stackChecked(State state, Input.StackChecked c, long now) {
    if (c.up() || state instanceof Switching || state instanceof Repairing) {
      return new Transition(state, List.of());
    }
    String reason = c.unreachable() != null ? c.unreachable()
        : "not RUNNING: " + String.join(", ", c.notRunning());
    return new Transition(new Repairing(state.active(), state.lastProbeAt(), now, reason),
        List.of(new Decision.RepairStack(order.get(state.active()), c.notRunning(),
            c.unreachable())));
  }

  private Transition stackRepaired(State state, Input.StackRepaired r, long now) {
    if (!(state instanceof Repairing rep)) {
      throw new IllegalStateException("stack repaired while " + state);
    }
    // A clean outage clock, as after a switch: evidence from before the repair is stale.
    return new Transition(new Watching(rep.active(), rep.lastProbeAt()),
        List.of(new Decision.StackRepaired(order.get(rep.active()), r.started(),
            Duration.ofNanos(now - rep.since()), r.repairs())));
  }

  private Transition probed(State state, Input.Probed p, long now) {
    Region active = order.get(state.active());
    List<Decision> out = new ArrayList<>();
    out.add(new ProbeSeen(active, p.result()));
    long gap = now - state.lastProbeAt();
    boolean late = gap - lateNanos > 0;
    if (late) {
      out.add(new LateProbe(active, Duration.ofNanos(gap), Duration.ofNanos(intervalNanos)));
    }
    if (state instanceof Switching s) {
      return new Transition(
          new Switching(s.active(), s.target(), now, s.startedAt(), s.startup()), out);
    }
    if (state instanceof Repairing r) {
      return new Transition(new Repairing(r.active(), now, r.since(), r.reason()), out);
    }
    if (p.result().healthy()) {
      if (state instanceof Down d) {
        out.add(new OutageEnded(active, Duration.ofNanos(now - d.since())));
      }
      return new Transition(new Watching(state.active(), now), out);
    }
    String reason = p.result().reason();
    if (!(state instanceof Down d)) {
      out.add(new OutageStarted(active, reason));
      return new Transition(new Down(state.active(), now, now, 1, reason), out);
    }
    if (late) {
      // The pause is not evidence: shift the start of the outage by the time we were not
      // watching, and wait for a probe on time before acting on it.
      long since = d.since() + (gap - intervalNanos);
      return new Transition(new Down(d.active(), now, since, d.failures() + 1, reason), out);
    }
    long outage = now - d.since();
    if (outage - thresholdNanos >= 0) {
      int target = (d.active() + 1) % order.size();
      out.add(new FailOver(active, order.get(target), target, Duration.ofNanos(outage),
          threshold, reason));
      return new Transition(new Switching(d.active(), target, now, now, false), out);
    }
    return new Transition(new Down(d.active(), now, d.since(), d.failures() + 1, reason), out);
  }

  private Transition switchFailed(State state, Input.SwitchFailed failed, long now) {
    if (!(state instanceof Switching s) || s.target() != failed.target()) {
      throw new IllegalStateException("switch to " + failed.target() + " failed while " + state);
    }
    Region region = order.get(s.target());
    // The host cannot be put on this region: count it as down since the switch began, so
    // the outage clock is already at the threshold and the next failed probe moves on
    // (a healthy one means the region works after all, and ends the outage).
    String reason = "switch to " + region.name() + " failed: " + failed.reason();
    return new Transition(new Down(s.target(), s.lastProbeAt(), s.startedAt(), 1, reason),
        List.of(new Decision.SwitchAbandoned(region, Duration.ofNanos(now - s.startedAt()),
            failed.reason(), s.startup())));
  }

  private Transition switchDone(State state, Input.SwitchDone done, long now) {
    if (!(state instanceof Switching s) || s.target() != done.target()) {
      throw new IllegalStateException("switch to " + done.target() + " done while " + state);
    }
    Region region = order.get(s.target());
    // The new region starts with a clean outage clock: counters are reset after an action,
    // so the action does not repeat on evidence gathered before it.
    return new Transition(new Watching(s.target(), s.lastProbeAt()),
        List.of(new SwitchCompleted(region, Duration.ofNanos(now - s.startedAt()), s.startup())));
  }
}
