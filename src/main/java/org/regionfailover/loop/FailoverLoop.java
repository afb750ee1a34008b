package org.regionfailover.loop;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.regionfailover.act.ActStage;
import org.regionfailover.act.SwitchGate;
import org.regionfailover.act.envfile.EnvFileGuard;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.State;
import org.regionfailover.decide.TransitionHistory;
import org.regionfailover.decide.Transition;
import org.regionfailover.report.DecisionEvents;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Ticker;

/**
 * The one owner of the decide state. Everything that happens (a probe, a switch step
 * finished or failed, a check of the stack) is posted here as an input with the time it
 * happened, from any thread; one thread takes the inputs in order, hands each to the pure
 * policy, reports every decision and starts what it asks for through the act stage. No
 * lock is held across I/O: a probe runs on its own thread and only its result is posted,
 * so an acknowledgement never waits for a probe. Readers see an immutable state published
 * after each step.
 */
public final class FailoverLoop {
  /**
   * What the loop keeps in shape besides the region: the env file ({@code guard}, null: not
   * guarded, as in dry run), and a way to look at the stack now ({@code checkNow}).
   */
  public record Stack(EnvFileGuard guard, Runnable checkNow,
      Consumer<TransitionHistory> history) {
    /** Not guarded, nothing to check, nothing persisted. */
    public static final Stack NONE = new Stack(null, () -> { }, h -> { });

    /** Guarded by {@code guard}, checked by {@code checkNow}, history not persisted. */
    public Stack(EnvFileGuard guard, Runnable checkNow) {
      this(guard, checkNow, h -> { });
    }
  }

  /**
   * Sees every step, on the loop's thread, after the decisions are carried out: the input,
   * when it happened, and what the policy made of it. Must not block.
   */
  public interface StepListener {
    void stepped(Input input, long at, Transition transition);

    /** Handling {@code input} threw {@code error}; the state is unchanged. */
    default void failed(Input input, long at, Throwable error) {}

    /**
     * The loop decides with {@code policy} from now on (a reload of the rules, see
     * {@link #reconfigure}), from {@code state}, the state carried over, at {@code at}.
     */
    default void reconfigured(FailoverPolicy policy, PolicyState state, long at) {}
  }

  /**
   * What a submitted input came to: the answer to an operator's command (empty for other
   * inputs), and whether the step started a move of the host.
   */
  public record Outcome(Optional<Decision.ManualCommand> answer, boolean moved) {}

  /**
   * An input, when it happened, for a stack check the switch count it began under, and for
   * a submitted input where its outcome goes; or, with no input, new rules to decide with.
   */
  private record Posted(Input input, long at, long switchesAtStart,
      CompletableFuture<Outcome> reply, Reload reload) {
    Posted(Input input, long at, long switchesAtStart) {
      this(input, at, switchesAtStart, null, null);
    }

    Posted(Input input, long at, long switchesAtStart, CompletableFuture<Outcome> reply) {
      this(input, at, switchesAtStart, reply, null);
    }
  }

  /** New rules, and who waits for them to be applied. */
  private record Reload(FailoverPolicy policy, CompletableFuture<Void> applied) {}

  private static final Posted STOP = new Posted(null, 0, 0);
  /**
   * How long a command may wait for the loop: the status server gives up on the answer
   * after 5 s, and a command is not carried out after its requester gave up on it.
   */
  static final long COMMAND_TTL_NANOS = 5_000_000_000L;

  /** Replaced by the loop thread only (a reload); read by the probes' threads. */
  private volatile FailoverPolicy policy;
  private final ActStage act;
  private final EventLog log;
  private final Ticker ticker;
  private final Stack stack;
  private final BlockingQueue<Posted> inbox = new LinkedBlockingQueue<>();
  private final CarryOut carrier = new CarryOut();
  private volatile Consumer<Region> activeListener = r -> { };
  private volatile StepListener stepListener = (i, at, t) -> { };
  /** Written by the loop thread only; published for readers. */
  private volatile PolicyState state;
  private volatile Region active;
  /**
   * Completed switches and repairs: a stack check that began before the last one saw the
   * stack being restarted, and is stale.
   */
  private volatile long epoch;
  /** Wall-clock epoch nanoseconds minus ticker time: see {@link Event#DECIDED_AT}. */
  private final long wallOffset;
  /** The wall clock, read at every step: maintenance windows are judged on it. */
  private final java.time.Clock wall;
  /** Rules taken from the inbox, not yet applied (a switch runs); loop thread only. */
  private FailoverPolicy reloaded;
  private final List<CompletableFuture<Void>> reloadWaiters = new java.util.ArrayList<>();
  /** Set once the loop has taken {@link #STOP}: nothing posted later is ever handled. */
  private volatile boolean stopped;
  /** Asked before every move ({@link SwitchGate#OPEN}: no pre-switch hook). */
  private final SwitchGate gate;

