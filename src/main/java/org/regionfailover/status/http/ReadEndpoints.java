package org.regionfailover.status.http;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.regionfailover.status.Component;
import org.regionfailover.status.StatusDocument;
import org.regionfailover.status.StatusSnapshot;
import org.regionfailover.status.metrics.PrometheusMetrics;

/**
 * The read-only answers: {@code /health} (one word, or JSON with {@code ?verbose}),
 * {@code /health/<component>}, {@code /status}, {@code /history} and {@code /metrics}. Each
 * reads the last snapshot the loop published; none waits on the loop. Before the loop has
 * started (supervisord awaited) there is no snapshot: health answers FAIL, the documents
 * 503.
 */
public final class ReadEndpoints {
  private final Supplier<StatusSnapshot> snapshot;
  private final PrometheusMetrics metrics;
  private final Clock clock;
  private volatile Supplier<com.fasterxml.jackson.databind.JsonNode> fleet;
  private volatile Supplier<String> idle = () -> "starting: the loop has not started yet"
      + " (supervisord or the stack is awaited)";

  public ReadEndpoints(Supplier<StatusSnapshot> snapshot, PrometheusMetrics metrics,
      Clock clock) {
    this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Adds {@code fleet} to {@code /status} as {@code "fleet"}: the hosts of a coordinated
   * cluster, their views, the decision and who applied it. Read when asked, never cached.
   */
  public ReadEndpoints withFleet(Supplier<com.fasterxml.jackson.databind.JsonNode> fleet) {
    this.fleet = fleet;
    return this;
  }

  /**
   * What the answers say while no loop runs ({@code reason}): a standby of an
   * active/standby cluster, whose stack runs on another host.
   */
  public ReadEndpoints whenIdle(Supplier<String> reason) {
    this.idle = Objects.requireNonNull(reason, "reason");
    return this;
  }

  /** Adds the read routes to {@code routes}. */
  public Routes.Builder register(Routes.Builder routes) {
    return routes.get("/health", this::health)
        .getPrefix("/health/", this::component)
        .get("/status", this::status)
        .get("/history", this::history)
        .get("/metrics", this::metrics);
  }

  Reply health(Request r) {
    StatusSnapshot s = snapshot.get();
    boolean ok = s != null && s.healthy();
    if (verbose(r)) {
      return s == null ? starting()
          : Reply.json(ok ? 200 : 503, StatusDocument.health(s));
    }
    return Reply.text(ok ? 200 : 503, ok ? "OK" : "FAIL");
  }

  Reply component(Request r) {
    StatusSnapshot s = snapshot.get();
    if (s == null) {
      return verbose(r) || r.rest().equalsIgnoreCase("role") ? starting()
          : Reply.text(503, "FAIL");
    }
    // Any case, as /region/NAME does: /health/region/eu is region/EU.
    Optional<Component> c = s.component(r.rest());
    if (c.isEmpty()) {
      return Reply.text(404, "no component " + r.rest() + "; there are: " + String.join(", ",
          s.components().stream().map(Component::name).toList()));
    }
    int code = c.get().ok() ? 200 : 503;
    return verbose(r) ? Reply.json(code, StatusDocument.component(c.get()))
        : Reply.text(code, c.get().word());
  }

  Reply status(Request r) {
    StatusSnapshot s = snapshot.get();
    if (s == null) {
      return starting();
    }
    com.fasterxml.jackson.databind.node.ObjectNode doc = StatusDocument.status(s, clock.instant());
    Supplier<com.fasterxml.jackson.databind.JsonNode> f = fleet;
    if (f != null) {
      doc.set("fleet", f.get());
    }
    return Reply.json(200, doc);
  }

  Reply history(Request r) {
    StatusSnapshot s = snapshot.get();
    return s == null ? starting() : Reply.json(200, StatusDocument.history(s, clock.instant()));
  }

  Reply metrics(Request r) {
    PrometheusMetrics.Scrape scrape = metrics.scrape(r.header("Accept").orElse(null));
    return Reply.bytes(200, scrape.contentType(), scrape.body());
  }

  private static boolean verbose(Request r) {
    return r.hasQuery("verbose") || r.accepts("application/json");
  }

  private Reply starting() {
    return Reply.text(503, idle.get());
  }
}
