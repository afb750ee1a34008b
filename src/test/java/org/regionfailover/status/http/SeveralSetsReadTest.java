package org.regionfailover.status.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.DecideHarness.FAIL;
import static org.regionfailover.DecideHarness.OK;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.regionfailover.DecideHarness;
import org.regionfailover.Regions;
import org.regionfailover.config.Region;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.status.StatusRecorder;
import org.regionfailover.status.metrics.PrometheusMetrics;
import org.regionfailover.status.metrics.StrictParser;

/**
 * The read answers of a server with one set and with two, over real HTTP: each set a real
 * policy stepped in zero wall time, its snapshots recorded by a real {@link StatusRecorder}
 * and its series in the process's one {@link PrometheusMetrics}.
 */
class SeveralSetsReadTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrometheusMetrics metrics = new PrometheusMetrics("1.2.3", null);
  private final List<Served> servers = new ArrayList<>();

  /** One set: a policy on {@code order}, stepped by hand, recorded and measured. */
  private final class Set {
    final DecideHarness run;
    final StatusRecorder recorder;
    final ServedSet served;

    Set(String name, List<Region> order) {
      run = new DecideHarness(new FailoverPolicy(order, Duration.ofSeconds(10),
          Duration.ofMinutes(4)), 0, 0);
      recorder = new StatusRecorder(run.policy(), Duration.ofSeconds(10),
          Duration.ofSeconds(30), Clock.fixed(T0, ZoneOffset.UTC), run::now, "1.2.3", false,
          () -> new StatusRecorder.Check(true, "off (no API key)"));
      var series = metrics.addSet(name, run.policy(), () -> recorder.snapshot() == null ? null
          : recorder.snapshot().state(), run::now);
      run.onStep((input, at, t) -> {
        recorder.stepped(input, at, t);
        series.stepped(input, at, t);
      });
      served = new ServedSet(name, recorder::snapshot, order,
          c -> CompletableFuture.failedFuture(new IllegalStateException("reads only")));
    }

    Set started() {
      recorder.begin(run.state());
      run.chain(0, OK);
      return this;
    }
  }

  private Served serve(Set... sets) throws Exception {
    return serve(null, sets);
  }

  /** {@code manualControl}: what the documents say of it (null: not said). */
  private Served serve(java.util.function.BooleanSupplier manualControl, Set... sets)
      throws Exception {
    ServedSets all = new ServedSets();
    for (Set s : sets) {
      all.add(s.served);
    }
    ReadEndpoints reads = new ReadEndpoints(all, metrics, Clock.fixed(T0.plusSeconds(5),
        ZoneOffset.UTC));
    if (manualControl != null) {
      reads.withManualControl(manualControl);
    }
    Routes routes = reads.register(Routes.builder()).build();
    Served served = new Served(routes);
    servers.add(served);
    return served;
  }

  @AfterEach
  void stop() {
    servers.forEach(Served::close);
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void oneSet_statusKeepsTodaysFieldsAtTheTop_andListsTheSet() throws Exception {
    Served one = serve(new Set("default", Regions.ORDER).started());

    JsonNode doc = json(one.get("/status"));

    assertThat(doc.path("active_region").asText()).isEqualTo("EU");
    assertThat(doc.path("version").asText()).isEqualTo("1.2.3");
    assertThat(doc.path("healthy").asBoolean()).isTrue();
    assertThat(doc.has("set")).as("the top is today's document").isFalse();
    assertThat(doc.path("sets")).hasSize(1);
    JsonNode set = doc.path("sets").get(0);
    assertThat(set.path("set").asText()).isEqualTo("default");
    assertThat(set.path("active_region").asText()).isEqualTo("EU");
    assertThat(set.path("order")).isEqualTo(doc.path("order"));
    assertThat(one.get("/health").body()).isEqualTo("OK");
    assertThat(one.get("/health/active").body()).isEqualTo("OK");
    assertThat(one.get("/health/set/default").body()).isEqualTo("OK");
    assertThat(json(one.get("/history")).path("set").asText()).isEqualTo("default");
  }

  @Test
  void manualControl_saidInEachStatusDocument_asItIsAtEachRequest() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean on = new java.util.concurrent.atomic.AtomicBoolean();
    Served one = serve(on::get, new Set("default", Regions.ORDER).started());
    Served two = serve(on::get, new Set("blue", Regions.ORDER).started(),
        new Set("green", Regions.ORDER).started());
    Served untold = serve(new Set("solo", Regions.ORDER).started());

    assertThat(json(one.get("/status")).path("manual_control").asBoolean(true)).isFalse();
    on.set(true);
    JsonNode doc = json(one.get("/status"));
    assertThat(doc.path("manual_control").asBoolean()).isTrue();
    assertThat(doc.path("sets").get(0).path("manual_control").asBoolean()).isTrue();
    JsonNode sets = json(two.get("/status"));
    assertThat(sets.path("manual_control").asBoolean()).isTrue();
    assertThat(sets.path("sets")).allSatisfy(set ->
        assertThat(set.path("manual_control").asBoolean()).isTrue());
    assertThat(json(two.get("/set/blue/status")).path("manual_control").asBoolean()).isTrue();
    assertThat(json(untold.get("/status")).has("manual_control")).isFalse();
  }

  @Test
  void oneSet_beforeItsLoopStarts_documentsAre503_healthFails() throws Exception {
    Served one = serve(new Set("default", Regions.ORDER));

    assertThat(one.get("/status").statusCode()).isEqualTo(503);
    assertThat(one.get("/status").body()).startsWith("starting");
    assertThat(one.get("/health").body()).isEqualTo("FAIL");
  }

  @Test
  void twoSets_statusHasTheProcessAtTheTopAndEachSetByName() throws Exception {
    Set b = new Set("b", Regions.EU_NAM).started();
    Set a = new Set("a", Regions.ORDER).started();
    Served served = serve(b, a);

    JsonNode doc = json(served.get("/status"));

    assertThat(doc.path("version").asText()).isEqualTo("1.2.3");
    assertThat(doc.path("hostname").isTextual()).isTrue();
    assertThat(doc.path("generated_at").asText()).isEqualTo(T0.plusSeconds(5).toString());
    assertThat(doc.path("healthy").asBoolean()).isTrue();
    assertThat(doc.has("active_region")).as("no set's fields at the top").isFalse();
    assertThat(doc.path("sets").findValuesAsText("set")).containsExactly("a", "b");
    assertThat(doc.path("sets").get(0).path("order")).hasSize(3);
    assertThat(doc.path("sets").get(1).path("order")).hasSize(2);
    assertThat(doc.path("sets").get(1).path("active_region").asText()).isEqualTo("EU");
    JsonNode own = json(served.get("/set/b/status"));
    assertThat(own.path("set").asText()).isEqualTo("b");
    assertThat(own.path("order")).hasSize(2);
    assertThat(served.get("/set/zz/status").statusCode()).isEqualTo(404);
    assertThat(served.get("/set/zz/status").body()).contains("'zz'", "a, b");
  }

  @Test
  void twoSets_oneDown_healthFailsNamingItsParts_eachSetAnswersAlone() throws Exception {
    Set a = new Set("a", Regions.ORDER).started();
    Set b = new Set("b", Regions.EU_NAM).started();
    Served served = serve(a, b);
    assertThat(served.get("/health").statusCode()).isEqualTo(200);

    b.run.chain(10, FAIL);

    HttpResponse<String> health = served.get("/health");
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(health.body()).isEqualTo("FAIL: b/active");
    JsonNode verbose = json(served.get("/health?verbose"));
    assertThat(verbose.path("status").asText()).isEqualTo("FAIL");
    assertThat(verbose.path("sets").findValuesAsText("set")).containsExactly("a", "b");
    assertThat(verbose.path("sets").get(0).path("status").asText()).isEqualTo("OK");
    assertThat(verbose.path("sets").get(1).path("status").asText()).isEqualTo("FAIL");
    assertThat(served.get("/health/set/a").statusCode()).isEqualTo(200);
    assertThat(served.get("/health/set/b").statusCode()).isEqualTo(503);
    assertThat(served.get("/health/set/b/active").body()).isEqualTo("FAIL");
    assertThat(served.get("/health/set/b/region/nam").body()).isEqualTo("OK");
    assertThat(served.get("/health/set/a/active").statusCode()).isEqualTo(200);
    assertThat(served.get("/health/set/b/region/APAC").statusCode()).isEqualTo(404);
    HttpResponse<String> unknown = served.get("/health/set/c");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("'c'", "a, b");
    HttpResponse<String> ambiguous = served.get("/health/active");
    assertThat(ambiguous.statusCode()).isEqualTo(404);
    assertThat(ambiguous.body()).contains("a, b", "/health/set/NAME/active");
    JsonNode status = json(served.get("/status"));
    assertThat(status.path("healthy").asBoolean()).isFalse();
    assertThat(status.path("sets").get(1).path("state").asText()).isEqualTo("down");
  }

  @Test
  void twoSets_oneNotStartedYet_listedAsStarting_healthFails() throws Exception {
    Set a = new Set("a", Regions.ORDER).started();
    Set b = new Set("b", Regions.EU_NAM);
    b.served.whenIdle(() -> "standing by: host-2 holds the lease");
    Served served = serve(a, b);

    JsonNode doc = json(served.get("/status"));
    assertThat(doc.path("healthy").asBoolean()).isFalse();
    assertThat(doc.path("sets").get(1).path("state").asText()).isEqualTo("starting");
    assertThat(doc.path("sets").get(1).path("state_reason").asText())
        .isEqualTo("standing by: host-2 holds the lease");
    assertThat(served.get("/health").body())
        .isEqualTo("FAIL: b (standing by: host-2 holds the lease)");
    assertThat(served.get("/set/b/status").statusCode()).isEqualTo(503);
    assertThat(served.get("/set/b/status").body()).startsWith("set b: standing by");
  }

  @Test
  void twoSets_historyPerSet_withoutASetIs400NamingThem() throws Exception {
    Set a = new Set("a", Regions.ORDER).started();
    Set b = new Set("b", Regions.EU_NAM).started();
    Served served = serve(a, b);

    JsonNode ofB = json(served.get("/history?set=b"));
    assertThat(ofB.path("set").asText()).isEqualTo("b");
    assertThat(ofB.path("regions").findValuesAsText("name")).containsExactly("EU", "NAM");
    assertThat(json(served.get("/set/a/history")).path("regions")).hasSize(3);
    HttpResponse<String> none = served.get("/history");
    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(none.body()).contains("a, b", "/history?set=NAME", "/set/NAME/history");
    assertThat(served.get("/history?set=x").statusCode()).isEqualTo(404);
  }

  @Test
  void twoSets_metricsServedOnce_eachSetLabelled_parsedStrictly() throws Exception {
    Set a = new Set("a", Regions.ORDER).started();
    Set b = new Set("b", Regions.EU_NAM).started();
    b.run.chain(10, FAIL);
    Served served = serve(a, b);

    HttpResponse<String> r = served.get("/metrics");

    StrictParser.Parsed p = StrictParser.text(r.body().getBytes(
        java.nio.charset.StandardCharsets.UTF_8));
    assertThat(p.value("region_failover_phase", "set", "a", "phase", "watching")).isEqualTo(1);
    assertThat(p.value("region_failover_phase", "set", "b", "phase", "down")).isEqualTo(1);
    assertThat(p.value("region_failover_probes_total", "set", "b", "region", "EU", "kind",
        "chain", "result", "failed")).isEqualTo(1);
    assertThat(p.value("region_failover_probes_total", "set", "a", "region", "EU", "kind",
        "chain", "result", "failed")).isZero();
    assertThat(p.value("region_failover_build_info", "version", "1.2.3")).isEqualTo(1);
  }
}