  /**
   * A loop that starts from {@code initial}: its state, and the decisions to carry out
   * first (e.g. start the stack).
   */
  public FailoverLoop(FailoverPolicy policy, Transition initial, ActStage act, EventLog log,
      Ticker ticker, Stack stack) {
    this(policy, initial, act, log, ticker, stack, java.time.Clock.systemUTC());
  }

  /**
   * As above; {@code wall} puts the ticker's times on the wall clock in the events'
   * {@link Event#DECIDED_AT}, read once here: a fixed offset keeps the distance between two
   * decisions exactly the one the policy measured, which replay needs to decide alike.
   */
  public FailoverLoop(FailoverPolicy policy, Transition initial, ActStage act, EventLog log,
      Ticker ticker, Stack stack, java.time.Clock wall) {
    this(policy, initial, act, log, ticker, stack, wall, SwitchGate.OPEN);
  }

  /**
   * As above, asking {@code gate} (the pre-switch hook, issue 28) before every move: the
   * policy then decides each move as before and waits for the gate's answer, posted back
   * here, before anything is counted or touched ({@link FailoverPolicy#gated()}). With
   * {@link SwitchGate#OPEN} the policy is used as given and nothing changes, not even an
   * event.
   */
  public FailoverLoop(FailoverPolicy policy, Transition initial, ActStage act, EventLog log,
      Ticker ticker, Stack stack, java.time.Clock wall, SwitchGate gate) {
    this.gate = Objects.requireNonNull(gate, "gate");
    this.policy = gatedIfAsked(Objects.requireNonNull(policy, "policy"));
    this.act = Objects.requireNonNull(act, "act");
    this.log = Objects.requireNonNull(log, "log");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.stack = Objects.requireNonNull(stack, "stack");
    this.wall = wall;
    java.time.Instant now = wall.instant();
    this.wallOffset = now.getEpochSecond() * 1_000_000_000L + now.getNano() - ticker.read();
    this.state = initial.next();
    this.active = policy.region(state.active());
    // The initial state was made at its evidence window's start (FailoverPolicy.initial).
    carryOut(initial.decisions(), state.windowSince());
  }

  /** Posts {@code input}, which happened at {@code at} (ticker time); any thread. */
  public void post(Input input, long at) {
    inbox.add(new Posted(Objects.requireNonNull(input, "input"), at, -1));
  }

  /** Posts {@code input}, which happened now. */
  public void post(Input input) {
    post(input, ticker.read());
  }

  /**
   * Posts an operator's command; the future completes with the policy's answer once the
   * loop has taken it (the move itself then runs in the act stage).
   */
  public CompletableFuture<Decision.ManualCommand> command(Input.Command command) {
    return submit(command).thenApply(o -> o.answer().orElseThrow(
        () -> new IllegalStateException("the policy did not answer " + command.name())));
  }

  /** Posts {@code input}, which happened now; the future completes once the loop took it. */
  public CompletableFuture<Outcome> submit(Input input) {
    CompletableFuture<Outcome> reply = new CompletableFuture<>();
    inbox.add(new Posted(Objects.requireNonNull(input, "input"), ticker.read(), -1, reply));
    return reply;
  }

  /**
   * Decides with {@code next} from the next step on, keeping the state (the outage clock,
   * the probe window, the latency band, the budget's transitions, a hold, the fail-back
   * timer: {@link FailoverPolicy#adopt}). Applied between two steps, in the order posted,
   * and never in the middle of a switch or a repair: taken while one runs, it waits, and is
   * applied right after the step that ends it (inputs taken meanwhile are decided by the
   * rules in force). Rules posted while others wait replace them. The future completes on
   * the loop's thread once applied; exceptionally when the loop stops first. Any thread.
   *
   * @throws IllegalArgumentException when {@code next} decides over another failover order:
   *     the order (the failover list, the preferred region) changes only with a restart
   */
  public CompletableFuture<Void> reconfigure(FailoverPolicy next) {
    List<Region> order = policy.order();
    if (!next.order().equals(order)) {
      throw new IllegalArgumentException("the failover order cannot change while running: "
          + order + " -> " + next.order());
    }
    CompletableFuture<Void> applied = new CompletableFuture<>();
    inbox.add(new Posted(null, ticker.read(), -1, null, new Reload(next, applied)));
    if (stopped) {
      applied.completeExceptionally(new IllegalStateException("the loop has stopped"));
    }
    return applied;
  }

