package org.regionfailover.loop;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.regionfailover.act.SwitchGate;
import org.regionfailover.act.chain.ActionChainStage;
import org.regionfailover.act.envfile.EnvFile;
import org.regionfailover.act.envfile.EnvFileGuard;
import org.regionfailover.act.envfile.EnvFileWriter;
import org.regionfailover.act.supervisord.StackWatch;
import org.regionfailover.act.envfile.SwitchJournal;
import org.regionfailover.act.envfile.TransitionHistoryFile;
import org.regionfailover.config.Region;
import org.regionfailover.config.Settings;
import org.regionfailover.decide.Adoption;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Transition;
import org.regionfailover.decide.TransitionHistory;
import org.regionfailover.probe.Probe;
import org.regionfailover.probe.TrafficSource;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.FixedRateRunner;
import org.regionfailover.time.NamedThreads;
import org.regionfailover.time.Ticker;

/**
 * The supervisor as one runnable unit: adopts the region the env file names, then runs the
 * loop's thread, the chain probe on a fixed rate and the stack watch, and switches regions
 * through the act stage. Built by the CLI's assembler, for the CLI, the demos and the tests.
 */
public final class Supervisor implements AutoCloseable {
  private static final Duration STACK_CHECK = Duration.ofSeconds(30);

  /**
   * What acts on the host: {@code stage} (switches, start, repair), whether a switch was cut
   * short before this start ({@code interruptedSwitch}: the whole stack is restarted), the
   * stack's watch and the persisted history of transitions (empty: none, as in a dry run),
   * and what is asked before every move ({@code gate}: the pre-switch hook, issue 28;
   * {@link SwitchGate#OPEN} without one).
   */
  public record Acting(ActionChainStage stage, boolean interruptedSwitch,
      Optional<StackWatch> watch, Optional<TransitionHistoryFile> history, SwitchGate gate) {
    public Acting {
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(watch, "watch");
      Objects.requireNonNull(history, "history");
      Objects.requireNonNull(gate, "gate");
    }

    /** Without a pre-switch hook. */
    public Acting(ActionChainStage stage, boolean interruptedSwitch,
        Optional<StackWatch> watch, Optional<TransitionHistoryFile> history) {
      this(stage, interruptedSwitch, watch, history, SwitchGate.OPEN);
    }

    /** The same, asking {@code next} before every move. */
    public Acting gatedBy(SwitchGate next) {
      return new Acting(stage, interruptedSwitch, watch, history, next);
    }
  }

  /**
   * What is probed: the chain every interval, and each region's host directly every
   * {@code directInterval} on its own thread per region (empty: no direct probes).
   */
  public record Probing(Probe chain, Optional<Probe> direct, Duration directInterval,
      List<TrafficSource> traffic) {
    public Probing {
      Objects.requireNonNull(chain, "chain");
      Objects.requireNonNull(direct, "direct");
      Objects.requireNonNull(directInterval, "directInterval");
      traffic = List.copyOf(traffic);
    }

    /** Without traffic sources (issue 27 off). */
    public Probing(Probe chain, Optional<Probe> direct, Duration directInterval) {
      this(chain, direct, directInterval, List.of());
    }
  }

  private final EventLog log;
  private final Ticker ticker;
  private final Acting acting;
  private final boolean fleet;
  private final Consumer<FailoverLoop> onLoop;
  /**
   * Guards what a reload replaces (the settings, the policy, the probes and the runners
   * that use them) against a start or a stop. Never held while waiting: a reload is
   * re-planned on the loop's thread, which a stop joins while holding this object's lock.
   */
  private final Object probingLock = new Object();
  private Settings settings;
  private FailoverPolicy policy;
  private Probing probing;
  private final List<FixedRateRunner> regionRunners = new java.util.ArrayList<>();
  private final List<DirectProber> directProbers = new java.util.ArrayList<>();
  /** Set by {@link #stopProbing}: a reload re-planned later starts nothing. */
  private boolean probingStopped;
  private FailoverLoop loop;
  private Thread loopThread;
  private ChainProber prober;
  private FixedRateRunner runner;
  private volatile FixedRateRunner watchRunner;
  /**
   * The traffic sources, drained once per interval on their own thread; those of the
   * start are kept by a reload (a source changes with a restart only).
   */
  private final List<TrafficSource> traffic;
  private FixedRateRunner trafficRunner;
  private TrafficDrainer trafficDrainer;

  /**
   * Probes one region's host directly and posts what it saw; its probe is replaced by a
   * reload on the runner's thread, between two ticks.
   */
  private static final class DirectProber {
    private final FailoverLoop loop;
    private final int index;
    private final Region region;
    private Probe probe;

