package org.regionfailover.loop;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.regionfailover.act.Action;
import org.regionfailover.act.ActionChain;
import org.regionfailover.act.ActionChainStage;
import org.regionfailover.act.EnvFile;
import org.regionfailover.act.EnvFileGuard;
import org.regionfailover.act.EnvFileWriter;
import org.regionfailover.act.StackWatch;
import org.regionfailover.act.SwitchJournal;
import org.regionfailover.act.TransitionHistoryFile;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.config.Region;
import org.regionfailover.config.Settings;
import org.regionfailover.decide.Adoption;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Transition;
import org.regionfailover.decide.TransitionHistory;
import org.regionfailover.probe.Probe;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Backoff;
import org.regionfailover.time.FixedRateRunner;
import org.regionfailover.time.NamedThreads;
import org.regionfailover.time.Ticker;

/**
 * The supervisor as one runnable unit: adopts the region the env file names, then runs the
 * loop's thread, the chain probe on a fixed rate and the stack watch, and switches regions
 * through the act stage. The CLI, the demo and the end-to-end tests all run this class.
 */
public final class Supervisor implements AutoCloseable {
  /** Retry a failed switch after 1 s, doubling up to a minute: fast for a blip, calm for an outage. */
  public static final Backoff SWITCH_BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
  private static final Duration STACK_CHECK = Duration.ofSeconds(30);

  /**
   * What acts on the host: {@code stage} (switches, start, repair), whether a switch was cut
   * short before this start ({@code interruptedSwitch}: the whole stack is restarted), and
   * the stack's watch (null: not watched).
   */
  public record Acting(ActionChainStage stage, boolean interruptedSwitch, StackWatch watch,
      TransitionHistoryFile history) {
    public Acting {
      Objects.requireNonNull(stage, "stage");
    }

    /** Without a persisted history of transitions (dry run, tests). */
    public Acting(ActionChainStage stage, boolean interruptedSwitch, StackWatch watch) {
      this(stage, interruptedSwitch, watch, null);
    }
  }

  private final Settings settings;
  private final Probe probe;
  private final EventLog log;
  private final Ticker ticker;
  private final Acting acting;
  private final Probe regionProbe;
  private final PolicySettings rules;
  private final List<FixedRateRunner> regionRunners = new java.util.ArrayList<>();
  private FailoverLoop loop;
  private Thread loopThread;
  private FixedRateRunner runner;
  private volatile FixedRateRunner watchRunner;
  private java.util.function.Consumer<FailoverLoop> onLoop = l -> { };
  private boolean fleet;

  /** A supervisor that switches with {@code switchActions}, with no stack to start or watch. */
  public Supervisor(Settings settings, Probe probe, List<Action> switchActions, EventLog log,
      Ticker ticker) {
    this(settings, probe, new Acting(new ActionChainStage(chain(SWITCH_BACKOFF, log, ticker),
        switchActions, List.of(), List.of(), null), false, null), log, ticker);
  }

  /** Without direct probes of the regions. */
  public Supervisor(Settings settings, Probe probe, Acting acting, EventLog log, Ticker ticker) {
    this(settings, probe, null, PolicySettings.continuousOnly(settings.interval(),
        settings.outageThreshold(), settings.interval().multipliedBy(3)), acting, log, ticker);
  }