  /**
   * Posts what a check of the stack found; the check began when {@link #epoch()} said
   * {@code epochAtStart}. A check that overlapped a switch or a repair saw its restart, and
   * is dropped.
   */
  public void postStackCheck(Input.StackChecked checked, long epochAtStart) {
    inbox.add(new Posted(checked, ticker.read(), epochAtStart));
  }

  /** Switches and repairs completed so far, to quote back in {@link #postStackCheck}. */
  public long epoch() {
    return epoch;
  }

  /** The loop thread's body: takes inputs until {@link #stop()}. */
  public void run() {
    while (true) {
      Posted p;
      try {
        p = inbox.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped();
        return;
      }
      if (p == STOP) {
        stopped();
        return;
      }
      stepSafely(p);
    }
  }

  /** No reload waiting, or posted before the stop was seen, will ever be applied. */
  private void stopped() {
    stopped = true;
    IllegalStateException never = new IllegalStateException("the loop stopped before the new"
        + " rules could be applied");
    reloadWaiters.forEach(f -> f.completeExceptionally(never));
    reloadWaiters.clear();
    for (Posted p = inbox.poll(); p != null; p = inbox.poll()) {
      if (p.reload() != null) {
        p.reload().applied().completeExceptionally(never);
      }
    }
  }

  /**
   * Handles every input posted so far on the calling thread; returns how many. For tests
   * that drive the loop without its thread: never while {@link #run()} runs.
   */
  int drain() {
    int n = 0;
    for (Posted p = inbox.poll(); p != null && p != STOP; p = inbox.poll()) {
      stepSafely(p);
      n++;
    }
    return n;
  }

  /** Ends {@link #run()} once the inputs posted before are handled. */
  public void stop() {
    inbox.add(STOP);
  }

  private void stepSafely(Posted p) {
    if (p.reload() != null) {
      reloaded = p.reload().policy();
      reloadWaiters.add(p.reload().applied());
    } else {
      stepInput(p);
    }
    applyReload();
  }

  /**
   * Applies the rules waiting, unless a switch or a repair runs: its retries, abandonment
   * and clean start belong to the rules it began under.
   */
  private void applyReload() {
    State phase = state.phase();
    if (reloaded == null || phase instanceof State.Switching || phase instanceof State.Repairing) {
      return;
    }
    FailoverPolicy next = gatedIfAsked(reloaded);
    reloaded = null;
    List<CompletableFuture<Void>> waiters = List.copyOf(reloadWaiters);
    reloadWaiters.clear();
    try {
      state = next.adopt(state, policy);
      policy = next;
    } catch (RuntimeException e) {
      waiters.forEach(f -> f.completeExceptionally(e));
      return;
    }
    try {
      stepListener.reconfigured(next, state, ticker.read());
    } catch (RuntimeException e) {
      // The rules are in force; a reader that could not follow must not undo that.
      log.emit(Event.error("loop_error", "a reader of the loop failed to take the new rules: "
          + e).with("reason", e.toString()));
    }
    waiters.forEach(f -> f.complete(null));
  }

  /** {@code p} as this loop decides with it: asking the gate first, if there is one. */
  private FailoverPolicy gatedIfAsked(FailoverPolicy p) {
    return gate == SwitchGate.OPEN ? p : p.gated();
  }

  private void stepInput(Posted p) {
    try {
      step(p);
    } catch (RuntimeException | Error e) {
      if (p.reply() != null) {
        p.reply().completeExceptionally(e);
      }
      stepListener.failed(p.input(), p.at(), e);
      // A loop that dies is a supervisor that no longer fails over: report and go on.
      log.emit(Event.error("loop_error", "handling " + p.input().getClass().getSimpleName()
          + " failed, the loop goes on: " + e).with("reason", e.toString()));
    }
  }

  private void step(Posted p) {
    if (p.switchesAtStart() >= 0 && p.switchesAtStart() != epoch) {
      return;
    }
    if (p.input() instanceof Input.Command c && ticker.read() - p.at() - COMMAND_TTL_NANOS > 0) {
      expired(c, p);
      return;
    }
    if (p.input() instanceof Input.Probed) {
      guardEnvFile();
    }
    // The wall clock now, taken back to when the input happened: a clock step is seen at
    // the next step, and a window is judged at the time its evidence was taken.
    java.time.Instant wallAt = wall.instant().minusNanos(ticker.read() - p.at());
    Transition t = policy.decide(state, p.input(), p.at(), wallAt);
    if ((p.input() instanceof Input.SwitchDone || p.input() instanceof Input.StackRepaired)
        && t.next() != state) {
      epoch++;
    }
    state = t.next();
    Region current = policy.region(state.active());
    if (!current.equals(active)) {
      active = current;
      activeListener.accept(current);
    }
    carrier.answer = null;
    carrier.moved = false;
    carryOut(t.decisions(), p.at());
    if (p.reply() != null) {
      p.reply().complete(new Outcome(Optional.ofNullable(carrier.answer), carrier.moved));
    }
    stepListener.stepped(p.input(), p.at(), t);
  }

