package org.regionfailover.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.regionfailover.config.CoordinationSettings;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.config.Settings;
import org.regionfailover.coordinate.AppliedEpochFile;
import org.regionfailover.coordinate.Decider;
import org.regionfailover.coordinate.FleetCommands;
import org.regionfailover.coordinate.FleetDecision;
import org.regionfailover.coordinate.FleetMember;
import org.regionfailover.coordinate.FleetSnapshot;
import org.regionfailover.coordinate.FleetSnapshotReader;
import org.regionfailover.coordinate.ZooKeeperClient;
import org.regionfailover.decide.Budget;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.fleet.FleetHold;
import org.regionfailover.decide.fleet.FleetPolicy;
import org.regionfailover.decide.fleet.HostView;
import org.regionfailover.decide.fleet.SeenView;
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
  /** How long {@code /status} waits for ZooKeeper before it shows the last read. */
  static final Duration READ_WAIT = Duration.ofMillis(500);
  /** A read this young is shown again: open pages cost one read of the fleet per second. */
  static final Duration READ_FRESH = Duration.ofSeconds(1);
  /** A stop waits this long at most to leave the fleet cleanly (runners stop within 2 s). */
  static final Duration LEAVE_WITHIN = Duration.ofSeconds(5);
  /** Without ZooKeeper nothing can be deleted: the runners get a moment to stop, no more. */
  static final Duration LEAVE_WITHOUT_ZOOKEEPER = Duration.ofMillis(500);

  private final CoordinationSettings coordination;
  private final ZooKeeperClient zk;
  private final AtomicReference<FleetCommands> commands = new AtomicReference<>();
  /** Set once by {@link #join}; read by the status server's threads. */
  private volatile FleetMember member;
  private volatile Decider decider;
  private volatile FleetSnapshotReader reader;
  private volatile FleetPolicy policy;
  private volatile Clock clock;
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
    FleetPolicy policy = new FleetPolicy(settings.order(), rules, coordination.quorum());
    decider = new Decider(zk, policy, coordination.hostId(), settings.interval(), clock, ticker,
        log);
    decider.start();
    this.policy = policy;
    this.clock = clock;
    reader = new FleetSnapshotReader(zk, decider, clock, READ_FRESH);
    commands.set(new FleetCommands(zk, coordination.hostId(),
        CommandEndpoints.ANSWER_WITHIN.minusMillis(500), ticker));
  }

  /**
   * Where the status server sends an operator's command: the fleet; the loop before the
   * host joins, and while it has fallen back to deciding alone (the fleet cannot take it
   * then, and the host is the operator's to steer).
   */
  CompletableFuture<Decision.ManualCommand> command(Input.Command command,
      AtomicReference<FailoverLoop> loop) {
    FleetCommands c = commands.get();
    FleetMember m = member;
    return c != null && (m == null || !m.fellBack()) ? c.submit(command)
        : StatusListener.post(loop.get(), command);
  }

  /**
   * The fleet as {@code /status} shows it: hosts, views, the decision, who applied it, the
   * decider, how many hosts must see the region down before the fleet moves, and the
   * fleet's hold and budget. Never waits on ZooKeeper longer than {@link #READ_WAIT}.
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
    FleetSnapshotReader r = reader;
    if (m == null || d == null || r == null) {
      return o.put("joined", false);
    }
    o.put("joined", true);
    o.put("falls_back", m.fellBack());
    o.put("this_host_decides", d.leading());
    o.put("applied_epoch", m.appliedEpoch());
    Optional<FleetDecision.Read> decision = m.decision();
    decision.ifPresent(read -> o.putObject("decision").put("epoch", read.epoch())
        .put("region", read.decision().region()).put("kind", read.decision().kind())
        .put("reason", read.decision().reason()).put("decider", read.decision().decider())
        .put("at", Instant.ofEpochMilli(read.decision().atMillis()).toString()));
    Optional<FleetSnapshot> read = r.snapshot(READ_WAIT);
    long nowMillis = clock.millis();
    long now = nowMillis * 1_000_000L;
    o.put("decider", read.map(FleetSnapshot::decider).orElse(null));
    o.put("views_read_at", read.map(s -> Instant.ofEpochMilli(s.readAtMillis()).toString())
        .orElse(null));
    o.put("views_age_ms", read.map(s -> Math.max(0, nowMillis - s.readAtMillis()))
        .orElse(null));
    List<SeenView> views = read.map(FleetSnapshot::views).orElse(List.of());
    int active = decision.map(x -> policy.index(x.decision().region())).orElse(-1);
    quorum(o.putObject("quorum"), views, active, now);
    o.set("hold", read.map(s -> hold(s, now)).orElse(null));
    o.set("budget", read.map(s -> budget(s, now)).orElse(null));
    int epoch = decision.map(FleetDecision.Read::epoch).orElse(-1);
    ArrayNode hosts = o.putArray("hosts");
    for (SeenView v : views) {
      host(hosts.addObject(), v, active, epoch, now);
    }
    return o;
  }

  private void quorum(ObjectNode q, List<SeenView> views, int active, long now) {
    int required = coordination.quorum().required(views.size());
    q.put("rule", coordination.quorum().toString()).put("required", required)
        .put("live", views.size()).put("possible", required <= views.size())
        .put("region", active < 0 ? null : policy.order().get(active).name())
        .put("threshold_s", policy.threshold().toSeconds())
        .put("seeing_down", active < 0 ? 0 : policy.seeingDown(active, views, now));
  }

  private void host(ObjectNode h, SeenView seen, int active, int epoch, long now) {
    HostView v = seen.view();
    long downFor = seen.downFor(now);
    h.put("host_id", v.host()).put("region", v.region()).put("state", v.phase())
        .put("down_for_ms", downFor < 0 ? null : downFor / 1_000_000L)
        .put("counts", active >= 0 && policy.seeingDown(active, List.of(seen), now) == 1)
        .put("applied_epoch", v.appliedEpoch())
        .put("applied", epoch >= 0 && v.appliedEpoch() >= epoch);
    ObjectNode direct = h.putObject("direct");
    v.direct().forEach((r, health) -> direct.put(r, health.name().toLowerCase(Locale.ROOT)));
  }

  /** The fleet's hold in the shape of a host's {@code hold} (null: none, or run out). */
  private static ObjectNode hold(FleetSnapshot s, long now) {
    FleetHold h = s.hold();
    if (h == null || h.expired(now)) {
      return null;
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("by", h.user()).put("reason", h.reason())
        .put("since", Instant.ofEpochMilli(h.since() / 1_000_000L).toString())
        .put("until", h.until() == 0 ? null
            : Instant.ofEpochMilli(h.until() / 1_000_000L).toString());
    return o;
  }

  /** The fleet's budget in the shape of a host's {@code budget}. */
  private ObjectNode budget(FleetSnapshot s, long now) {
    Budget b = policy.budget();
    long[] history = s.history();
    int used = b.used(history, now);
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("used", used).put("max", b.count()).put("window_s", b.window().toSeconds())
        .put("free_at", b.limited() && used >= b.count()
            ? Instant.ofEpochMilli(b.nextFree(history, now) / 1_000_000L).toString() : null);
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
