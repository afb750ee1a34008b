package org.regionfailover.loop;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.regionfailover.act.Action;
import org.regionfailover.act.ActionChain;
import org.regionfailover.act.EnvFile;
import org.regionfailover.act.EnvFileGuard;
import org.regionfailover.act.EnvFileWriter;
import org.regionfailover.act.StackRepair;
import org.regionfailover.act.StackWatch;
import org.regionfailover.act.SwitchJournal;
import org.regionfailover.config.Region;
import org.regionfailover.config.Settings;
import org.regionfailover.decide.Adoption;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.probe.Probe;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Backoff;
import org.regionfailover.time.Ticker;

/**
 * The supervisor as one runnable unit: adopts the region the env file names, then probes
 * on a fixed rate and switches regions through the given actions. The CLI, the demo and
 * the end-to-end tests all run this same class.
 */
public final class Supervisor implements AutoCloseable {
  /** Retry a failed switch after 1 s, doubling up to a minute: fast for a blip, calm for an outage. */
  public static final Backoff SWITCH_BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
  private static final Duration STACK_CHECK = Duration.ofSeconds(30);

  private final Settings settings;
  private final Probe probe;
  private final List<Action> switchActions;
  private final List<Action> startupActions;
  private final EventLog log;
  private final Ticker ticker;
  private final Backoff backoff;
  private final StackWatch watch;
  private final StackRepair repair;
  private ActionChain act;
  private FailoverLoop loop;
  private FixedRateRunner runner;
  private volatile FixedRateRunner watchRunner;

  /** A supervisor that switches with {@code switchActions} and has no start-up step. */
  public Supervisor(Settings settings, Probe probe, List<Action> switchActions, EventLog log,
      Ticker ticker) {
    this(settings, probe, switchActions, List.of(), log, ticker, SWITCH_BACKOFF);
  }

  /**
   * {@code startupActions} run once on the adopted region before probes count (e.g. start
   * the stack's programs if they are not running); failed steps are retried with
   * {@code backoff}, like switches.
   */
  public Supervisor(Settings settings, Probe probe, List<Action> switchActions,
      List<Action> startupActions, EventLog log, Ticker ticker, Backoff backoff) {
    this(settings, probe, switchActions, startupActions, log, ticker, backoff, null, null);
  }

  /**
   * As above, and keeps the stack running: {@code watch} reads its programs every interval
   * and {@code repair} starts those that are not RUNNING (both null: no watch).
   */
  public Supervisor(Settings settings, Probe probe, List<Action> switchActions,
      List<Action> startupActions, EventLog log, Ticker ticker, Backoff backoff,
      StackWatch watch, StackRepair repair) {
    if ((watch == null) != (repair == null)) {
      throw new IllegalArgumentException("a stack watch needs a repair, and a repair a watch");
    }
    this.watch = watch;
    this.repair = repair;
    this.settings = Objects.requireNonNull(settings, "settings");
    this.probe = Objects.requireNonNull(probe, "probe");
    this.switchActions = List.copyOf(switchActions);
    this.startupActions = List.copyOf(startupActions);
    this.log = Objects.requireNonNull(log, "log");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  /** Adopts the active region (writing the env file if needed) and starts probing. */
  public synchronized void start() throws IOException {
    List<Region> order = settings.order();
    Region adopted = adopt(order);
    FailoverPolicy policy =
        new FailoverPolicy(order, settings.interval(), settings.outageThreshold());
    // A switch still failing after one outage threshold is given up: the target is then
    // treated as down, and the loop moves on instead of waiting on it forever.
    act = new ActionChain(switchActions, backoff, settings.outageThreshold(), log, ticker,
        () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    int index = order.indexOf(adopted);
    long now = ticker.read();
    boolean startStack = !startupActions.isEmpty();
    // The env file is guarded whenever this process writes it (not in dry run).
    FailoverLoop.Stack stack = new FailoverLoop.Stack(repair,
        settings.dryRun() ? null : new EnvFileGuard(settings.envFile()), this::checkStackNow);
    loop = new FailoverLoop(policy, startStack ? policy.starting(index, now)
        : policy.initial(index, now), probe, act, log, ticker, stack);
    if (startStack) {
      FailoverLoop l = loop;
      act.submit(adopted, startupActions, () -> l.switchDone(index),
          reason -> l.switchFailed(index, reason));
    }
    // Half an interval: far above scheduling jitter, far below the 1.5 intervals the
    // policy takes for a pause.
    long jitter = settings.interval().toNanos() / 2;
    FailoverLoop l = loop;
    runner = new FixedRateRunner(slot -> l.tick(slot, jitter), settings.interval(), ticker, log);
    runner.start();
    if (watch != null) {
      // Its own thread and cadence: a supervisord call that hangs never delays a probe.
      watchRunner = new FixedRateRunner(slot -> checkStack(l),
          stackCheckInterval(settings.interval(), settings.outageThreshold()), ticker, log,
          "stack-watch");
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

  private void checkStackNow() {
    FixedRateRunner r = watchRunner;
    if (r != null) {
      r.runNow();
    }
  }

  private void checkStack(FailoverLoop l) {
    long switches = l.switches();
    try {
      watch.check((notRunning, unreachable) -> l.stackChecked(notRunning, unreachable, switches));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopping
    }
  }

  private Region adopt(List<Region> order) throws IOException {
    EnvFileWriter writer = new EnvFileWriter(settings.envFile());
    // Both writers leave temp files when killed mid-write: the env file's and the marker's.
    int leftovers = writer.removeLeftovers()
        + new SwitchJournal(settings.envFile()).removeLeftovers();
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
   * Stops probing, lets an in-flight tick and switch step finish (an env write always
   * completes), and drops pending retries.
   */
  public synchronized void stop(Duration grace) {
    if (runner != null) {
      runner.close(grace);
    }
    if (watchRunner != null) {
      watchRunner.close(grace);
    }
    if (act != null) {
      act.close(grace);
    }
    probe.close();
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }
}
