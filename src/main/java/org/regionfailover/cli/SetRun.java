package org.regionfailover.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.regionfailover.act.envfile.EnvFileLock;
import org.regionfailover.config.Region;
import org.regionfailover.config.SettingsLoader;
import org.regionfailover.config.SetConfiguration;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.config.MaintenanceWindow;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.loop.HoldKeeper;
import org.regionfailover.loop.MaintenanceCalendar;
import org.regionfailover.act.envfile.HoldFile;
import org.regionfailover.loop.Supervisor;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.report.datadog.DatadogCounts;
import org.regionfailover.status.http.ServedSet;

/**
 * One failover set running in this process: its own assembler (its settings, policy and
 * event log, which stamps every event with the set's name), status feed, coordination, and
 * the supervisor it runs (or the standby host that runs one while it leads). The process
 * shares supervisord's connection, the status server and the Datadog shipper between its
 * sets; everything here is the set's own. Built and driven by {@link HostAssembler}.
 */
final class SetRun {
  private final SetConfiguration set;
  private final HostAssembler assembler;
  private final EventLog log;
  private final StatusFeed feed;
  private final Coordination coordination;
  /** Commands reach the loop through this once it runs; until then they are refused. */
  private final AtomicReference<FailoverLoop> loop;
  private volatile Supervisor supervisor;
  /** Set when the set runs active/standby: its host then owns the supervisor. */
  private volatile StandbyWiring standby;
  private volatile EnvFileLock lock;
  /** The configuration the set runs with now: its start's, or the last reload's. */
  private volatile SetConfiguration current;
  /** Builds the set's next supervisors (a standby's next term) with {@link #current}. */
  private volatile HostAssembler currentAssembler;
  private volatile CompletableFuture<Void> reconfigured = CompletableFuture.completedFuture(null);
  /** The set as the status server sees it. */
  private final ServedSet served;
  /** The process's maintenance windows, handed to each loop the set runs. */
  private final MaintenanceCalendar calendar;
  /** What hands the windows to the loop running now; null: none runs. */
  private volatile java.util.function.Consumer<java.util.List<MaintenanceWindow>> schedule;

  SetRun(SetConfiguration set, HostAssembler assembler, EventLog log, StatusFeed feed,
      Coordination coordination, AtomicReference<FailoverLoop> loop,
      MaintenanceCalendar calendar) {
    this.calendar = calendar;
    this.set = set;
    this.loop = loop;
    this.assembler = assembler;
    this.log = log;
    this.feed = feed;
    this.coordination = coordination;
    this.current = set;
    this.currentAssembler = assembler;
    this.served = feed.served(set.config().settings().order(), this::command);
    if (assembler.evidence() != null) {
      served.withEvidence(assembler.evidence());
    }
    coordination.show(feed, served);
  }

  ServedSet served() {
    return served;
  }

  String name() {
    return set.name();
  }

  SetConfiguration configuration() {
    return set;
  }

  HostAssembler assembler() {
    return assembler;
  }

  EventLog log() {
    return log;
  }

  StatusFeed feed() {
    return feed;
  }

  Coordination coordination() {
    return coordination;
  }

  /** The running loop, once the set's supervisor runs (never for a standby at rest). */
  Optional<FailoverLoop> loop() {
    return Optional.ofNullable(loop.get());
  }

  /**
   * A loop the set runs (its supervisor's, or a standby's term's), before it starts: the
   * status feed follows it and it gets the maintenance windows, first of all its inputs,
   * then at every change, with the set's lead as it stands (a reload's).
   */
  void attach(FailoverLoop next) {
    feed.attach(next);
    java.util.function.Consumer<java.util.List<MaintenanceWindow>> previous = schedule;
    if (previous != null) {
      calendar.unsubscribe(previous);
    }
    java.util.function.Consumer<java.util.List<MaintenanceWindow>> posting = windows -> {
      Input.MaintenanceSchedule schedule = new Input.MaintenanceSchedule(windows,
          current.config().maintenance().lead());
      next.post(schedule);
      coordination.maintenance(schedule);
    };
    schedule = posting;
    calendar.subscribe(posting);
    org.regionfailover.config.Settings s = current.config().settings();
    if (!s.dryRun() && !coordination.defersToFleet()) {
      // A fleet keeps its holds in ZooKeeper; a dry run writes nothing beside the env file.
      new HoldKeeper(new HoldFile(s.envFile(), java.time.Clock.systemUTC(),
          assembler.ticker()), log).restore(next);
    }
  }

