package org.regionfailover.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
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
import org.regionfailover.decide.fleet.HostView;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.status.StatusRecorder;
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

  /**
   * The fleet as {@code /status} shows it: hosts, views, the decision, who applied it, and
   * how many hosts must see the region down before the fleet moves.
   */
  JsonNode status() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("cluster", coordination.cluster());
    o.put("host_id", coordination.hostId());
    o.put("role", "fleet");
    o.put("zookeeper", zk.url());
    o.put("connected", zk.connected());
    FleetMember m = member;
    Decider d = decider;
    if (m == null || d == null) {
      return o.put("joined", false);
    }
    o.put("joined", true);
    o.put("falls_back", m.fellBack());
    o.put("decider", d.leaderId());
    o.put("this_host_decides", d.leading());
    o.put("applied_epoch", m.appliedEpoch());
    m.decision().ifPresent(r -> o.putObject("decision").put("epoch", r.epoch())
        .put("region", r.decision().region()).put("kind", r.decision().kind())
        .put("reason", r.decision().reason()).put("decider", r.decision().decider())
        .put("at", Instant.ofEpochMilli(r.decision().atMillis()).toString()));
    List<HostView> views = m.liveViews();
    o.putObject("quorum").put("rule", coordination.quorum().toString())
        .put("required", coordination.quorum().required(views.size()))
        .put("live", views.size())
        .put("seeing_down", views.stream().filter(HostView::down).count());
    ArrayNode hosts = o.putArray("hosts");
    int epoch = m.decision().map(r -> r.epoch()).orElse(-1);
    for (HostView v : views) {
      ObjectNode h = hosts.addObject();
      h.put("host_id", v.host()).put("region", v.region()).put("state", v.phase())
          .put("down_for_ms", v.down() ? v.downForMillis() : null)
          .put("applied_epoch", v.appliedEpoch()).put("applied", v.appliedEpoch() >= epoch);
      ObjectNode direct = h.putObject("direct");
      v.direct().forEach((r, health) -> direct.put(r, health.name().toLowerCase(Locale.ROOT)));
    }
    return o;
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
