package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.Closing;
import org.regionfailover.FakeCloud;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.report.Event;

/**
 * Issue 27, the veto end to end: the command line, a real supervisord, cloudlookup answering
 * 500 through the chain (a broken lookup) while the applications report their calls to EU
 * going through. With the veto on, no failover over three thresholds, one
 * {@code failover_blocked} {@code traffic_healthy}; with {@code --traffic-veto off} it fails
 * over as before traffic evidence existed. Times are the loop's own ({@code decided_at}).
 */
class Issue27TrafficVetoIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration THRESHOLD = Duration.ofSeconds(1);

  @TempDir Path dir;
  private FakeCloud cloud;
  private SupervisordFixture supervisord;
  private CliRun run;
  private final HttpClient http = HttpClient.newHttpClient();

  @RegisterExtension final Closing closing = new Closing();

  private int report(URI base) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve("/evidence"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"region\":\"EU\",\"ok\":20,\"errors\":{}}"))
        .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private Instant decided(Event e) {
    return Instant.parse(String.valueOf(e.fields().get(Event.DECIDED_AT)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"on", "off"})
  void brokenLookupHealthyCalls_stayWithTheVeto_failOverWithout(String veto) throws Exception {
    cloud = closing.add(new FakeCloud());
    supervisord = closing.add(SupervisordFixture.unixSocket(dir));
    supervisord.start();
    Files.deleteIfExists(supervisord.envFile());
    Map<String, String> env = cloud.loopEnv(supervisord, FakeCloud.EU_NAM_APAC);
    env.put("FAILOVER_OUTAGE_THRESHOLD", THRESHOLD.toMillis() + "ms");
    env.put("FAILOVER_REGION_INTERVAL", "400ms");
    env.put("FAILOVER_TRAFFIC_SOURCE", "endpoint");
    env.put("FAILOVER_TRAFFIC_VETO", veto);
    run = closing.add(new CliRun(env, List.of("--region", "EU")));
    Awaitility.await().atMost(WAIT).until(() -> !run.events.named("stack_started").isEmpty());
    URI base = URI.create((String) run.events.named("listening").get(0).fields().get("url"));

    // EU's own host fails its direct probe too: as today, a failing chain with EU up
    // directly would be repaired in place rather than failed over.
    cloud.direct("EU", 503);
    cloud.chain("EU", 500);
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
      assertThat(report(base)).isEqualTo(204);
      List<Event> outage = run.events.named("outage_started");
      if (!run.events.named("failover").isEmpty()) {
        return true;
      }
      // Three thresholds of the loop's own time since the outage began.
      List<Event> probes = run.events.named("probe");
      return !outage.isEmpty() && !probes.isEmpty() && decided(probes.get(probes.size() - 1))
          .isAfter(decided(outage.get(0)).plus(THRESHOLD.multipliedBy(3)));
    });

    if (veto.equals("on")) {
      assertThat(run.events.named("failover")).as("vetoed over 3 thresholds").isEmpty();
      assertThat(run.events.named("failover_blocked")).singleElement().satisfies(b ->
          assertThat(b.fields().get("reason")).isEqualTo("traffic_healthy"));
      assertThat(Files.readString(supervisord.envFile())).contains("EXT_REGION=EU");
    } else {
      assertThat(run.events.named("failover")).singleElement().satisfies(f ->
          assertThat(f.fields().get("to_region")).isEqualTo("NAM"));
      assertThat(run.events.named("failover_blocked")).isEmpty();
    }
  }
}
