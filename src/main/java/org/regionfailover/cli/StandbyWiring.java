package org.regionfailover.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.regionfailover.act.SupervisorClient;
import org.regionfailover.act.xmlrpc.XmlRpcException;
import org.regionfailover.act.xmlrpc.XmlRpcFault;
import org.regionfailover.config.CoordinationSettings;
import org.regionfailover.config.Setting;
import org.regionfailover.act.StartPermit;
import org.regionfailover.coordinate.standby.StackWatchdog;
import org.regionfailover.coordinate.standby.StandbyLease;
import org.regionfailover.coordinate.BoundedRead;
import org.regionfailover.coordinate.ZooKeeperClient;
import org.regionfailover.decide.State;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.loop.Supervisor;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.status.StatusRecorder;
import org.regionfailover.status.http.Reply;
import org.regionfailover.status.http.Request;
import org.regionfailover.status.http.Routes;
import org.regionfailover.time.FixedRateRunner;
import org.regionfailover.time.NamedThreads;
import org.regionfailover.time.Ticker;

/**
 * An active/standby host, wired: the lease, and what it guards. The leader builds a fresh
 * supervisor (adopt, start the stack, watch, fail over as a single host does); a host that
 * loses the lease stops the supervisor and then every program of the stack, all at once.
 * Before it ever joins, a host stops its stack: it holds no lease yet.
 */
final class StandbyWiring implements StandbyLease.Holder, AutoCloseable {
  /** Margin of the session rule, over the stop time and ZooKeeper's detection. */
  static final Duration MARGIN = Duration.ofSeconds(2);

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
  private Supplier<Supervisor> factory;
  private SupervisorClient stopper;
  private StackWatchdog watchdog;
  private StatusRecorder recorder;
  private Supervisor running;
  private FixedRateRunner watch;

  StandbyWiring(CoordinationSettings coordination, Duration interval, Duration threshold,
      List<String> programs, AtomicReference<FailoverLoop> loop, EventLog log, Ticker ticker) {
    this.coordination = coordination;
    this.interval = interval;
    this.threshold = threshold;
    this.programs = List.copyOf(programs);
    this.loop = loop;
    this.log = log;
    this.ticker = ticker;
    this.zk = new ZooKeeperClient(coordination, log);
    // The takeover waits one interval: a leader that lost its session learns it at 2/3 of
    // the session timeout at the latest and stops within the stop time (see the rule).
    this.lease = new StandbyLease(zk, coordination.hostId(), interval, this, log);
    this.leader = new BoundedRead<>("standby-leader-read", zk, lease::leaderId,
        java.time.Clock.systemUTC(), FleetWiring.READ_FRESH);
  }

  /**
   * The rule that keeps two stacks from running: a leader cut off learns it at 2/3 of the
   * session timeout at the latest (ZooKeeper's read timeout), and its stack is stopped
   * within the longest stopwaitsecs (programs stop in parallel); the next leader starts one
   * interval after the session expired. So the stop time plus a margin must fit in a third
   * of the session timeout plus the interval. Exit 2 naming the settings otherwise.
   */
  static void checkSessionRule(Duration session, Duration interval, Map<String, Integer> stopWait) {
    int longest = stopWait.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    Duration stop = Duration.ofSeconds(longest);
    Duration room = session.dividedBy(3).plus(interval);
    if (stop.plus(MARGIN).compareTo(room) > 0) {
      throw new org.regionfailover.config.ConfigException(Setting.SESSION_TIMEOUT.label()
          + " / " + Setting.INTERVAL.label(), "active-standby needs the stack's stop time ("
          + longest + " s, the longest stopwaitsecs of " + stopWait.keySet() + ") + "
          + MARGIN.toSeconds() + " s to fit in a third of the session timeout " + session
          + " plus the interval " + interval + " (" + room.toMillis() / 1000.0 + " s): raise"
          + " " + Setting.SESSION_TIMEOUT.flag() + " or lower the programs' stopwaitsecs");
    }
  }

  /**
   * How long the watchdog waits for a heartbeat before it stops the stack: a third of the
   * session timeout. A paused leader's session expires no sooner than two thirds of the
   * timeout after the pause (its client pings every third), so the watchdog has the same
   * room for the stop as a leader cut off from ZooKeeper: the session rule covers both.
   */
  static Duration watchdogDeadline(Duration session) {
    return session.dividedBy(3);
  }