  /** Where an operator's command for this set goes. */
  CompletableFuture<Decision.ManualCommand> command(Input.Command command) {
    return coordination.command(command, loop);
  }

  /**
   * Starts the set's supervisor (already built): adopts its region, starts probing, joins its
   * fleet. {@code onRegion}: the Datadog region tag, which follows the first set.
   */
  void serve(Supervisor built, java.util.function.Consumer<Region> onRegion)
      throws IOException {
    supervisor = built;
    try {
      built.start();
    } catch (IOException e) {
      built.stop(Duration.ofSeconds(1));
      throw e;
    }
    loop.set(built.loop());
    onRegion.accept(built.loop().activeRegion());
    built.loop().onActiveRegion(onRegion);
    coordination.started(built.loop());
  }

  /**
   * Takes the lock of the set's env file, recording this process's pid in it; when another
   * process holds it, why (with its pid). A directory that cannot hold the
   * lock (/proc, a read-only mount) is a configuration error, even in a dry run.
   */
  Optional<String> lock() {
    java.nio.file.Path envFile = set.config().settings().envFile();
    try {
      lock = EnvFileLock.acquire(envFile, ProcessHandle.current().pid());
      return Optional.empty();
    } catch (EnvFileLock.HeldException e) {
      return Optional.of(e.getMessage());
    } catch (IOException e) {
      // Issue 25, defect 6: a dry run skips the temp-file check but still takes the lock.
      throw SettingsLoader.unwritableEnvFile(envFile, e, "the supervisor keeps its lock "
          + EnvFileLock.fileFor(envFile).getFileName() + " there, even in a dry run");
    }
  }

  /**
   * Takes over {@code from}'s lock of the same env file (a reload renamed the set), so that
   * the file is never free for another process in between; {@code from} then holds none.
   */
  void takeLock(SetRun from) {
    lock = from.lock;
    from.lock = null;
  }

  /** Releases the env file's lock, if held (the kernel would at exit anyway). */
  void unlock() {
    EnvFileLock held = lock;
    lock = null;
    if (held != null) {
      try {
        held.close();
      } catch (IOException e) {
        // the kernel releases it with the process
      }
    }
  }

  /** What the set runs with now (its start's configuration, or the last reload's). */
  SetConfiguration current() {
    return current;
  }

  /** The assembler of {@link #current}: a standby's next term runs the latest rules. */
  HostAssembler currentAssembler() {
    return currentAssembler;
  }

  /**
   * A reload: the set's loop takes {@code next}'s rules between two of its steps (after a
   * switch in progress), keeping its state; see {@link #pendingReconfigure()}. A standby
   * that does not lead takes them at its next term.
   */
  void reconfigure(SetConfiguration next) {
    current = next;
    // The traffic sources change with a restart only: the next assembler drains the same.
    currentAssembler = new HostAssembler(next.config(), log, assembler.ticker())
        .keepingTraffic(currentAssembler);
    Optional<Supervisor> s = standby != null ? standby.host().running()
        : Optional.ofNullable(supervisor);
    reconfigured = s.map(sup -> assembler.reconfigure(sup, next.config()))
        .orElse(CompletableFuture.completedFuture(null));
    // In a fleet the decider applies the threshold, budget and fail-back: it follows too.
    coordination.reconfigure(next.config());
    java.util.function.Consumer<java.util.List<MaintenanceWindow>> posting = schedule;
    if (posting != null) {
      posting.accept(calendar.windows()); // the lead may have changed
    }
  }

