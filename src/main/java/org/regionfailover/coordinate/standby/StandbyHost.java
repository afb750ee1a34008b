package org.regionfailover.coordinate.standby;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.regionfailover.act.supervisord.StackStop;
import org.regionfailover.act.StartPermit;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.CoordinationSettings;
import org.regionfailover.config.DurationParser;
import org.regionfailover.config.Setting;
import org.regionfailover.coordinate.BoundedRead;
import org.regionfailover.coordinate.ZooKeeperClient;
import org.regionfailover.decide.State;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.time.FixedRateRunner;
import org.regionfailover.loop.Supervisor;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.NamedThreads;
import org.regionfailover.time.Ticker;

/**
 * An active/standby host: the lease, and what it guards. The leader builds a fresh
 * supervisor (adopt, start the stack, watch, fail over as a single host does); a host that
 * loses the lease stops the supervisor and then every program of the stack, all at once.
 * Before it ever joins, a host stops its stack: it holds no lease yet.
 */
public final class StandbyHost implements StandbyLease.Holder, AutoCloseable {
  /** Margin of the session rule, over the stop time and ZooKeeper's detection. */
  static final Duration MARGIN = Duration.ofSeconds(2);

  /** What the leader runs, how the stack is stopped, and what else a fence ends. */
  public record Parts(Supplier<Supervisor> supervisors, Optional<StackStop> stopper,
      Optional<StackWatchdog> watchdog, Runnable onFence) {
    public Parts {
      Objects.requireNonNull(supervisors, "supervisors");
      Objects.requireNonNull(stopper, "stopper");
      Objects.requireNonNull(watchdog, "watchdog");
      Objects.requireNonNull(onFence, "onFence");
    }
  }

  private final CoordinationSettings coordination;
  private final ZooKeeperClient zk;
  private final StandbyLease lease;
  /** Who holds the lease, read off the status server's threads (never waited on long). */
  private final BoundedRead<String> leader;
  private final EventLog log;
  private final Ticker ticker;
  private final Duration interval;
  private final Duration threshold;
  private final List<String> programs;
  private final AtomicReference<FailoverLoop> loop;
  private Parts parts;
  private Supervisor running;
  private FixedRateRunner watch;

  /** A standby host on {@code session}, which the process's other sets may share. */
  public StandbyHost(ZooKeeperClient.Session session, CoordinationSettings coordination,
      Duration interval, Duration threshold, List<String> programs,
      AtomicReference<FailoverLoop> loop, EventLog log, Ticker ticker) {
    this.coordination = coordination;
    this.interval = interval;
    this.threshold = threshold;
    this.programs = List.copyOf(programs);
    this.loop = loop;
    this.log = log;
    this.ticker = ticker;
    this.zk = new ZooKeeperClient(session, coordination, log);
    // The takeover waits one interval: a leader that lost its session learns it at 2/3 of
    // the session timeout at the latest and stops within the stop time (see the rule).
    this.lease = new StandbyLease(zk, coordination.hostId(), interval, this, log);
    this.leader = new BoundedRead<>("standby-leader-read", zk, lease::leaderId,
        java.time.Clock.systemUTC(), BoundedRead.FRESH);
  }

  /**
   * The rule that keeps two stacks from running: a leader cut off learns it at 2/3 of the
   * session timeout at the latest (ZooKeeper's read timeout), and its stack is stopped
   * within the longest stopwaitsecs (programs stop in parallel); the next leader starts one
   * interval after the session expired. So the stop time plus a margin must fit in a third
   * of the session timeout plus the interval. Exit 2 naming the settings otherwise.
   */
  public static void checkSessionRule(Duration session, Duration interval,
      Map<String, Integer> stopWait) {
    int longest = stopWait.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    Duration stop = Duration.ofSeconds(longest);
    Duration room = session.dividedBy(3).plus(interval);
    if (stop.plus(MARGIN).compareTo(room) > 0) {
      throw new ConfigException(Setting.SESSION_TIMEOUT.label()
          + " / " + Setting.INTERVAL.label(), "active-standby needs the stack's stop time ("
          + longest + " s, the longest stopwaitsecs of " + stopWait.keySet() + ") + "
          + MARGIN.toSeconds() + " s to fit in a third of the session timeout " + DurationParser.text(session)
          + " plus the interval " + DurationParser.text(interval) + " (" + room.toMillis() / 1000.0 + " s): raise"
          + " " + Setting.SESSION_TIMEOUT.flag() + " or lower the programs' stopwaitsecs");
    }
  }

