package org.regionfailover.cli;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.regionfailover.config.CoordinationSettings;
import org.regionfailover.config.Settings;
import org.regionfailover.coordinate.AppliedEpochFile;
import org.regionfailover.coordinate.Decider;
import org.regionfailover.coordinate.FleetCommands;
import org.regionfailover.coordinate.FleetMember;
import org.regionfailover.coordinate.ZooKeeperClient;
import org.regionfailover.decide.Budget;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.PolicySettings;
import org.regionfailover.decide.fleet.FleetPolicy;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.status.http.CommandEndpoints;
import org.regionfailover.time.Ticker;

/**
 * A fleet host's coordination, wired: the ZooKeeper client, this host's membership (view
 * and decisions applied) and its candidacy as the decider. Commands given here go to the
 * fleet once it runs.
 */
final class FleetWiring implements AutoCloseable {
  private final CoordinationSettings coordination;
  private final ZooKeeperClient zk;
  private final AtomicReference<FleetCommands> commands = new AtomicReference<>();
  private FleetMember member;
  private Decider decider;
  private boolean closed;

  FleetWiring(CoordinationSettings coordination, EventLog log) {
    this.coordination = coordination;
    this.zk = new ZooKeeperClient(coordination, log);
  }

  /** Connects, waiting at most the session timeout; the host runs either way. */
  void connect(EventLog log) throws InterruptedException {
    zk.start();
    if (!zk.awaitConnected(coordination.sessionTimeout())) {
      log.emit(Event.warn("coordination_lost", "cannot reach ZooKeeper " + zk.url() + " within "
              + coordination.sessionTimeout().toSeconds() + " s: keeping the region of the env"
              + " file, deciding nothing until it answers")
          .with("zookeeper", zk.url()).with("state", "NOT_CONNECTED"));
    }
  }

  /** Joins the fleet with {@code loop}: publishes, follows the decision, stands for decider. */
  void join(FailoverLoop loop, Settings settings, PolicySettings rules, Clock clock,
      Ticker ticker, EventLog log) {
    member = new FleetMember(zk, coordination.cluster(), coordination.hostId(), loop,
        new AppliedEpochFile(settings.envFile()), settings.interval(), coordination.fallback(),
        ticker, log);
    member.start();
    FleetPolicy policy = new FleetPolicy(settings.order(), settings.outageThreshold(),
        coordination.quorum(), rules.failback(), rules.failbackAfter(),
        new Budget(rules.maxTransitions(), rules.transitionWindow()));
    decider = new Decider(zk, policy, coordination.hostId(), settings.interval(), clock, ticker,
        log);
    decider.start();
    commands.set(new FleetCommands(zk, coordination.hostId(),
        CommandEndpoints.ANSWER_WITHIN.minusMillis(500)));
  }

  /** Where the status server sends an operator's command: the fleet, or the loop before. */
  CompletableFuture<Decision.ManualCommand> command(Input.Command command,
      AtomicReference<FailoverLoop> loop) {
    FleetCommands c = commands.get();
    return c != null ? c.submit(command) : StatusListener.post(loop.get(), command);
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

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    commands.set(null);
    if (member != null) {
      member.close();
    }
    if (decider != null) {
      decider.close();
    }
    zk.close();
  }
}