    DirectProber(FailoverLoop loop, int index, Region region, Probe probe) {
      this.loop = loop;
      this.index = index;
      this.region = region;
      this.probe = probe;
    }

    void tick(long slot) {
      loop.post(new Input.RegionProbed(index, probe.probe(region)), slot);
    }
  }

  /**
   * Built by the CLI's assembler. {@code fleet}: failovers and fail-backs are left to the
   * fleet's decider; this host still repairs its stack in place, and moves when the fleet's
   * decision is posted to it. {@code onLoop} is called with the loop once it exists, before
   * its thread runs and before any probe: where readers of its steps (the status server)
   * attach, so they miss none.
   */
  public Supervisor(Settings settings, FailoverPolicy policy, Probing probing, Acting acting,
      boolean fleet, Consumer<FailoverLoop> onLoop, EventLog log, Ticker ticker) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.probing = Objects.requireNonNull(probing, "probing");
    this.traffic = probing.traffic();
    this.acting = Objects.requireNonNull(acting, "acting");
    this.fleet = fleet;
    this.onLoop = Objects.requireNonNull(onLoop, "onLoop");
    this.log = Objects.requireNonNull(log, "log");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /** Adopts the active region (writing the env file if needed) and starts probing. */
  public synchronized void start() throws IOException {
    synchronized (probingLock) {
      startLocked();
    }
  }

  private void startLocked() throws IOException {
    List<Region> order = settings.order();
    int index = order.indexOf(adopt(order));
    TransitionHistory history = acting.history().isPresent() ? acting.history().get().load()
        : TransitionHistory.of();
    long now = ticker.read();
    Transition initial = acting.stage().startsStack()
        ? policy.start(index, now, acting.interruptedSwitch(), history)
        : new Transition(policy.initial(index, now, history), List.of());
    if (fleet) {
      initial = new Transition(initial.next().fleet(true), initial.decisions());
    }
    // The env file is guarded whenever this process writes it (not in dry run).
    FailoverLoop.Stack stack = new FailoverLoop.Stack(
        settings.dryRun() ? null : new EnvFileGuard(settings.envFile()), this::checkStackNow,
        this::saveHistory);
    loop = new FailoverLoop(policy, initial, acting.stage(), log, ticker, stack,
        java.time.Clock.systemUTC(), acting.gate());
    onLoop.accept(loop);
    loopThread = NamedThreads.lasting("loop", loop::run);
    loopThread.start();
    prober = new ChainProber(loop, probing.chain(), ticker, jitter(settings.interval()));
    runner = new FixedRateRunner(prober::tick, settings.interval(), ticker, log::tickFailed);
    runner.start();
    probing.direct().ifPresent(this::startDirectProbes);
    if (!traffic.isEmpty()) {
      // Its own thread: a source reading a log through supervisord never delays a probe.
      trafficDrainer = new TrafficDrainer(loop, traffic, log, ticker);
      trafficRunner = new FixedRateRunner(trafficDrainer::tick,
          settings.interval(), ticker, log::tickFailed, "traffic");
      trafficRunner.start();
    }
    if (acting.watch().isPresent()) {
      // Its own thread and cadence: a supervisord call that hangs never delays a probe.
      watchRunner = new FixedRateRunner(slot -> checkStack(),
          stackCheckInterval(settings.interval(), settings.outageThreshold()), ticker,
          log::tickFailed, "stack-watch");
      watchRunner.start();
    }
  }

  /**
   * How late a chain probe may run and still count as on its slot: half an interval, far
   * above scheduling jitter, far below the 1.5 intervals the policy takes for a pause.
   */
  private static long jitter(Duration interval) {
    return interval.toNanos() / 2;
  }

  private void startDirectProbes(Probe direct) {
    List<Region> order = settings.order();
    for (int i = 0; i < order.size(); i++) {
      Region r = order.get(i);
      DirectProber p = new DirectProber(loop, i, r, direct);
      // One thread per region: a region whose probe hangs never delays another's, nor
      // the chain probe; each probe is bounded by its own timeout.
      FixedRateRunner runner = new FixedRateRunner(p::tick, probing.directInterval(), ticker,
          log::tickFailed, "region-probe-" + r.name());
      directProbers.add(p);
      regionRunners.add(runner);
      runner.start();
    }
  }