  /**
   * How long the watchdog waits for a heartbeat before it stops the stack: a third of the
   * session timeout. A paused leader's session expires no sooner than two thirds of the
   * timeout after the pause (its client pings every third), so the watchdog has the same
   * room for the stop as a leader cut off from ZooKeeper: the session rule covers both.
   */
  public static Duration watchdogDeadline(Duration session) {
    return session.dividedBy(3);
  }

  /**
   * Asked before every program start: ZooKeeper must confirm, in this host's session, that
   * it holds the lease. A host that wakes from a pause must not restart the stack its
   * watchdog stopped while another host took over.
   */
  public StartPermit permit() {
    Duration within = coordination.sessionTimeout().dividedBy(3);
    return () -> {
      var refused = lease.confirm(within);
      if (refused.isPresent()) {
        log.emit(Event.warn("start_refused", "not starting the stack: " + refused.get())
            .with("host_id", coordination.hostId()).with("reason", refused.get()));
        throw new StartPermit.StartRefusedException("refused: " + refused.get());
      }
    };
  }

  /**
   * Starts the watchdog, stops the stack (no lease is held yet), connects and joins the
   * election, with {@code parts}.
   */
  public void start(Parts parts) throws java.io.IOException, InterruptedException {
    this.parts = Objects.requireNonNull(parts, "parts");
    if (parts.watchdog().isPresent()) {
      parts.watchdog().get().start();
    }
    long t0 = ticker.read();
    String why = "starting as a candidate: no lease is held yet";
    stopStack(why);
    stopped(why, t0);
    zk.connect(coordination.sessionTimeout(), "the stack stays stopped until this host holds"
        + " the lease");
    lease.start();
  }

  @Override
  public synchronized void lead(int epoch) throws InterruptedException {
    parts.watchdog().ifPresent(StackWatchdog::arm); // before the first program starts
    Supervisor s = parts.supervisors().get();
    try {
      s.start();
    } catch (java.io.IOException e) {
      s.stop(Duration.ofSeconds(1));
      log.emit(Event.error("stack_not_started", "cannot write the env file: " + e
          + "; giving the lease up").with("reason", e.toString()));
      resignLater("the env file cannot be written");
      return;
    }
    running = s;
    loop.set(s.loop());
    watch = new FixedRateRunner(slot -> watchStack(), interval, ticker, log::tickFailed,
        "lease-watch");
    watch.start();
  }

  /** The supervisor of this lease term, while this host leads (a reload reconfigures it). */
  public synchronized java.util.Optional<Supervisor> running() {
    return java.util.Optional.ofNullable(running);
  }

  /** A stack under repair for a whole threshold cannot be kept running here: resign. */
  private void watchStack() {
    Supervisor s = running;
    if (s == null || s.loop() == null) {
      return;
    }
    State phase = s.loop().state().phase();
    if (phase instanceof State.Repairing r
        && ticker.read() - r.since() - threshold.toNanos() >= 0) {
      resignLater("the stack cannot be kept running (" + r.reason() + ")");
    }
  }

  private void resignLater(String why) {
    NamedThreads.daemon("lease-resign", () -> lease.resign(why)).start();
  }

