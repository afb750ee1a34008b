package org.regionfailover.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.regionfailover.decide.Blocked;
import org.regionfailover.decide.Hold;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.State;

/**
 * The JSON documents of the status server, built from one snapshot: {@code /status} (where
 * the host stands), {@code /health?verbose} (the components) and {@code /history} (the
 * probes of the last hour, for the page's plots). Times are ISO-8601 UTC; durations that
 * run on (the outage) are computed at {@code now}, the time of the request.
 */
public final class StatusDocument {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * This machine's name, so that pages reached through several SSH tunnels (all on
   * 127.0.0.1) can be told apart. Read from the kernel: no DNS lookup.
   */
  private static final String HOSTNAME = hostname();

  private StatusDocument() {}

  /** The {@code /status} document. */
  public static ObjectNode status(StatusSnapshot s, Instant now) {
    ObjectNode o = JSON.createObjectNode();
    o.put("version", s.version());
    o.put("hostname", HOSTNAME);
    o.put("generated_at", now.toString());
    o.put("healthy", s.healthy());
    o.put("active_region", s.active().name());
    o.put("active_host", s.active().host());
    o.put("preferred_region", s.regions().get(0).name());
    ArrayNode order = o.putArray("order");
    s.regions().forEach(r -> order.add(r.name()));
    o.put("state", s.phase());
    o.put("state_since", text(s.phaseSince()));
    o.put("state_reason", s.phaseReason());
    o.put("held", s.state().held());
    o.set("hold", hold(s));
    o.set("maintenance", maintenance(s, now));
    o.set("outage", outage(s, now));
    o.set("blocked", blocked(s));
    o.set("traffic", traffic(s));
    ArrayNode regions = o.putArray("regions");
    s.regions().forEach(r -> regions.add(region(r)));
    ObjectNode budget = o.putObject("budget");
    budget.put("used", s.budget().used());
    budget.put("max", s.budget().max());
    budget.put("window_s", s.budget().window().toSeconds());
    budget.put("free_at", text(s.budgetFreeAt()));
    ObjectNode failback = o.putObject("failback");
    failback.put("mode", s.failback().mode().name().toLowerCase(Locale.ROOT));
    failback.put("target", s.failback().target() < 0 ? null
        : s.regions().get(s.failback().target()).name());
    failback.put("at", text(s.failbackAt()));
    failback.put("waiting_for_operator", s.failback().waiting());
    o.set("components", components(s));
    o.set("transitions", transitions(s));
    return o;
  }

  /**
   * The process's own part of {@code /status} when it runs several failover sets: its
   * version, this machine's name and when the document was written; the sets follow.
   */
  public static ObjectNode process(String version, Instant now) {
    ObjectNode o = JSON.createObjectNode();
    o.put("version", version);
    o.put("hostname", HOSTNAME);
    o.put("generated_at", now.toString());
    return o;
  }

  /** The {@code /health?verbose} document. */
  public static ObjectNode health(StatusSnapshot s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("status", s.healthy() ? "OK" : "FAIL");
    o.set("components", components(s));
    return o;
  }

  /** One component, for {@code /health/<name>?verbose}. */
  public static ObjectNode component(Component c) {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", c.name());
    o.put("status", c.word());
    o.put("reason", c.reason());
    o.put("since", c.since().toString());
    o.put("aggregated", c.aggregated());
    return o;
  }

  /**
   * The {@code /history} document: each region's probes, chain and direct, its calls while a
   * traffic source is on ({@code traffic}, absent otherwise), and the transitions.
   */
  public static ObjectNode history(StatusSnapshot s, Instant now) {
    ObjectNode o = JSON.createObjectNode();
    o.put("generated_at", now.toString());
    o.put("active_region", s.active().name());
    ArrayNode regions = o.putArray("regions");
    for (RegionStatus r : s.regions()) {
      ObjectNode n = regions.addObject();
      n.put("name", r.name());
      n.set("chain", series(r.chainHistory()));
      n.set("direct", series(r.directHistory()));
      if (r.trafficHistory() != null) {
        n.set("traffic", series(r.trafficHistory()));
      }
    }
    o.set("transitions", transitions(s));
    return o;
  }

  /** Serialises a document. */
  public static byte[] bytes(ObjectNode document) {
    try {
      return JSON.writeValueAsBytes(document);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serialises", e);
    }
  }

  private static ObjectNode series(LatencySeries series) {
    ObjectNode o = JSON.createObjectNode();
    ArrayNode t = o.putArray("t");
    ArrayNode ms = o.putArray("latency_ms");
    ArrayNode ok = o.putArray("ok");
    for (int i = 0; i < series.size(); i++) {
      t.add(series.at(i));
      ms.add(series.latencyMs(i));
      ok.add(series.ok(i));
    }
    return o;
  }

  /**
   * The applications' calls through a region, one point per interval: {@code volume} calls,
   * {@code unreachable} of them, and their {@code share} (0 to 1, three decimals), what the
   * page draws under the latency.
   */
  private static ObjectNode series(TrafficSeries series) {
    ObjectNode o = JSON.createObjectNode();
    ArrayNode t = o.putArray("t");
    ArrayNode volume = o.putArray("volume");
    ArrayNode unreachable = o.putArray("unreachable");
    ArrayNode share = o.putArray("share");
    for (int i = 0; i < series.size(); i++) {
      t.add(series.at(i));
      volume.add(series.volume(i));
      unreachable.add(series.unreachable(i));
      share.add(Math.round(series.share(i) * 1000) / 1000.0);
    }
    return o;
  }

  /**
   * The maintenance windows not over: when the host leaves the region ({@code move_from}),
   * the window, and where it stands ({@code ahead}, {@code lead}: a host on the region
   * leaves now, {@code under_way}).
   */
  private static ArrayNode maintenance(StatusSnapshot s, Instant now) {
    ArrayNode windows = JSON.createArrayNode();
    var plan = s.state().maintenance();
    for (var w : plan.ahead(now)) {
      ObjectNode o = windows.addObject();
      o.put("id", w.id());
      o.put("region", w.region());
      o.put("start", w.start().toString());
      o.put("end", w.end().toString());
      o.put("move_from", plan.moveFrom(w).toString());
      o.put("reason", w.reason());
      o.put("state", w.covers(now) ? "under_way"
          : now.isBefore(plan.moveFrom(w)) ? "ahead" : "lead");
    }
    return windows;
  }

  private static ObjectNode hold(StatusSnapshot s) {
    Hold h = s.state().hold();
    if (h == null) {
      return null;
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("by", h.by().user());
    o.put("reason", h.reason());
    o.put("since", text(s.holdSince()));
    o.put("until", text(s.holdUntil()));
    return o;
  }

  private static ObjectNode outage(StatusSnapshot s, Instant now) {
    PolicyState state = s.state();
    if (!(state.phase() instanceof State.Down d)) {
      return null;
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("since", text(s.phaseSince()));
    o.put("seconds", Math.max(0, Duration.between(s.phaseSince(), now).toMillis()) / 1000.0);
    o.put("threshold_s", s.threshold().toSeconds());
    o.put("failures", d.failures());
    o.put("reason", d.reason());
    return o;
  }

  /**
   * The failover refused now, whose {@code failover_blocked} is logged only when it starts
   * and when its reason changes: for want of a healthy region (since when), or by the budget
   * (until a slot frees); null when none is.
   */
  /**
   * The last traffic report (issue 27), null when none: its region and counts, and the
   * active region's window, volume and unreachable share, as the rules see it.
   */
  private static ObjectNode traffic(StatusSnapshot s) {
    StatusSnapshot.TrafficView t = s.traffic();
    if (t == null) {
      return null;
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("last_report_at", text(t.at()));
    o.put("region", t.region());
    o.put("source", t.source());
    o.put("ok", t.ok());
    o.put("unreachable", t.unreachable());
    o.put("ignored", t.ignored());
    o.put("window_volume", t.volume());
    o.put("window_share", t.share());
    return o;
  }

  private static ObjectNode blocked(StatusSnapshot s) {
    boolean budget = s.state().blocked() instanceof Blocked.ByBudget && s.budgetFreeAt() != null;
    if (s.blockedSince() == null && !budget) {
      return null;
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("reason", s.state().blocked().reason());
    o.put("since", text(s.blockedSince()));
    o.put("free_at", budget ? text(s.budgetFreeAt()) : null);
    if (s.state().blocked() instanceof Blocked.HookVeto veto) {
      // Why the hook said no is the operator's first question.
      o.put("transition", veto.kind().label());
      o.put("hook", veto.hook());
      o.put("output", veto.output());
      o.put("timed_out", veto.timedOut());
    }
    return o;
  }

  private static ObjectNode region(RegionStatus r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", r.name());
    o.put("host", r.host());
    o.put("active", r.active());
    ObjectNode direct = o.putObject("direct");
    direct.put("health", r.health().name().toLowerCase(Locale.ROOT));
    direct.put("at", text(r.directAt()));
    if (r.directAt() != null) {
      direct.put("latency_ms", r.directLatencyMs());
    }
    direct.put("reason", r.directReason());
    direct.put("up_since", text(r.upSince()));
    if (r.chainAt() == null) {
      o.putNull("chain");
    } else {
      ObjectNode chain = o.putObject("chain");
      chain.put("healthy", r.chainOk());
      chain.put("at", text(r.chainAt()));
      chain.put("latency_ms", r.chainLatencyMs());
      chain.put("reason", r.chainReason());
    }
    return o;
  }

  private static ArrayNode components(StatusSnapshot s) {
    ArrayNode a = JSON.createArrayNode();
    s.components().forEach(c -> a.add(component(c)));
    return a;
  }

  private static ArrayNode transitions(StatusSnapshot s) {
    ArrayNode a = JSON.createArrayNode();
    for (TransitionRecord t : s.transitions()) {
      ObjectNode o = a.addObject();
      o.put("at", t.at().toString());
      o.put("kind", t.kind());
      o.put("from", t.from());
      o.put("to", t.to());
      o.put("reason", t.reason());
      o.put("by", t.by());
      o.put("outcome", t.outcome());
      if (t.tookMs() >= 0) {
        o.put("took_ms", t.tookMs());
      }
    }
    return a;
  }

  private static String hostname() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname"))
          .strip();
    } catch (java.io.IOException | RuntimeException e) {
      String env = System.getenv("HOSTNAME");
      return env == null ? "unknown" : env;
    }
  }

  private static String text(Instant i) {
    return i == null ? null : i.toString();
  }
}