  /**
   * Takes what a reload may change for this supervisor: {@code next} settings (the probe's
   * URL, ids, timeout and CA, the interval, the threshold), the {@code nextPolicy} built
   * from them, and the probes ({@code nextProbing}: the chain's, the regions' direct probe
   * and its interval). The loop applies the policy between two steps, after a switch or a
   * repair in progress has ended, keeping its state ({@link FailoverLoop#reconfigure}); then,
   * from the loop's thread, the chain probe, each region's probe and the stack watch change
   * cadence in place ({@link FixedRateRunner#reschedule}: the first probe of a new interval
   * comes one interval after the last, the shorter one, so that the pause rule sees no gap)
   * and the new probes replace the old ones between two ticks. An old probe in flight
   * finishes and is posted; the old probes are closed on their runners' threads once no
   * tick uses them. A direct probe added starts its regions' probes at once; one removed
   * stops them (what they saw goes stale). The switch chain, the env file, the stack's
   * programs and the persisted history are untouched; no program is restarted.
   *
   * <p>The future completes once the loop decides with {@code nextPolicy} and the new
   * cadences are planned; exceptionally if the loop stops first. Before {@link #start}, the
   * pieces are simply replaced.
   *
   * @throws IllegalArgumentException when {@code next} changes what needs a restart: the
   *     failover order, the env file, dry run
   */
  public CompletableFuture<Void> reconfigure(Settings next, FailoverPolicy nextPolicy,
      Probing nextProbing) {
    Objects.requireNonNull(nextProbing, "nextProbing");
    FailoverLoop running;
    synchronized (probingLock) {
      restartOnly(next, nextPolicy);
      running = loop;
      if (running == null) {
        Probing old = probing;
        settings = next;
        policy = nextPolicy;
        probing = nextProbing;
        closeReplaced(old, nextProbing);
        return CompletableFuture.completedFuture(null);
      }
    }
    return running.reconfigure(nextPolicy).thenRun(() -> replan(next, nextPolicy, nextProbing));
  }

  private void restartOnly(Settings next, FailoverPolicy nextPolicy) {
    List<Region> order = settings.order();
    if (!next.order().equals(order) || !nextPolicy.order().equals(order)) {
      throw new IllegalArgumentException("the failover order cannot change while running: "
          + order + " -> " + next.order() + " (policy: " + nextPolicy.order() + ")");
    }
    if (!next.envFile().equals(settings.envFile()) || next.dryRun() != settings.dryRun()) {
      throw new IllegalArgumentException("the env file and dry run cannot change while"
          + " running: " + settings.envFile() + (settings.dryRun() ? " (dry run)" : "") + " -> "
          + next.envFile() + (next.dryRun() ? " (dry run)" : ""));
    }
  }

  /** On the loop's thread, right after it applied the new policy: never blocks. */
  private void replan(Settings next, FailoverPolicy nextPolicy, Probing nextProbing) {
    synchronized (probingLock) {
      Probing old = probing;
      settings = next;
      policy = nextPolicy;
      probing = nextProbing;
      if (probingStopped) {
        closeReplaced(old, nextProbing);
        return;
      }
      Probe chain = nextProbing.chain();
      long jitter = jitter(next.interval());
      runner.reschedule(next.interval(), () -> {
        Probe before = prober.use(chain, jitter);
        if (before != chain) {
          before.close();
        }
      });
      replanDirect(old, nextProbing);
      if (trafficRunner != null) {
        trafficRunner.reschedule(next.interval(), () -> { });
      }
      if (watchRunner != null) {
        watchRunner.reschedule(stackCheckInterval(next.interval(), next.outageThreshold()),
            () -> { });
      }
    }
  }

  /**
   * The regions' direct probes after a reload: the same runners at the new cadence with the
   * new probe, new runners for a probe added, none for one removed. The old probe, shared
   * by every region's runner, is closed by the last of them to let go of it.
   */
  private void replanDirect(Probing old, Probing next) {
    if (old.direct().isEmpty()) {
      next.direct().ifPresent(this::startDirectProbes);
      return;
    }
    Probe before = old.direct().get();
    Probe after = next.direct().orElse(null);
    java.util.concurrent.atomic.AtomicInteger holding =
        new java.util.concurrent.atomic.AtomicInteger(regionRunners.size());
    Duration interval = after == null ? old.directInterval() : next.directInterval();
    for (int i = 0; i < regionRunners.size(); i++) {
      FixedRateRunner r = regionRunners.get(i);
      DirectProber p = directProbers.get(i);
      r.reschedule(interval, () -> {
        if (after == null) {
          r.close(Duration.ZERO); // on its own thread: stops its schedule, never waits
        } else {
          p.probe = after;
        }
        if (holding.decrementAndGet() == 0 && before != after) {
          before.close();
        }
      });
    }
    if (after == null) {
      regionRunners.clear();
      directProbers.clear();
    }
  }

