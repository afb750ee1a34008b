package org.regionfailover.loop;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.regionfailover.act.ActionChain;
import org.regionfailover.act.EnvFileGuard;
import org.regionfailover.act.StackRepair;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.State;
import org.regionfailover.decide.Transition;
import org.regionfailover.probe.Probe;
import org.regionfailover.report.DecisionEvents;
import org.regionfailover.report.Event;
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
  private final Stack stack;
  private State state;
  /** Completed switches: a stack check that began before the last one is stale. */
  private long switches;

  /**
   * What the loop keeps in shape besides the region: the stack's programs ({@code repair},
   * null: not watched) and the env file ({@code guard}, null: not guarded, as in dry run).
   */
  public record Stack(StackRepair repair, EnvFileGuard guard, Runnable checkNow) {
    /** Neither watched nor guarded. */
    public static final Stack NONE = new Stack(null, null, () -> { });
  }

  public FailoverLoop(FailoverPolicy policy, State initial, Probe probe, ActionChain act,
      EventLog log, Ticker ticker) {
    this(policy, initial, probe, act, log, ticker, Stack.NONE);
  }

  public FailoverLoop(FailoverPolicy policy, State initial, Probe probe, ActionChain act,
      EventLog log, Ticker ticker, Stack stack) {
    this.stack = Objects.requireNonNull(stack, "stack");
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
    guardEnvFile();
    var result = probe.probe(policy.region(state.active()));
    apply(new Input.Probed(result), now);
  }

  /**
   * Puts back an env file deleted or edited by hand. Not while switching or starting: the
   * act stage is writing it then.
   */
  private void guardEnvFile() {
    if (stack.guard() == null || state instanceof State.Switching) {
      return;
    }
    Region active = policy.region(state.active());
    try {
      stack.guard().restore(active).ifPresent(found -> log.emit(Event.warn("env_file_restored",
              "env file " + stack.guard().file() + " was changed outside region-failover ("
                  + found + "); rewrote it for " + active.name())
          .with("region", active.name()).with("env_file", stack.guard().file().toString())
          .with("found", found)));
    } catch (IOException e) {
      log.emit(Event.error("env_file_restore_failed", "env file " + stack.guard().file()
              + " was changed and cannot be rewritten: " + e)
          .with("region", active.name()).with("env_file", stack.guard().file().toString())
          .with("reason", e.toString()));
    }
  }

  /** The switch count a stack check must quote back, read before the check starts. */
  public synchronized long switches() {
    return switches;
  }

  /**
   * The stack watch read the programs, in a check that began when {@link #switches()} said
   * {@code switchesAtStart}; a check that overlapped a switch saw its restart, and is dropped.
   */
  public synchronized void stackChecked(List<String> notRunning, String unreachable,
      long switchesAtStart) {
    if (switchesAtStart != switches) {
      return;
    }
    apply(new Input.StackChecked(notRunning, unreachable), ticker.read());
  }

  private synchronized void stackRepaired() {
    apply(new Input.StackRepaired(stack.repair().lastStarted(), stack.repair().repairs()),
        ticker.read());
  }

  /** The act stage finished the switch to the region at {@code target}. */
  public synchronized void switchDone(int target) {
    switches++;
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
      if (d instanceof Decision.OutageStarted) {
        // A failing chain may be this host's stack: look now rather than at the next check.
        stack.checkNow().run();
      }
      if (d instanceof Decision.RepairStack r && stack.repair() != null) {
        act.submitUntilDone(r.region(), List.of(stack.repair()), this::stackRepaired);
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
