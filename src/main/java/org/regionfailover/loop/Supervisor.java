package org.regionfailover.loop;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
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
   * stack's watch and the persisted history of transitions (empty: none, as in a dry run).
   */
  public record Acting(ActionChainStage stage, boolean interruptedSwitch,
      Optional<StackWatch> watch, Optional<TransitionHistoryFile> history) {
    public Acting {
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(watch, "watch");
      Objects.requireNonNull(history, "history");
    }
  }

  /**
   * What is probed: the chain every interval, and each region's host directly every
   * {@code directInterval} on its own thread per region (empty: no direct probes).
   */
  public record Probing(Probe chain, Optional<Probe> direct, Duration directInterval) {
    public Probing {
      Objects.requireNonNull(chain, "chain");
      Objects.requireNonNull(direct, "direct");
      Objects.requireNonNull(directInterval, "directInterval");
    }
  }

  private final Settings settings;
  private final FailoverPolicy policy;
  private final Probing probing;
  private final EventLog log;
  private final Ticker ticker;
  private final Acting acting;
  private final boolean fleet;
  private final Consumer<FailoverLoop> onLoop;
  private final List<FixedRateRunner> regionRunners = new java.util.ArrayList<>();
  private FailoverLoop loop;
  private Thread loopThread;
  private FixedRateRunner runner;
  private volatile FixedRateRunner watchRunner;

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
    this.acting = Objects.requireNonNull(acting, "acting");
    this.fleet = fleet;
    this.onLoop = Objects.requireNonNull(onLoop, "onLoop");
    this.log = Objects.requireNonNull(log, "log");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /** Adopts the active region (writing the env file if needed) and starts probing. */
  public synchronized void start() throws IOException {
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
    loop = new FailoverLoop(policy, initial, acting.stage(), log, ticker, stack);
    onLoop.accept(loop);
    loopThread = NamedThreads.lasting("loop", loop::run);
    loopThread.start();
    // Half an interval: far above scheduling jitter, far below the 1.5 intervals the
    // policy takes for a pause.
    ChainProber prober = new ChainProber(loop, probing.chain(), ticker, settings.interval().toNanos() / 2);
    runner = new FixedRateRunner(prober::tick, settings.interval(), ticker, log::tickFailed);
    runner.start();
    if (probing.direct().isPresent()) {
      Probe regionProbe = probing.direct().get();
      for (int i = 0; i < order.size(); i++) {
        int region = i;
        Region r = order.get(i);
        // One thread per region: a region whose probe hangs never delays another's, nor
        // the chain probe; each probe is bounded by its own timeout.
        FixedRateRunner runner = new FixedRateRunner(
            slot -> loop.post(new Input.RegionProbed(region, regionProbe.probe(r)), slot),
            probing.directInterval(), ticker, log::tickFailed, "region-probe-" + r.name());
        regionRunners.add(runner);
        runner.start();
      }
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
    probing.chain().close();
    probing.direct().ifPresent(Probe::close);
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