  /** Completes once the set's loop took the last {@link #reconfigure}. */
  CompletableFuture<Void> pendingReconfigure() {
    return reconfigured;
  }

  /** Marks the set as run by its standby host (the host's close stops it). */
  void standingBy(StandbyWiring wiring) {
    standby = wiring;
  }

  /**
   * Stops probing: the first step of a process's stop, for every set before any set's loop
   * winds down, so that nothing seen while leaving is taken for an outage.
   */
  void stopProbing() {
    Supervisor s = supervisor;
    if (s != null) {
      s.stopProbing();
    }
  }

  /**
   * Stops the set: leaves its fleet (no decision arrives mid-stop), lets a switch step in
   * progress finish within {@code grace}, and reports where it stopped. The stack is left
   * running, as a stop of the process leaves it; a standby set stops its stack and leaves
   * its election ({@link Coordination#close}).
   */
  void stop(Duration grace, long startedNanos, org.regionfailover.time.Ticker ticker) {
    try {
      stopRunning(grace, startedNanos, ticker);
    } finally {
      // After the last drain: every supervisor of the set (a standby's terms) shared them.
      currentAssembler.closeTraffic();
      currentAssembler.closeHooks();
    }
  }

  private void stopRunning(Duration grace, long startedNanos,
      org.regionfailover.time.Ticker ticker) {
    if (standby != null) {
      stopStandby(standby, startedNanos, ticker);
      return;
    }
    Supervisor s = supervisor;
    stopProbing();
    coordination.close();
    if (s == null) {
      return;
    }
    s.stop(grace);
    Region last = s.loop().activeRegion();
    log.emit(Event.info("shutdown", "stopped on request; final region " + last.name())
        .with("region", last.name())
        .with("duration_ms", (ticker.read() - startedNanos) / 1_000_000));
  }

  private void stopStandby(StandbyWiring wiring, long startedNanos,
      org.regionfailover.time.Ticker ticker) {
    boolean reachable = wiring.host().connected();
    wiring.close(); // stops the stack if it runs here, then leaves the election
    log.emit(Event.info("shutdown", "stopped on request; stack stopped, " + (reachable
            ? "lease released" : "lease left to expire with the session (ZooKeeper unreachable)"))
        .with("duration_ms", (ticker.read() - startedNanos) / 1_000_000));
  }

  /**
   * The hooks of {@code set} (issue 28), reporting to its log; a hook directory where the
   * outbox cannot be kept is a configuration error, as an unwritable env file is.
   */
  static org.regionfailover.act.hook.SetHooks hooks(SetConfiguration set,
      EventLog processLog, org.regionfailover.time.Ticker ticker) {
    org.regionfailover.config.Settings s = set.config().settings();
    try {
      return org.regionfailover.act.hook.SetHooks.of(set.config().hooks(), set.name(),
          s.envFile(), s.dryRun(), new org.regionfailover.report.SetEventLog(processLog,
              set.name()), java.time.Clock.systemUTC(), ticker);
    } catch (IOException e) {
      throw SettingsLoader.unwritableEnvFile(s.envFile(), e, "the notify deliveries are kept"
          + " in " + org.regionfailover.act.hook.NotifyOutbox.dirFor(s.envFile()).getFileName()
          + " there");
    }
  }

  /** {@code /health/hooks}: failing while the last delivery of a hook or the webhook failed. */
  static void showHooks(org.regionfailover.act.hook.SetHooks hooks, StatusFeed feed) {
    if (hooks.enabled()) {
      feed.recorder().extra("hooks", false, () -> hooks.failing()
          .map(why -> new org.regionfailover.status.StatusRecorder.Check(false, why))
          .orElse(new org.regionfailover.status.StatusRecorder.Check(true,
              "the last deliveries went through")));
    }
  }

  /** The Datadog counts the feed shows, for a feed built before the set. */
  static DatadogCounts counts(java.io.Closeable shipping) {
    return shipping instanceof DatadogCounts c ? c : null;
  }
}
