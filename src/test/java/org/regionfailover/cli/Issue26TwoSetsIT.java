package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.FakeCloud;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.report.Event;

/**
 * Issue 26: two failover sets in one process on one real supervisord (groups {@code a:} and
 * {@code b:}), each with its own fake cloud. Outages injected on {@code b} alone move
 * {@code b} only: only {@code b}'s programs restart, {@code a} probes on schedule and never
 * moves; {@code b} detects each outage as fast as a process running {@code b} alone.
 */
class Issue26TwoSetsIT {
  static final int OUTAGES = 100;
  static final Duration INTERVAL = Duration.ofMillis(250);

  @TempDir Path dir;
  SupervisordFixture supervisord;
  FakeCloud cloudA;
  FakeCloud cloudB;
  CliRun run;

  @AfterEach
  void stopAll() throws Exception {
    if (run != null) {
      run.close();
    }
    if (supervisord != null) {
      supervisord.close();
    }
    if (cloudA != null) {
      cloudA.close();
    }
    if (cloudB != null) {
      cloudB.close();
    }
  }

  private Path mainFile(boolean withSets) throws Exception {
    Path conf = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(conf.resolve("region-failover.env"), String.join("\n",
        "# process-wide",
        "SUPERVISOR_SERVER_URL=" + supervisord.url(),
        "SUPERVISOR_TIMEOUT=20s",
        "FAILOVER_LISTEN=127.0.0.1:0",
        "# defaults of every set",
        "EXT_CLOUD_FAILOVER_LIST=" + FakeCloud.EU_NAM_APAC,
        "FAILOVER_REGION=EU",
        "CONNECTION_KEEPALIVE_ORG_ID=org",
        "FAILOVER_INTERVAL=" + INTERVAL.toMillis() + "ms",
        "FAILOVER_OUTAGE_THRESHOLD=500ms",
        "FAILOVER_PROBE_TIMEOUT=200ms",
        "EXT_CLOUD_REGION_PROBE=none",
        "FAILOVER_FAILBACK=off",
        "FAILOVER_MAX_TRANSITIONS=off",
        withSets ? "" : set("b", cloudB), ""));
    if (withSets) {
      Path sets = Files.createDirectories(conf.resolve("sets.d"));
      Files.writeString(sets.resolve("a.env"), set("a", cloudA));
      Files.writeString(sets.resolve("b.env"), set("b", cloudB));
    }
    return conf.resolve("region-failover.env");
  }

  private String set(String name, FakeCloud cloud) {
    return String.join("\n",
        "EXT_CLOUD_LOOKUP_URL=" + cloud.chainUrl(),
        "EXT_CLOUD_ENV_FILE=" + dir.resolve(name).resolve("ext_cloud.env"),
        "FAILOVER_PROGRAMS=" + SupervisordFixture.programsOf(name), "");
  }

  @Test
  void outagesOnOneSet_moveThatSetAlone_andTheOtherProbesOnSchedule() throws Exception {
    supervisord = SupervisordFixture.sets(dir, "a", "b");
    supervisord.start();
    cloudA = new FakeCloud();
    cloudB = new FakeCloud();
    run = new CliRun(Map.of(), List.of("--config", mainFile(true).toString()));
    awaitStarted("a");
    awaitStarted("b");
    List<String> aStarts = supervisord.records("a");
    List<Long> twoSets = injectOutages("b", OUTAGES);

    assertThat(supervisord.records("a")).as("a's programs were never restarted")
        .isEqualTo(aStarts).hasSize(2);
    assertThat(supervisord.records("b")).as("b's programs restarted once per outage")
        .hasSize(2 + 2 * OUTAGES);
    assertThat(of("a", "failover")).as("a never moved").isEmpty();
    assertThat(Files.readString(dir.resolve("a").resolve("ext_cloud.env"))).contains("EU");
    assertThat(largestProbeGap("a")).as("a's probes stay on schedule")
        .isLessThanOrEqualTo(INTERVAL.toNanos() * 11 / 10);
    assertThat(run.events.events().stream().filter(e -> e.fields().get("set") == null)
        .map(Event::name).distinct().toList())
        .as("an event without a set is one of the process's own")
        .isSubsetOf("startup", "insecure_setting", "supervisord_ready", "supervisord_unavailable", "startup_failed",
            "listening", "reload_applied", "reload_unchanged", "reload_rejected", "reload_partial",
            "shutdown");
    assertThat(of("a", "probe")).isNotEmpty();
    assertThat(run.stop()).isZero();

    // The same outages on b run alone: its detection is no slower in company.
    supervisord.close();
    supervisord = SupervisordFixture.sets(dir, "a", "b");
    supervisord.start();
    run = new CliRun(Map.of(), List.of("--config", mainFile(false).toString()));
    awaitStarted(null);
    List<Long> alone = injectOutages(null, 10);
    assertThat(Math.abs(median(twoSets) - median(alone))).as("median detection of b with a"
            + " beside it (" + median(twoSets) / 1e6 + " ms) and alone (" + median(alone) / 1e6
            + " ms) within one interval")
        .isLessThanOrEqualTo(INTERVAL.toNanos());
  }

  private void awaitStarted(String set) {
    Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(of(set, "stack_started")).as(() -> "set " + set + " started; events "
            + run.events.names() + "; stderr " + run.stderr()).isNotEmpty());
  }

  /**
   * Takes down the active region of {@code set} (null: the only set) {@code n} times, each
   * time once the previous failover completed; the detection time of each, from the
   * outage's start to the decision to fail over.
   */
  private List<Long> injectOutages(String set, int n) throws Exception {
    List<Long> detection = new ArrayList<>();
    String active = "EU";
    for (int i = 0; i < n; i++) {
      String down = active;
      for (String r : List.of("EU", "NAM", "APAC")) {
        cloudB.chain(r, r.equals(down) ? 503 : 200);
      }
      Instant began = Instant.now();
      int done = i + 1;
      Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(of(set, "failover_completed")).as(() -> "failover " + done
              + "; stderr " + run.stderr()).hasSize(done));
      Event failover = of(set, "failover").get(i);
      active = String.valueOf(failover.fields().get("to_region"));
      detection.add(Duration.between(began,
          Instant.parse(String.valueOf(failover.fields().get(Event.DECIDED_AT)))).toNanos());
    }
    return detection;
  }

  private List<Event> of(String set, String name) {
    return run.events.named(name).stream()
        .filter(e -> set == null || set.equals(e.fields().get("set"))).toList();
  }

  /** The largest distance between two consecutive probes of {@code set}, by decided_at. */
  private long largestProbeGap(String set) {
    List<Instant> at = of(set, "probe").stream()
        .map(e -> Instant.parse(String.valueOf(e.fields().get(Event.DECIDED_AT)))).toList();
    long largest = 0;
    for (int i = 1; i < at.size(); i++) {
      largest = Math.max(largest, Duration.between(at.get(i - 1), at.get(i)).toNanos());
    }
    return largest;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