  @Override
  public synchronized void fence(String why) {
    long t0 = ticker.read();
    if (watch != null) {
      watch.close(Duration.ZERO);
      watch = null;
    }
    Supervisor s = running;
    running = null;
    loop.set(null);
    if (s != null) {
      // Short: a start in progress is cut off, and the programs are stopped below anyway.
      s.stop(Duration.ofMillis(500));
    }
    parts.onFence().run();
    boolean stopped = stopStack(why);
    if (stopped) {
      parts.watchdog().ifPresent(StackWatchdog::disarm);
    } else {
      parts.watchdog().ifPresent(StackWatchdog::handOver); // it tries too, a deadline from now
    }
    stopped(why, t0);
  }

  private void stopped(String why, long t0) {
    log.emit(Event.warn("stack_stopped_for_fencing", "stack stopped in "
            + (ticker.read() - t0) / 1_000_000 + " ms: " + why)
        .with("host_id", coordination.hostId()).with("reason", why)
        .with("duration_ms", (ticker.read() - t0) / 1_000_000).with("programs", programs));
  }

  /** Stops every program at once (not in a dry run); whether each is known to be stopped. */
  private boolean stopStack(String why) {
    List<String> failed = parts.stopper().map(StackStop::stop).orElse(List.of());
    if (!failed.isEmpty()) {
      log.emit(Event.error("stack_stop_failed", "could not stop every program (" + why + "): "
          + String.join("; ", failed)).with("reason", String.join("; ", failed)));
      return false;
    }
    return true;
  }

  /**
   * An operator's {@code POST /resign}, the way to move the stack to another host: why it
   * is refused (this host does not hold the lease), or empty when the lease is being given up.
   */
  public Optional<String> resign(String user, String address) {
    if (!lease.leading()) {
      return Optional.of("refused: this host does not hold the lease (the stack runs on "
          + describeLeader() + ")");
    }
    log.emit(Event.warn("manual_command", user + " from " + address
            + ": resign accepted; the stack stops here and another host takes the lease")
        .with("user", user).with("address", address).with("command", "resign")
        .with("outcome", "accepted"));
    resignLater("asked by " + user);
    return Optional.empty();
  }

  private String describeLeader() {
    String known = leader.get(BoundedRead.WAIT)
        .map(id -> id.isEmpty() ? "no host now" : id).orElse(null);
    if (!zk.connected()) {
      return "a host this one cannot confirm (ZooKeeper unreachable"
          + (known == null ? "" : "; last known: " + known) + ")";
    }
    return known == null ? "a host not read yet" : known;
  }

  /** What the read endpoints say while this host is a standby. */
  public String idleReason() {
    return "standby: the stack runs on " + describeLeader() + " (cluster "
        + coordination.cluster() + "); this host keeps its stack stopped";
  }

  /** Whether ZooKeeper answers: the {@code coordination} component of {@code /health}. */
  public boolean connected() {
    return zk.connected();
  }

  /** What the {@code coordination} component of {@code /health} says, as on a fleet host. */
  public String coordinationDetail() {
    return zk.connected()
        ? "in cluster " + coordination.cluster() + " ("
            + (lease.leading() ? "holds the lease" : "standby") + ")"
        : "ZooKeeper " + zk.url() + " unreachable: "
            + (lease.leading() ? "stopping the stack" : "keeping the stack stopped");
  }

  /** Whether this host holds the lease: the {@code role} component of {@code /health}. */
  public boolean leading() {
    return lease.leading();
  }

  /** What the {@code role} component says. */
  public String roleDetail() {
    return lease.leading()
        ? "leader at lease epoch " + lease.epoch() + ": this host runs the stack"
        : idleReason();
  }

  /** The lease's epoch, for the reply to {@code POST /resign}. */
  public int epoch() {
    return lease.epoch();
  }

  /** Stops the stack if it runs here, leaves the election, disconnects. */
  @Override
  public void close() {
    leader.close();
    lease.close();
    zk.close();
    if (parts != null) {
      parts.watchdog().ifPresent(StackWatchdog::close);
    }
  }
}
