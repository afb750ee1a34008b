package org.regionfailover.status.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.regionfailover.status.Component;
import org.regionfailover.status.StatusDocument;
import org.regionfailover.status.StatusSnapshot;
import org.regionfailover.status.metrics.PrometheusMetrics;

/**
 * The read-only answers: {@code /health} (one word, or JSON with {@code ?verbose}),
 * {@code /health/<component>}, {@code /health/set/<set>[/<component>]}, {@code /status},
 * {@code /history} and {@code /metrics}, and a set's own {@code /set/<set>/status} and
 * {@code /set/<set>/history}. Each reads the last snapshot a loop published; none waits on a
 * loop. Before a set's loop has started (supervisord awaited) it has no snapshot: its
 * health answers FAIL, its documents 503.
 *
 * <p>With one set the answers are those of a process that knows no sets, with the set also
 * listed under {@code "sets"} in {@code /status}. With several, {@code /health} is OK only
 * when every set is, and {@code /status} lists the sets under the process's own fields.
 */
public final class ReadEndpoints {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String SET_PATH = "set/";

  private final ServedSets sets;
  private final PrometheusMetrics metrics;
  private final Clock clock;
  /** Whether commands can be posted now (a reload may change it); null: not said. */
  private volatile BooleanSupplier manualControl;