  /**
   * A command that waited longer than its requester did (the process was paused): the
   * operator was told the loop did not answer, so carrying it out now would surprise them.
   */
  private void expired(Input.Command c, Posted p) {
    Decision.ManualCommand refused = new Decision.ManualCommand(c, false, "not carried out: it"
        + " waited " + (ticker.read() - p.at()) / 1_000_000_000L + " s for the loop (was the"
        + " process paused?), and whoever sent it was already told there was no answer");
    log.emit(DecisionEvents.of(refused));
    p.reply().complete(new Outcome(Optional.of(refused), false));
  }

  /** Reports and starts what {@code decisions} ask for; {@code at}: the ticker time decided at. */
  private void carryOut(List<Decision> decisions, long at) {
    carrier.at = at;
    for (Decision d : decisions) {
      d.accept(carrier);
    }
  }

  /**
   * What each decision asks of the act stage, after its event is logged. Stopping the
   * retries of an abandoned switch comes first: the act stage reports what it gave up
   * (switch_abandoned) before the decision's own event says what follows.
   */
  private final class CarryOut implements Decision.Visitor<Void> {
    /** The answer to the command of this step, and whether it moved the host. */
    private Decision.ManualCommand answer;
    private boolean moved;
    /** The ticker time the step was decided at, stamped on its events. */
    private long at;

    private Void logged(Decision d) {
      log.emit(DecisionEvents.of(d).decidedAt(at + wallOffset));
      return null;
    }

    @Override public Void probeSeen(Decision.ProbeSeen d) { return logged(d); }

    @Override public Void outageEnded(Decision.OutageEnded d) { return logged(d); }

    @Override public Void failoverBlocked(Decision.FailoverBlocked d) { return logged(d); }

    @Override public Void regionProbeSeen(Decision.RegionProbeSeen d) { return logged(d); }

    @Override public Void trafficSeen(Decision.TrafficSeen d) { return logged(d); }

    @Override public Void regionProbeUnusable(Decision.RegionProbeUnusable d) {
      return logged(d);
    }

    @Override public Void switchCompleted(Decision.SwitchCompleted d) { return logged(d); }

    @Override public Void stackRepaired(Decision.StackRepaired d) { return logged(d); }

    @Override public Void lateProbe(Decision.LateProbe d) { return logged(d); }

    @Override
    public Void manualCommand(Decision.ManualCommand d) {
      answer = d;
      return logged(d);
    }

    @Override public Void holdStarted(Decision.HoldStarted d) { return logged(d); }

    @Override public Void holdEnded(Decision.HoldEnded d) { return logged(d); }

    @Override public Void failbackWaiting(Decision.FailbackWaiting d) { return logged(d); }

    @Override public Void heldBack(Decision.HeldBack d) { return logged(d); }

    /**
     * Asks the gate about the move, as the event it will be logged as once allowed; the
     * answer comes on the gate's thread and is posted back as an input, which the policy
     * matches to this request (one given up meanwhile is stale). A gate that fails to ask
     * vetoes: a move no one could approve is not made, and it is asked again.
     */
    @Override
    public Void switchPending(Decision.SwitchPending d) {
      logged(d);
      long request = d.request().id();
      Event move = DecisionEvents.of(d.request().move()).decidedAt(at + wallOffset);
      try {
        gate.ask(move, v -> post(new Input.SwitchAnswered(request, v.allowed(), v.hook(),
            v.output(), v.timedOut())));
      } catch (RuntimeException e) {
        log.emit(Event.error("loop_error", "the pre-switch hook could not be asked about the "
            + d.request().kind().label() + " to " + d.to().name() + ": " + e)
            .with("reason", e.toString()));
        post(new Input.SwitchAnswered(request, false, "(not run)", e.toString(), false));
      }
      return null;
    }

    @Override
    public Void outageStarted(Decision.OutageStarted d) {
      logged(d);
      // A failing chain may be this host's stack: look now rather than at the next check.
      stack.checkNow().run();
      return null;
    }

    @Override
    public Void failOver(Decision.FailOver d) {
      logged(d);
      return moveTo(d.to(), d.target());
    }

