package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.DecideHarness.FAIL;
import static org.regionfailover.DecideHarness.OK;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.regionfailover.DecideHarness;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.Regions;
import org.regionfailover.config.ListenAddress;
import org.regionfailover.config.Region;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.status.StatusRecorder;
import org.regionfailover.status.http.FailureLimiter;
import org.regionfailover.status.http.PostGuard;
import org.regionfailover.status.http.ReadEndpoints;
import org.regionfailover.status.http.ServedSet;
import org.regionfailover.status.http.ServedSets;
import org.regionfailover.status.http.StatusServer;
import org.regionfailover.status.metrics.PrometheusMetrics;

/**
 * {@code region-failover status} against the real status server of one set and of two: a
 * table per set under its name when there are several, exit 1 when any set is unhealthy,
 * the document as it is with {@code --json}.
 */
class StatusCommandSetsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final ServedSets sets = new ServedSets();
  private final PrometheusMetrics metrics = new PrometheusMetrics("1.2.3", null);
  private StatusServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Set {@code name} on {@code order}, its loop stepped by hand: one healthy probe. */
  private DecideHarness set(String name, List<Region> order) {
    DecideHarness run = new DecideHarness(new FailoverPolicy(order, Duration.ofSeconds(10),
        Duration.ofMinutes(4)), 0, 0);
    StatusRecorder recorder = new StatusRecorder(run.policy(), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Clock.fixed(T0, ZoneOffset.UTC), run::now, "1.2.3", false,
        () -> new StatusRecorder.Check(true, "off (no API key)"));
    run.onStep(recorder);
    recorder.begin(run.state());
    run.chain(0, OK);
    sets.add(new ServedSet(name, recorder::snapshot, order,
        c -> CompletableFuture.failedFuture(new IllegalStateException("reads only"))));
    return run;
  }

  private URI serve() throws Exception {
    RecordingEventLog log = new RecordingEventLog();
    server = StatusServer.start(new ListenAddress("127.0.0.1", 0), null,
        StatusListener.routes(sets, new ReadEndpoints(sets, metrics, Clock.systemUTC()),
            routes -> { }),
        new PostGuard(null, new FailureLimiter(System::nanoTime), log), log);
    return server.url();
  }

  private int run(boolean json) throws Exception {
    return new StatusCommand(serve(), null, json, new PrintStream(out, true,
        StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).call();
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void oneSet_oneTableWithoutHeading_exit0() throws Exception {
    set("default", Regions.ORDER);

    assertThat(run(false)).as(err.toString(StandardCharsets.UTF_8)).isZero();

    assertThat(out()).contains("region-failover 1.2.3: on EU (cloud.eu.ext.com), WATCHING")
        .contains("REGION").doesNotContain("=== set");
  }

  @Test
  void twoSets_aTablePerSetUnderItsName_exit1WhenOneIsDown() throws Exception {
    set("a", Regions.ORDER);
    DecideHarness b = set("b", Regions.EU_NAM);
    b.chain(10, FAIL);

    assertThat(run(false)).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(1);

    String text = out();
    assertThat(text).contains("region-failover 1.2.3: 2 failover sets, NOT all healthy");
    int a = text.indexOf("=== set a ===");
    int bAt = text.indexOf("=== set b ===");
    assertThat(a).isNotNegative().isLessThan(bAt);
    assertThat(text.substring(a, bAt)).contains("WATCHING", ", healthy", "APAC");
    assertThat(text.substring(bAt)).contains("DOWN", "NOT healthy").doesNotContain("APAC");
  }

  @Test
  void twoSetsHealthy_exit0_jsonIsTheDocumentAsItIs() throws Exception {
    set("a", Regions.ORDER);
    set("b", Regions.EU_NAM);

    assertThat(run(true)).isZero();

    var doc = new ObjectMapper().readTree(out());
    assertThat(doc.path("sets").findValuesAsText("set")).containsExactly("a", "b");
    assertThat(doc.path("healthy").asBoolean()).isTrue();
  }
}
