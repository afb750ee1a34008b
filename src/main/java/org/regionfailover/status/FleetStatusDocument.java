package org.regionfailover.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.regionfailover.config.CoordinationSettings;
import org.regionfailover.coordinate.BoundedRead;
import org.regionfailover.coordinate.Decider;
import org.regionfailover.coordinate.FleetDecision;
import org.regionfailover.coordinate.FleetMember;
import org.regionfailover.coordinate.FleetSnapshot;
import org.regionfailover.coordinate.FleetSnapshotReader;
import org.regionfailover.coordinate.ZooKeeperClient;
import org.regionfailover.decide.Budget;
import org.regionfailover.decide.fleet.FleetHold;
import org.regionfailover.decide.fleet.FleetPolicy;
import org.regionfailover.decide.fleet.HostView;
import org.regionfailover.decide.fleet.SeenView;

/** The {@code fleet} part of a fleet host's {@code /status}. */
public record FleetStatusDocument(CoordinationSettings coordination, ZooKeeperClient zk,
    FleetPolicy policy, Clock clock) {
  /**
   * The fleet as {@code /status} shows it: hosts, views, the decision, who applied it, the
   * decider, how many hosts must see the region down before the fleet moves, and the
   * fleet's hold and budget ({@code m}, {@code d} and {@code r} are null until the host
   * joins). Never waits on ZooKeeper longer than {@link BoundedRead#WAIT}.
   */
  public JsonNode render(FleetMember m, Decider d, FleetSnapshotReader r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("cluster", coordination.cluster());
    o.put("host_id", coordination.hostId());
    o.put("role", "fleet");
    o.put("zookeeper", zk.url());
    o.put("connected", zk.connected());
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
    Optional<FleetSnapshot> read = r.snapshot(BoundedRead.WAIT);
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
}