    @Override
    public Void failBack(Decision.FailBack d) {
      logged(d);
      return moveTo(d.to(), d.target());
    }

    @Override
    public Void manualMove(Decision.ManualMove d) {
      logged(d);
      return moveTo(d.to(), d.target());
    }

    /** The same switch as a failover's: whatever asks before a switch asks before this. */
    @Override
    public Void plannedMove(Decision.PlannedMove d) {
      logged(d);
      return moveTo(d.to(), d.target());
    }

    @Override public Void maintenanceNotice(Decision.MaintenanceNotice d) { return logged(d); }

    @Override
    public Void repairInPlace(Decision.RepairInPlace d) {
      logged(d);
      stack.history().accept(state.history());
      act.restartInPlace(d.region(), outcome(state.active()));
      return null;
    }

    @Override
    public Void repairAbandoned(Decision.RepairAbandoned d) {
      act.abandonSwitch(d.reason());
      return logged(d);
    }

    @Override
    public Void switchAbandoned(Decision.SwitchAbandoned d) {
      act.abandonSwitch(d.reason());
      return logged(d);
    }

    @Override
    public Void startStack(Decision.StartStack d) {
      logged(d);
      act.startStack(d.region(), d.fullRestart(), outcome(d.index()));
      return null;
    }

    @Override
    public Void repairStack(Decision.RepairStack d) {
      logged(d);
      act.repair(d.region(), (started, n) -> post(new Input.StackRepaired(started, n)));
      return null;
    }
  }

  /** A move: counted in the persisted history, then carried out. */
  private Void moveTo(Region region, int target) {
    carrier.moved = true;
    stack.history().accept(state.history());
    act.switchTo(region, outcome(target));
    return null;
  }

  private ActStage.Outcome outcome(int target) {
    return new ActStage.Outcome() {
      @Override
      public void done() {
        post(new Input.SwitchDone(target));
      }

      @Override
      public void attemptFailed(String reason) {
        post(new Input.SwitchAttemptFailed(target, reason));
      }
    };
  }

  /**
   * Puts back an env file deleted or edited by hand. Not while switching or starting: the
   * act stage writes it then, and only then (this thread knows exactly when).
   */
  private void guardEnvFile() {
    if (stack.guard() == null || state.phase() instanceof State.Switching) {
      return;
    }
    Region region = policy.region(state.active());
    EnvFileGuard guard = stack.guard();
    try {
      guard.restore(region).ifPresent(found -> log.emit(Event.warn("env_file_restored",
              "env file " + guard.file() + " was changed outside region-failover (" + found
                  + "); rewrote it for " + region.name())
          .with("region", region.name()).with("env_file", guard.file().toString())
          .with("found", found)));
    } catch (IOException e) {
      log.emit(Event.error("env_file_restore_failed", "env file " + guard.file()
              + " was changed and cannot be rewritten: " + e)
          .with("region", region.name()).with("env_file", guard.file().toString())
          .with("reason", e.toString()));
    }
  }

  /** Called (on the loop's thread) whenever the active region changes. */
  public void onActiveRegion(Consumer<Region> listener) {
    this.activeListener = Objects.requireNonNull(listener, "listener");
  }

  /** Called (on the loop's thread) after every step; the last one set wins. */
  public void onStep(StepListener listener) {
    this.stepListener = Objects.requireNonNull(listener, "listener");
  }

  /** Adds {@code more}, called after the listeners set so far; before {@link #run}. */
  public void addStepListener(StepListener more) {
    StepListener first = stepListener;
    Objects.requireNonNull(more, "more");
    stepListener = new StepListener() {
      @Override
      public void stepped(Input input, long at, Transition transition) {
        first.stepped(input, at, transition);
        more.stepped(input, at, transition);
      }

      @Override
      public void failed(Input input, long at, Throwable error) {
        first.failed(input, at, error);
        more.failed(input, at, error);
      }

      @Override
      public void reconfigured(FailoverPolicy policy, PolicyState state, long at) {
        first.reconfigured(policy, state, at);
        more.reconfigured(policy, state, at);
      }
    };
  }

  /** The state after the last step; never blocks. */
  public PolicyState state() {
    return state;
  }

  /** The region the host is on (or leaving, while a switch is in flight); never blocks. */
  public Region activeRegion() {
    return active;
  }

  /** Index in the order of the region the chain probe should look at now. */
  int activeIndex() {
    return state.active();
  }

  /** The rules the loop decides with now. */
  public FailoverPolicy policy() {
    return policy;
  }

  /** The failover order this loop decides over. */
  public java.util.List<Region> policyOrder() {
    return policy.order();
  }
}
