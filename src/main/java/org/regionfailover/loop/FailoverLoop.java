package org.regionfailover.loop;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.regionfailover.act.ActionChain;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.State;
import org.regionfailover.decide.Transition;
import org.regionfailover.probe.Probe;
import org.regionfailover.report.DecisionEvents;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Ticker;

/**
 * One supervisor: reads the clock once per tick, probes the active region, hands both to
 * the pure policy, reports every decision and starts the switch it asks for.
 *
 * <p>Ticks (scheduler thread) and switch acknowledgements (act thread) are serialised by
 * this object's lock, so the policy sees one input at a time, in order.
 */
public final class FailoverLoop {
  private final FailoverPolicy policy;
  private final Probe probe;
  private final ActionChain act;
  private final EventLog log;
  private final Ticker ticker;
  private final AtomicReference<Region> active;
  private volatile java.util.function.Consumer<Region> activeListener = r -> { };
  private State state;

  public FailoverLoop(FailoverPolicy policy, State initial, Probe probe, ActionChain act,
      EventLog log, Ticker ticker) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.state = Objects.requireNonNull(initial, "initial");
    this.probe = Objects.requireNonNull(probe, "probe");
    this.act = Objects.requireNonNull(act, "act");
    this.log = Objects.requireNonNull(log, "log");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.active = new AtomicReference<>(policy.region(initial.active()));
  }

  /** One probe and the decision on it, at the time the clock reads now. */
  public synchronized void tick() {
    long now = ticker.read();
    var result = probe.probe(policy.region(state.active()));
    apply(new Input.Probed(result), now);
  }

  /**
   * One probe scheduled for {@code slot}. A tick that runs within {@code jitter} of its slot
   * is stamped with the slot, so that scheduling jitter of a few milliseconds cannot move
   * the failover from the probe at the threshold to the next one (4:00 vs 4:10). A later
   * tick keeps the time the clock reads, so a pause still shows as a gap.
   */
  public synchronized void tick(long slot, long jitter) {
    long read = ticker.read();
    long late = read - slot;
    long now = late >= 0 && late - jitter < 0 ? slot : read;
    var result = probe.probe(policy.region(state.active()));
    apply(new Input.Probed(result), now);
  }

  /** The act stage finished the switch to the region at {@code target}. */
  public synchronized void switchDone(int target) {
    apply(new Input.SwitchDone(target), ticker.read());
  }

  private void apply(Input input, long now) {
    Transition t = policy.decide(state, input, now);
    state = t.next();
    Region current = policy.region(state.active());
    if (!current.equals(active.getAndSet(current))) {
      activeListener.accept(current);
    }
    for (Decision d : t.decisions()) {
      log.emit(DecisionEvents.of(d));
      if (d instanceof Decision.FailOver f) {
        act.submit(f.to(), () -> switchDone(f.target()),
            reason -> switchFailed(f.target(), reason));
      }
    }
  }

  /** Called (on the loop's thread) whenever the active region changes. */
  public void onActiveRegion(java.util.function.Consumer<Region> listener) {
    this.activeListener = java.util.Objects.requireNonNull(listener, "listener");
  }

  /** The act stage gave up the switch to the region at {@code target}. */
  public synchronized void switchFailed(int target, String reason) {
    apply(new Input.SwitchFailed(target, reason), ticker.read());
  }

  public synchronized State state() {
    return state;
  }

  /** The region the host is on (or leaving, while a switch is in flight); never blocks. */
  public Region activeRegion() {
    return active.get();
  }
}