  /** Closes the probes of {@code old} that {@code next} does not use. */
  private static void closeReplaced(Probing old, Probing next) {
    if (old.chain() != next.chain()) {
      old.chain().close();
    }
    old.direct().filter(d -> next.direct().orElse(null) != d).ifPresent(Probe::close);
  }

  /**
   * How often the stack is read when nothing is wrong: every 30 s, but at least twice per
   * outage threshold and never more often than the probes. A failed probe triggers a check
   * at once, so a stack that goes down is seen within a probe; the slow cadence only finds
   * programs whose death the probe cannot see (the application), and keeps an idle
   * supervisor idle (a supervisord call every 10 s doubled its CPU).
   */
  static Duration stackCheckInterval(Duration interval, Duration threshold) {
    Duration half = threshold.dividedBy(2);
    Duration every = STACK_CHECK.compareTo(half) < 0 ? STACK_CHECK : half;
    return every.compareTo(interval) > 0 ? every : interval;
  }

  private void checkStack() {
    FailoverLoop l = loop;
    long epoch = l.epoch();
    try {
      acting.watch().get().check((notRunning, unreachable) ->
          l.postStackCheck(new Input.StackChecked(notRunning, unreachable), epoch));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopping
    }
  }

  private void saveHistory(TransitionHistory history) {
    if (acting.history().isEmpty()) {
      return;
    }
    try {
      acting.history().get().save(history);
    } catch (IOException e) {
      log.emit(Event.error("transition_history_failed", "cannot write "
              + acting.history().get().file() + ": " + e + "; a restart would forget this transition"
              + " in the failover budget")
          .with("reason", e.toString()));
    }
  }

  private void checkStackNow() {
    FixedRateRunner r = watchRunner;
    if (r != null) {
      r.runNow();
    }
  }

  private Region adopt(List<Region> order) throws IOException {
    EnvFileWriter writer = new EnvFileWriter(settings.envFile());
    // Both writers leave temp files when killed mid-write: the env file's and the marker's.
    int leftovers = writer.removeLeftovers()
        + new SwitchJournal(settings.envFile()).removeLeftovers()
        + (acting.history().isPresent() ? acting.history().get().removeLeftovers() : 0);
    Adoption adoption = Adoption.from(EnvFile.read(settings.envFile()), order);
    Region region = order.get(adoption.active());
    boolean write = adoption.rewrite() && !settings.dryRun();
    if (write) {
      writer.write(EnvFile.render(region));
    }
    Event.Builder e = adoption.rewrite() ? Event.warn("region_adopted", adoption.note())
        : Event.info("region_adopted", adoption.note());
    log.emit(e.with("region", region.name()).with("host", region.host())
        .with("env_file", settings.envFile().toString()).with("env_file_written", write)
        .with("leftover_temp_files_removed", leftovers > 0 ? leftovers : null));
    return region;
  }

  /** The loop, once started. */
  public synchronized FailoverLoop loop() {
    return loop;
  }

  /**
   * Stops: no more probes or checks are scheduled, the loop handles what was posted and
   * ends (so nothing is decided after the act stage is closed), then a switch step in
   * progress may finish within {@code grace} (an env write always completes) and pending
   * retries are dropped. Each wait has its own bound, so the whole stop stays within about
   * two graces whatever the probes or supervisord do.
   */
  public synchronized void stop(Duration grace) {
    stopProbing();
    if (loop != null) {
      loop.stop();
      try {
        loopThread.join(grace.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    acting.stage().close(grace.toMillis());
    Probing last;
    synchronized (probingLock) {
      last = probing; // a reload applied while the loop wound down replaced them
    }
    last.chain().close();
    last.direct().ifPresent(Probe::close);
    // The traffic sources are not closed: their owner (the set) may hand them to the next
    // supervisor (a standby's next term).
  }

  /**
   * Stops the probes and the stack watch, leaving the loop to finish what it does: the first
   * step of a stop, so that nothing seen while the host winds down (supervisord's calls
   * abandoned, a stack being stopped) is taken for an outage.
   */
  public synchronized void stopProbing() {
    synchronized (probingLock) {
      probingStopped = true;
      if (runner != null) {
        runner.close(Duration.ZERO);
      }
      if (watchRunner != null) {
        watchRunner.close(Duration.ZERO);
      }
      if (trafficRunner != null) {
        trafficRunner.close(Duration.ZERO);
        // Drops still waiting for the once-a-minute line would otherwise go untold.
        trafficDrainer.tellDroppedAtStop();
      }
      regionRunners.forEach(r -> r.close(Duration.ZERO));
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }
}
