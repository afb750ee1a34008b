package org.regionfailover.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.regionfailover.config.Configuration;
import org.regionfailover.config.CoordinationSettings;
import org.regionfailover.coordinate.AppliedEpochFile;
import org.regionfailover.coordinate.BoundedRead;
import org.regionfailover.coordinate.Decider;
import org.regionfailover.coordinate.FleetCommands;
import org.regionfailover.coordinate.FleetMember;
import org.regionfailover.coordinate.FleetSnapshotReader;
import org.regionfailover.coordinate.ZooKeeperClient;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.fleet.FleetPolicy;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.report.EventLog;
import org.regionfailover.status.FleetStatusDocument;
import org.regionfailover.status.StatusRecorder;
import org.regionfailover.status.http.CommandEndpoints;
import org.regionfailover.status.http.ServedSet;
import org.regionfailover.time.Ticker;

/**
 * A fleet host's coordination, wired: the ZooKeeper client, this host's membership (view
 * and decisions applied) and its candidacy as the decider. Commands given here go to the
 * fleet once it runs.
 */
final class FleetWiring implements Coordination {
  /** A stop waits this long at most to leave the fleet cleanly (runners stop within 2 s). */
  static final Duration LEAVE_WITHIN = Duration.ofSeconds(5);
  /** Without ZooKeeper nothing can be deleted: the runners get a moment to stop, no more. */
  static final Duration LEAVE_WITHOUT_ZOOKEEPER = Duration.ofMillis(500);

  /** The rules the host runs with: its start's, then a reload's ({@link #reconfigure}). */
  private volatile Configuration config;
  private final CoordinationSettings coordination;
  private final ZooKeeperClient zk;
  private volatile FleetPolicy policy;
  private volatile FleetStatusDocument document;
  private final Clock clock;
  private final EventLog log;
  private final Ticker ticker;
  private final AtomicReference<FleetCommands> commands = new AtomicReference<>();
  /** Set once by {@link #started}; read by the status server's threads. */
  private volatile FleetMember member;
  private volatile Decider decider;
  /** The maintenance windows last given, for a decider made after them. */
  private volatile Input.MaintenanceSchedule schedule;
  private volatile FleetSnapshotReader reader;
  private boolean closed;

  FleetWiring(Configuration config, Clock clock, EventLog log, Ticker ticker) {
    this(new ZooKeeperClient.Session(config.coordination()), config, clock, log, ticker);
  }

  /** As above, on {@code session}, which the process's other sets may share. */
  FleetWiring(ZooKeeperClient.Session session, Configuration config, Clock clock, EventLog log,
      Ticker ticker) {
    this.config = config;
    this.coordination = config.coordination();
    this.clock = clock;
    this.log = log;
    this.ticker = ticker;
    this.zk = new ZooKeeperClient(session, coordination, log);
    this.policy = new FleetPolicy(config.settings().order(), config.policy(),
        coordination.quorum());
    this.document = new FleetStatusDocument(coordination, zk, policy, clock);
  }

  @Override
  public void show(StatusFeed feed, ServedSet served) {
    served.withFleet(this::status);
    feed.recorder().extra("coordination", false, this::check);
  }

  @Override
  public boolean defersToFleet() {
    return true;
  }

  /** Connects, waiting at most the session timeout; the host runs either way. */
  @Override
  public void beforeStart() throws InterruptedException {
    zk.connect(coordination.sessionTimeout(), "keeping the region of the env file, deciding"
        + " nothing until it answers");
  }

  @Override
  public void maintenance(Input.MaintenanceSchedule windows) {
    schedule = windows;
    Decider d = decider;
    if (d != null) {
      d.maintenance(windows);
    }
  }

  /** Joins the fleet with {@code loop}: publishes, follows the decision, stands for decider. */
  @Override
  public void started(FailoverLoop loop) {
    member = new FleetMember(zk, coordination.cluster(), coordination.hostId(), loop,
        new AppliedEpochFile(config.settings().envFile()), config.settings().interval(),
        coordination.fallback(), ticker, log);
    member.start();
    decider = new Decider(zk, policy, coordination.hostId(), config.settings().interval(),
        clock, ticker, log);
    Input.MaintenanceSchedule windows = schedule;
    if (windows != null) {
      decider.maintenance(windows);
    }
    decider.start();
    reader = new FleetSnapshotReader(zk, decider, clock, BoundedRead.FRESH);
    commands.set(new FleetCommands(zk, coordination.hostId(),
        CommandEndpoints.ANSWER_WITHIN.minusMillis(500), ticker));
  }

  /**
   * Where the status server sends an operator's command: the fleet; the loop before the
   * host joins, and while it has fallen back to deciding alone (the fleet cannot take it
   * then, and the host is the operator's to steer).
   */
  @Override
  public CompletableFuture<Decision.ManualCommand> command(Input.Command command,
      AtomicReference<FailoverLoop> loop) {
    FleetCommands c = commands.get();
    FleetMember m = member;
    return c != null && (m == null || !m.fellBack()) ? c.submit(command)
        : StatusListener.post(loop.get(), command);
  }

  /** The fleet as {@code /status} shows it; never waits on ZooKeeper long. */
  JsonNode status() {
    return document.render(member, decider, reader);
  }

  /** The {@code coordination} component of {@code /health}. */
  StatusRecorder.Check check() {
    if (!zk.connected()) {
      return new StatusRecorder.Check(false, "ZooKeeper "
          + zk.url() + " unreachable: keeping the region, deciding nothing"
          + (member != null && member.fellBack() ? " (fallen back: deciding alone)" : ""));
    }
    FleetMember m = member;
    return new StatusRecorder.Check(true, "in cluster "
        + coordination.cluster() + (m == null ? "" : ", applied epoch " + m.appliedEpoch())
        + (decider != null && decider.leading() ? "; this host decides" : ""));
  }

  FleetMember member() {
    return member;
  }

  Decider decider() {
    return decider;
  }

  ZooKeeperClient client() {
    return zk;
  }

  /**
   * A reload's rules reach the fleet's parts on this host as they reach its loop: the
   * decider decides with them from its next pass on (keeping its outage clock, history and
   * hold) and the member publishes at the new interval. The membership, the election and
   * the applied epoch are untouched: a reload never moves the fleet or its decider.
   * {@code next}'s coordination is the running one (a restart changes it).
   */
  @Override
  public void reconfigure(Configuration next) {
    FleetPolicy rules = new FleetPolicy(next.settings().order(), next.policy(),
        coordination.quorum());
    config = next;
    policy = rules;
    document = new FleetStatusDocument(coordination, zk, rules, clock);
    Duration interval = next.settings().interval();
    Decider d = decider;
    if (d != null) {
      d.reconfigure(rules, interval);
    }
    FleetMember m = member;
    if (m != null) {
      m.reconfigure(interval);
    }
  }

  /** Leaves the fleet: another host decides. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    commands.set(null);
    FleetMember m = member;
    Decider d = decider;
    FleetSnapshotReader r = reader;
    if (r != null) {
      r.close();
    }
    try {
      zk.closeAfter(() -> {
        if (m != null) {
          m.close();
        }
        if (d != null) {
          d.close();
        }
      }, zk.connected() ? LEAVE_WITHIN : LEAVE_WITHOUT_ZOOKEEPER);
    } catch (InterruptedException e) {
      zk.close();
      Thread.currentThread().interrupt();
    }
  }
}
