package org.regionfailover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.regionfailover.decide.Decision;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.State;
import org.regionfailover.decide.Transition;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.probe.ProbeResult;

/**
 * Drives the policy as the loop does, in zero wall time: each input is handed in at
 * {@code origin} plus a whole number of seconds, and every decision is kept in order. Tests
 * start {@code origin} near {@link Long#MAX_VALUE} to show that no time is compared with
 * {@code <}.
 */
public final class DecideHarness {
  public static final long S = 1_000_000_000L;
  public static final ProbeResult OK = ProbeResult.healthy(12, 200);
  public static final ProbeResult FAIL = ProbeResult.failed(5000, "timeout");

  private final FailoverPolicy policy;
  private final long origin;
  private final List<Decision> decisions = new ArrayList<>();
  private PolicyState state;
  private long now;
  private FailoverLoop.StepListener listener = (input, at, transition) -> { };

  /** The host starts on {@code active} at {@code origin}. */
  public DecideHarness(FailoverPolicy policy, int active, long origin) {
    this(policy, policy.initial(active, origin), origin);
  }

  /** The host starts in {@code state}; seconds count from {@code origin}. */
  public DecideHarness(FailoverPolicy policy, PolicyState state, long origin) {
    this.policy = policy;
    this.state = state;
    this.origin = origin;
    this.now = origin;
  }

  /** Hands every step to {@code listener} too, as the loop hands them to the status page. */
  public DecideHarness onStep(FailoverLoop.StepListener listener) {
    this.listener = listener;
    return this;
  }

  /**
   * The defaults: probes every 10 s, threshold 4 min, direct probes every 30 s, failure
   * ratio 0.8, fail-back after 10 min, budget 3 an hour, no latency band.
   */
  public static PolicySettings defaults(FailbackMode failback) {
    return new PolicySettings(Duration.ofSeconds(10), Duration.ofMinutes(4),
        Duration.ofSeconds(30), 0.8, failback, Duration.ofMinutes(10), 3, Duration.ofHours(1),
        null, null);
  }

  /** Hands {@code input} to the policy {@code seconds} after the origin; its decisions. */
  public List<Decision> at(long seconds, Input input) {
    now = origin + seconds * S;
    Transition t = policy.decide(state, input, now);
    state = t.next();
    decisions.addAll(t.decisions());
    listener.stepped(input, now, t);
    return t.decisions();
  }

  /** Starts the host on {@code active} at the origin, as the loop does at start-up. */
  public List<Decision> start(int active, boolean interrupted) {
    Transition t = policy.start(active, origin, interrupted);
    state = t.next();
    decisions.addAll(t.decisions());
    return t.decisions();
  }

  /** A chain probe of the active region. */
  public List<Decision> chain(long seconds, ProbeResult result) {
    return at(seconds, new Input.Probed(state.active(), result));
  }

  /** Direct probes of the regions in order, from the first, all at {@code seconds}. */
  public void direct(long seconds, ProbeResult... byRegion) {
    for (int i = 0; i < byRegion.length; i++) {
      at(seconds, new Input.RegionProbed(i, byRegion[i]));
    }
  }

  /** Acknowledges a switch in progress at once, as the act stage would. */
  public void settle(long seconds) {
    if (state.phase() instanceof State.Switching s) {
      at(seconds, new Input.SwitchDone(s.target()));
    }
  }

  /** Every decision of {@code kind} so far, in order. */
  public <D extends Decision> List<D> all(Class<D> kind) {
    return decisions.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  public List<Decision> decisions() {
    return decisions;
  }

  /** The time of the latest input: a ticker for what the test watches. */
  public long now() {
    return now;
  }

  public PolicyState state() {
    return state;
  }

  public FailoverPolicy policy() {
    return policy;
  }
}