  /** Answers for {@code sets}, with the process's {@code metrics}. */
  public ReadEndpoints(ServedSets sets, PrometheusMetrics metrics, Clock clock) {
    this.sets = Objects.requireNonNull(sets, "sets");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Answers for one set, {@value PrometheusMetrics#DEFAULT_SET}, read from {@code snapshot}. */
  public ReadEndpoints(Supplier<StatusSnapshot> snapshot, PrometheusMetrics metrics,
      Clock clock) {
    this(new ServedSets(List.of(new ServedSet(PrometheusMetrics.DEFAULT_SET, snapshot, List.of(),
        c -> CompletableFuture.failedFuture(new IllegalStateException("reads only"))))),
        metrics, clock);
  }

  /** The one set's {@link ServedSet#withFleet}; with several sets, each set's own. */
  public ReadEndpoints withFleet(Supplier<JsonNode> fleet) {
    only().withFleet(fleet);
    return this;
  }

  /** The one set's {@link ServedSet#whenIdle}; with several sets, each set's own. */
  public ReadEndpoints whenIdle(Supplier<String> reason) {
    only().whenIdle(reason);
    return this;
  }

  /**
   * Says in each {@code /status} document whether commands can be posted
   * ({@code "manual_control"}), read at each request: the page shows its buttons disabled,
   * with the reason, rather than offer a command the server refuses.
   */
  public ReadEndpoints withManualControl(BooleanSupplier on) {
    this.manualControl = Objects.requireNonNull(on, "on");
    return this;
  }

  private ServedSet only() {
    return sets.single().orElseThrow(() -> new IllegalStateException("sets " + sets.names()
        + ": give each ServedSet its own coordination"));
  }

  /** Adds the read routes to {@code routes}. */
  public Routes.Builder register(Routes.Builder routes) {
    return routes.get("/health", this::health)
        .getPrefix("/health/", this::component)
        .getPrefix("/health/" + SET_PATH, this::setHealth)
        .get("/status", this::status)
        .get("/history", this::history)
        .getPrefix("/" + SET_PATH, this::setDocument)
        .get("/metrics", this::metrics);
  }

  Reply health(Request r) {
    Optional<ServedSet> single = sets.single();
    if (single.isPresent()) {
      return health(single.get(), r);
    }
    List<ServedSet> all = sets.all();
    List<String> failing = new ArrayList<>();
    ArrayNode each = JSON.arrayNode();
    for (ServedSet set : all) {
      StatusSnapshot s = set.snapshot();
      ObjectNode o = each.addObject().put("set", set.name());
      if (s == null) {
        failing.add(set.name() + " (" + set.idle() + ")");
        o.put("status", "FAIL").put("reason", set.idle());
        continue;
      }
      o.setAll(StatusDocument.health(s));
      s.components().stream().filter(c -> c.aggregated() && !c.ok())
          .forEach(c -> failing.add(set.name() + "/" + c.name()));
    }
    boolean ok = !all.isEmpty() && failing.isEmpty();
    if (verbose(r)) {
      ObjectNode o = JSON.objectNode().put("status", ok ? "OK" : "FAIL");
      o.set("sets", each);
      return Reply.json(ok ? 200 : 503, o);
    }
    return Reply.text(ok ? 200 : 503, ok ? "OK" : "FAIL: " + (all.isEmpty() ? "no set runs"
        : String.join(", ", failing)));
  }

  Reply component(Request r) {
    Optional<ServedSet> single = sets.single();
    if (single.isEmpty()) {
      return Reply.text(404, "this process runs several failover sets (" + sets.names()
          + "): ask /health/set/NAME/" + r.rest() + " for one of them");
    }
    return component(single.get(), r, r.rest());
  }

  /** {@code /health/set/NAME} and {@code /health/set/NAME/COMPONENT}. */
  Reply setHealth(Request r) {
    return sets.ofSet(r, (set, component) -> component.isEmpty() ? health(set, r)
        : component(set, r, component));
  }


  Reply status(Request r) {
    Optional<ServedSet> single = sets.single();
    if (single.isPresent()) {
      ServedSet set = single.get();
      StatusSnapshot s = set.snapshot();
      if (s == null) {
        return starting(set);
      }
      ObjectNode doc = document(set, s, clock.instant());
      // Today's fields at the top, for the readers that know no sets, and the set in "sets".
      ObjectNode top = doc.deepCopy();
      top.remove("set");
      top.putArray("sets").add(doc);
      return Reply.json(200, top);
    }
    Instant now = clock.instant();
    List<ServedSet> all = sets.all();
    ArrayNode each = JSON.arrayNode();
    String version = null;
    boolean healthy = !all.isEmpty();
    for (ServedSet set : all) {
      StatusSnapshot s = set.snapshot();
      if (s == null) {
        healthy = false;
        each.addObject().put("set", set.name()).put("healthy", false).put("state", "starting")
            .put("state_reason", set.idle());
        continue;
      }
      version = version == null ? s.version() : version;
      healthy &= s.healthy();
      each.add(document(set, s, now));
    }
    if (version == null) {
      return Reply.text(503, all.isEmpty() ? "starting: no set runs yet"
          : "starting: no set's loop has started yet (sets " + sets.names() + ")");
    }
    ObjectNode top = StatusDocument.process(version, now);
    top.put("healthy", healthy);
    sayManualControl(top);
    top.set("sets", each);
    return Reply.json(200, top);
  }

  Reply history(Request r) {
    Optional<String> asked = r.query("set");
    if (asked.isPresent()) {
      return sets.find(asked.get()).map(this::history).orElseGet(() -> sets.unknown(asked.get()));
    }
    return sets.single().map(this::history).orElseGet(() -> Reply.text(400,
        "this process runs several failover sets (" + sets.names() + "): ask"
            + " /history?set=NAME or /set/NAME/history"));
  }

  /** {@code /set/NAME/status} and {@code /set/NAME/history}: one set's own documents. */
  Reply setDocument(Request r) {
    return sets.ofSet(r, (set, what) -> document(set, what, r));
  }

  private Reply document(ServedSet set, String what, Request r) {
    return switch (what) {
      case "status" -> {
        StatusSnapshot s = set.snapshot();
        yield s == null ? starting(set)
            : Reply.json(200, document(set, s, clock.instant()));
      }
      case "history" -> history(set);
      default -> Reply.text(404, "no such page: " + r.path() + "; a set has /set/" + set.name()
          + "/status and /set/" + set.name() + "/history (and POSTs its commands there)");
    };
  }

  Reply metrics(Request r) {
    PrometheusMetrics.Scrape scrape = metrics.scrape(r.header("Accept").orElse(null));
    return Reply.bytes(200, scrape.contentType(), scrape.body());
  }

  private Reply health(ServedSet set, Request r) {
    StatusSnapshot s = set.snapshot();
    boolean ok = s != null && s.healthy();
    if (verbose(r)) {
      return s == null ? starting(set)
          : Reply.json(ok ? 200 : 503, StatusDocument.health(s));
    }
    return Reply.text(ok ? 200 : 503, ok ? "OK" : "FAIL");
  }

  private Reply component(ServedSet set, Request r, String name) {
    StatusSnapshot s = set.snapshot();
    if (s == null) {
      return verbose(r) || name.equalsIgnoreCase("role") ? starting(set)
          : Reply.text(503, "FAIL");
    }
    // Any case, as /region/NAME does: /health/region/eu is region/EU.
    Optional<Component> c = s.component(name);
    if (c.isEmpty()) {
      return Reply.text(404, "no component " + name + "; there are: " + String.join(", ",
          s.components().stream().map(Component::name).toList()));
    }
    int code = c.get().ok() ? 200 : 503;
    return verbose(r) ? Reply.json(code, StatusDocument.component(c.get()))
        : Reply.text(code, c.get().word());
  }

  private Reply history(ServedSet set) {
    StatusSnapshot s = set.snapshot();
    if (s == null) {
      return starting(set);
    }
    ObjectNode doc = JSON.objectNode().put("set", set.name());
    doc.setAll(StatusDocument.history(s, clock.instant()));
    return Reply.json(200, doc);
  }

  /** Today's {@code /status} document of {@code set}, its name first, its fleet last. */
  private ObjectNode document(ServedSet set, StatusSnapshot s, Instant now) {
    ObjectNode doc = JSON.objectNode().put("set", set.name());
    doc.setAll(StatusDocument.status(s, now));
    sayManualControl(doc);
    JsonNode fleet = set.fleet();
    if (fleet != null) {
      doc.set("fleet", fleet);
    }
    return doc;
  }

  private void sayManualControl(ObjectNode doc) {
    BooleanSupplier on = manualControl;
    if (on != null) {
      doc.put("manual_control", on.getAsBoolean());
    }
  }

  private static boolean verbose(Request r) {
    return r.hasQuery("verbose") || r.accepts("application/json");
  }

  private Reply starting(ServedSet set) {
    String why = set.idle();
    return Reply.text(503, sets.single().isPresent() ? why : "set " + set.name() + ": " + why);
  }
}