  /**
   * {@code regionProbe} probes each region's host directly every region interval of
   * {@code rules}, on its own thread per region (null: no direct probes).
   */
  public Supervisor(Settings settings, Probe probe, Probe regionProbe, PolicySettings rules,
      Acting acting, EventLog log, Ticker ticker) {
    this.regionProbe = regionProbe;
    this.rules = Objects.requireNonNull(rules, "rules");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.probe = Objects.requireNonNull(probe, "probe");
    this.acting = Objects.requireNonNull(acting, "acting");
    this.log = Objects.requireNonNull(log, "log");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /** The act stage's runner: one thread, retries with backoff and jitter. */
  public static ActionChain chain(Backoff backoff, EventLog log, Ticker ticker) {
    return new ActionChain(List.of(), backoff, log, ticker,
        () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * The decide stage's policy for {@code settings}: the one construction that the loop and
   * {@code replay} share, so that a rule setting added here reaches both.
   */
  public static FailoverPolicy policy(Settings settings, PolicySettings rules) {
    return new FailoverPolicy(settings.order(), rules);
  }

  /** Adopts the active region (writing the env file if needed) and starts probing. */
  public synchronized void start() throws IOException {
    List<Region> order = settings.order();
    int index = order.indexOf(adopt(order));
    FailoverPolicy policy = policy(settings, rules);
    TransitionHistory history = acting.history() == null ? TransitionHistory.of()
        : acting.history().load();
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
    loop = new FailoverLoop(policy, initial, acting.stage(), log, ticker, stack);
    onLoop.accept(loop);
    loopThread = NamedThreads.lasting("loop", loop::run);
    loopThread.start();
    // Half an interval: far above scheduling jitter, far below the 1.5 intervals the
    // policy takes for a pause.
    ChainProber prober = new ChainProber(loop, probe, ticker, settings.interval().toNanos() / 2);
    runner = new FixedRateRunner(prober::tick, settings.interval(), ticker, log::tickFailed);
    runner.start();
    if (regionProbe != null) {
      for (int i = 0; i < order.size(); i++) {
        int region = i;
        Region r = order.get(i);
        // One thread per region: a region whose probe hangs never delays another's, nor
        // the chain probe; each probe is bounded by its own timeout.
        FixedRateRunner runner = new FixedRateRunner(
            slot -> loop.post(new Input.RegionProbed(region, regionProbe.probe(r)), slot),
            rules.regionInterval(), ticker, log::tickFailed, "region-probe-" + r.name());
        regionRunners.add(runner);
        runner.start();
      }
    }
    if (acting.watch() != null) {
      // Its own thread and cadence: a supervisord call that hangs never delays a probe.
      watchRunner = new FixedRateRunner(slot -> checkStack(),
          stackCheckInterval(settings.interval(), settings.outageThreshold()), ticker,
          log::tickFailed, "stack-watch");
      watchRunner.start();
    }
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
      acting.watch().check((notRunning, unreachable) ->
          l.postStackCheck(new Input.StackChecked(notRunning, unreachable), epoch));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopping
    }
  }

  private void saveHistory(TransitionHistory history) {
    if (acting.history() == null) {
      return;
    }
    try {
      acting.history().save(history);
    } catch (IOException e) {
      log.emit(Event.error("transition_history_failed", "cannot write "
              + acting.history().file() + ": " + e + "; a restart would forget this transition"
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
        + (acting.history() == null ? 0 : acting.history().removeLeftovers());
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

  /**
   * Called with the loop once it exists, before its thread runs and before any probe: where
   * readers of its steps (the status server) attach, so they miss none.
   */
  public synchronized void onLoopCreated(java.util.function.Consumer<FailoverLoop> listener) {
    this.onLoop = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Leaves failovers and fail-backs to the fleet's decider (coordination): this host still
   * repairs its stack in place, and moves when the fleet's decision is posted to it.
   * Before {@link #start()}.
   */
  public synchronized void deferToFleet() {
    this.fleet = true;
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
    probe.close();
    if (regionProbe != null) {
      regionProbe.close();
    }
  }

  /**
   * Stops the probes and the stack watch, leaving the loop to finish what it does: the first
   * step of a stop, so that nothing seen while the host winds down (supervisord's calls
   * abandoned, a stack being stopped) is taken for an outage.
   */
  public synchronized void stopProbing() {
    if (runner != null) {
      runner.close(Duration.ZERO);
    }
    if (watchRunner != null) {
      watchRunner.close(Duration.ZERO);
    }
    regionRunners.forEach(r -> r.close(Duration.ZERO));
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }
}