  /**
   * What the leader runs, how the stack is stopped and the watchdog that stops it when this
   * process cannot; before {@link #start}. {@code stopper} and {@code watchdog} are null in
   * a dry run: the stack is never touched.
   */
  void prepare(Supplier<Supervisor> factory, SupervisorClient stopper, StackWatchdog watchdog,
      StatusRecorder recorder) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.stopper = stopper;
    this.watchdog = watchdog;
    this.recorder = recorder;
  }

  /**
   * Asked before every program start: ZooKeeper must confirm, in this host's session, that
   * it holds the lease. A host that wakes from a pause must not restart the stack its
   * watchdog stopped while another host took over.
   */
  StartPermit permit() {
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
   * election.
   */
  void start() throws java.io.IOException, InterruptedException {
    if (watchdog != null) {
      watchdog.start();
    }
    long t0 = ticker.read();
    String why = "starting as a candidate: no lease is held yet";
    stopStack(why);
    log.emit(Event.warn("stack_stopped_for_fencing", "stack stopped in "
            + (ticker.read() - t0) / 1_000_000 + " ms: " + why)
        .with("host_id", coordination.hostId()).with("reason", why)
        .with("duration_ms", (ticker.read() - t0) / 1_000_000).with("programs", programs));
    zk.start();
    if (!zk.awaitConnected(coordination.sessionTimeout())) {
      log.emit(Event.warn("coordination_lost", "cannot reach ZooKeeper " + zk.url() + " within "
              + coordination.sessionTimeout().toSeconds() + " s: the stack stays stopped"
              + " until this host holds the lease")
          .with("zookeeper", zk.url()).with("state", "NOT_CONNECTED"));
    }
    lease.start();
  }

  @Override
  public synchronized void lead(int epoch) throws InterruptedException {
    if (watchdog != null) {
      watchdog.arm(); // before the first program starts: a kill -9 from here on stops it
    }
    Supervisor s = factory.get();
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
    if (recorder != null) {
      recorder.end();
    }
    boolean stopped = stopStack(why);
    if (watchdog != null) {
      if (stopped) {
        watchdog.disarm();
      } else {
        watchdog.handOver(); // no more heartbeats: it tries too, a deadline from now
      }
    }
    log.emit(Event.warn("stack_stopped_for_fencing", "stack stopped in "
            + (ticker.read() - t0) / 1_000_000 + " ms: " + why)
        .with("host_id", coordination.hostId()).with("reason", why)
        .with("duration_ms", (ticker.read() - t0) / 1_000_000).with("programs", programs));
  }

  /**
   * Stops every program at once and waits for each; one that is not running is fine.
   * Whether every program is known to be stopped.
   */
  private boolean stopStack(String why) {
    if (stopper == null) {
      return true;
    }
    List<Thread> stopping = new ArrayList<>();
    List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
    for (String p : programs) {
      Thread t = NamedThreads.lasting("stop-" + p, () -> {
        try {
          stopper.stopProcess(p, true);
        } catch (XmlRpcFault f) {
          if (!f.getMessage().contains("NOT_RUNNING")) {
            failed.add(p + ": " + f.getMessage());
          }
        } catch (XmlRpcException e) {
          failed.add(p + ": " + e.getMessage());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      t.start();
      stopping.add(t);
    }
    for (Thread t : stopping) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!failed.isEmpty()) {
      log.emit(Event.error("stack_stop_failed", "could not stop every program (" + why + "): "
          + String.join("; ", failed)).with("reason", String.join("; ", failed)));
      return false;
    }
    return true;
  }

  /** {@code POST /resign}: the operator's way to move the stack to another host. */
  void register(Routes.Builder routes) {
    routes.post("/resign", this::resign);
  }

  private Reply resign(Request r) {
    if (!lease.leading()) {
      return Reply.text(409, "refused: this host does not hold the lease (the stack runs on "
          + describeLeader() + ")");
    }
    log.emit(Event.warn("manual_command", r.user() + " from " + r.remoteAddress()
            + ": resign accepted; the stack stops here and another host takes the lease")
        .with("user", r.user()).with("address", r.remoteAddress()).with("command", "resign")
        .with("outcome", "accepted"));
    resignLater("asked by " + r.user());
    return Reply.text(202, "accepted: resigning the lease (epoch " + lease.epoch() + "); the"
        + " stack stops here and another host starts it");
  }

  private String describeLeader() {
    String known = leader.get(FleetWiring.READ_WAIT)
        .map(id -> id.isEmpty() ? "no host now" : id).orElse(null);
    if (!zk.connected()) {
      return "a host this one cannot confirm (ZooKeeper unreachable"
          + (known == null ? "" : "; last known: " + known) + ")";
    }
    return known == null ? "a host not read yet" : known;
  }

  /** What the read endpoints say while this host is a standby. */
  String idleReason() {
    return "standby: the stack runs on " + describeLeader() + " (cluster "
        + coordination.cluster() + "); this host keeps its stack stopped";
  }

  /** The {@code coordination} component of {@code /health}, as on a fleet host. */
  StatusRecorder.Check coordination() {
    return zk.connected()
        ? new StatusRecorder.Check(true, "in cluster " + coordination.cluster() + " ("
            + (lease.leading() ? "holds the lease" : "standby") + ")")
        : new StatusRecorder.Check(false, "ZooKeeper " + zk.url() + " unreachable: "
            + (lease.leading() ? "stopping the stack" : "keeping the stack stopped"));
  }

  /** The {@code role} component while this host leads. */
  StatusRecorder.Check role() {
    return lease.leading()
        ? new StatusRecorder.Check(true, "leader at lease epoch " + lease.epoch()
            + ": this host runs the stack")
        : new StatusRecorder.Check(false, idleReason());
  }

  StandbyLease lease() {
    return lease;
  }

  ZooKeeperClient client() {
    return zk;
  }

  /** Stops the stack if it runs here, leaves the election, disconnects. */
  @Override
  public void close() {
    leader.close();
    lease.close();
    zk.close();
    if (watchdog != null) {
      watchdog.close();
    }
  }
}
