package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.regionfailover.Closing;
import org.regionfailover.FakeCloud;
import org.regionfailover.JsonLines;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.TrafficClient;
import org.regionfailover.replay.EventLineWriter;
import org.regionfailover.report.Event;

/**
 * Issue 27's acceptance end to end: the command line in-process, a real supervisord whose
 * stack's {@code application} is a real client ({@link TrafficClient}: 20 calls a second to
 * the application path of the region its env file names), and a loopback fake of the chain
 * (FakeCloud) whose cloudlookup, direct and application paths fail independently.
 *
 * <ul>
 *   <li>A selective outage (cloudlookup 200, the calls to EU answered 503 or reset): a
 *       failover with reason traffic, through the {@code endpoint} source and through the
 *       {@code log:app:application} source; a replay of the first run's log decides the
 *       same.
 *   <li>A broken lookup (cloudlookup 500) with the calls going through: no failover over
 *       three thresholds, one {@code failover_blocked traffic_healthy}; with
 *       {@code --traffic-veto off} a failover as before.
 *   <li>The calls failing because the host's own tunnel hangs, EU up on its direct probe: a
 *       repair in place, no failover.
 * </ul>
 *
 * <p>Times asserted are the loop's own ({@code decided_at}, the slots of its inputs): from
 * the first traffic input that saw the calls failing to the failover, the threshold and at
 * most two intervals. The time from the test's break of the application path is printed.
 */
class Issue27TrafficEndToEndIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration INTERVAL = Duration.ofMillis(500);
  private static final Duration THRESHOLD = Duration.ofSeconds(3);
  /** A report every half interval: as a client reporting each second is to a 10 s interval. */
  private static final Duration REPORT_EVERY = INTERVAL.dividedBy(2);

  @TempDir Path dir;
  private FakeCloud cloud;
  private SupervisordFixture supervisord;
  private CliRun run;
  /** The status server's port, fixed before the run: the client is configured with it. */
  private int statusPort;

  @BeforeEach
  void cloud() throws IOException {
    cloud = closing.add(new FakeCloud());
    statusPort = SupervisordFixture.freeLoopbackPort();
  }

  @RegisterExtension final Closing closing = new Closing();

  private static void progress(String what) {
    System.out.println("[Issue27TrafficEndToEndIT] " + what);
  }

  private String evidenceUrl() {
    return "http://127.0.0.1:" + statusPort + "/evidence";
  }

  /** supervisord with {@code client} as the stack's application, started. */
  private void stack(TrafficClient client) throws Exception {
    stack(supervisord(client));
  }

  private SupervisordFixture supervisord(TrafficClient client) throws IOException {
    return SupervisordFixture.unixSocket(dir).quickStart().stopWaitSecs(1).trafficClient(client);
  }

  private void stack(SupervisordFixture fixture) throws Exception {
    supervisord = closing.add(fixture);
    supervisord.start();
    Files.deleteIfExists(supervisord.envFile());
  }

  /** The loop on EU with the test's timings and {@code source}; waits for the stack. */
  private void startLoop(String source, Map<String, String> more) {
    Map<String, String> env = cloud.loopEnv(supervisord, FakeCloud.EU_NAM_APAC);
    env.put("FAILOVER_INTERVAL", INTERVAL.toMillis() + "ms");
    env.put("FAILOVER_PROBE_TIMEOUT", "400ms");
    env.put("FAILOVER_REGION_INTERVAL", INTERVAL.toMillis() + "ms");
    env.put("FAILOVER_OUTAGE_THRESHOLD", THRESHOLD.toMillis() + "ms");
    env.put("FAILOVER_LISTEN", "127.0.0.1:" + statusPort);
    env.put("FAILOVER_TRAFFIC_SOURCE", source);
    env.putAll(more);
    run = closing.add(new CliRun(env, List.of("--region", "EU")));
    Awaitility.await().atMost(WAIT).until(() -> !run.events.named("stack_started").isEmpty()
        || !run.isRunning());
    assertThat(run.isRunning()).as(run.stderr()).isTrue();
    progress("stack started on EU; traffic source " + source);
  }

  /**
   * Waits until the calls through EU have been reported for a whole threshold after the
   * stack's start, all going through, so that what follows is judged on full windows of the
   * client's own reports.
   */
  private void awaitHealthyWindow() {
    Instant started = decided(run.events.named("stack_started").get(0));
    Awaitility.await().atMost(WAIT).until(() -> run.events.named("traffic").stream()
        .anyMatch(t -> healthyThroughEu(t) && !decided(t).isBefore(started.plus(THRESHOLD))));
    progress("calls through EU reported going through for a threshold");
  }

  private static boolean healthyThroughEu(Event t) {
    return "EU".equals(t.fields().get("region")) && count(t, "unreachable") == 0
        && count(t, "window_volume") >= 20;
  }

  /** EU's own host fails its direct probe; waits until the loop has seen it. */
  private void euDownDirectly() {
    cloud.direct("EU", 503);
    Awaitility.await().atMost(WAIT).until(() -> run.events.named("region_probe").stream()
        .anyMatch(p -> "EU".equals(p.fields().get("region"))
            && Boolean.FALSE.equals(p.fields().get("healthy"))));
  }

  private static Instant decided(Event e) {
    return Instant.parse(String.valueOf(e.fields().get(Event.DECIDED_AT)));
  }

  private static long count(Event e, String field) {
    return ((Number) e.fields().get(field)).longValue();
  }

  /** A traffic report through EU the loop took, with at least half its calls unreachable. */
  private static boolean failingThroughEu(Event t) {
    long unreachable = count(t, "unreachable");
    return "EU".equals(t.fields().get("region")) && t.fields().get("ignored") == null
        && unreachable > 0 && unreachable * 2 >= unreachable + count(t, "ok");
  }

  /**
   * The first of the reports through EU that failed without a break up to {@code until}:
   * where the loop's failing clock started (a report with calls below the ratio stops it;
   * one without calls leaves it, as in the rule).
   */
  private static Event failingSince(List<Event> traffic, Instant until) {
    Event since = null;
    for (Event t : traffic) {
      if (decided(t).isAfter(until)) {
        break;
      }
      if (!"EU".equals(t.fields().get("region")) || t.fields().get("ignored") != null
          || count(t, "ok") + count(t, "unreachable") == 0) {
        continue;
      }
      since = !failingThroughEu(t) ? null : since == null ? t : since;
    }
    assertThat(since).as("reports through EU failing up to %s", until).isNotNull();
    return since;
  }

  /**
   * With EU down on its direct probe (its API tier is down) and cloudlookup answering,
   * breaks the application path with {@code breakIt}, waits for the failover and checks it
   * is the traffic's, a threshold and at most two intervals after the first failing report
   * the loop took (its own times); prints the times.
   */
  private void selectiveOutage(Runnable breakIt, String what) {
    awaitHealthyWindow();
    euDownDirectly();
    Instant broken = Instant.now();
    breakIt.run();
    progress("application path of EU broken (" + what + "), cloudlookup still 200");
    Awaitility.await().atMost(WAIT).until(() -> !run.events.named("failover").isEmpty());

    Event failover = run.events.named("failover").get(0);
    assertThat(String.valueOf(failover.fields().get("reason"))).startsWith("traffic:");
    assertThat(failover.fields()).containsEntry("from_region", "EU")
        .containsEntry("to_region", "NAM");
    Event firstFailing = failingSince(run.events.named("traffic"), decided(failover));
    assertThat(run.events.named("probe")).filteredOn(p -> !decided(p).isBefore(
            decided(firstFailing)) && !decided(p).isAfter(decided(failover)))
        .as("cloudlookup of EU answering while the calls failed").isNotEmpty()
        .allSatisfy(p -> assertThat(p.fields().get("healthy")).isEqualTo(true));
    Duration seen = Duration.between(decided(firstFailing), decided(failover));
    Duration fromBreak = Duration.between(broken, decided(failover));
    Duration bound = THRESHOLD.plus(INTERVAL.multipliedBy(2));
    progress(String.format(java.util.Locale.ROOT, "%s: failover %d ms after the loop's first"
            + " failing report, %d ms after the break (threshold + 2 intervals = %d ms);"
            + " outage_s %s; reason %s", what, seen.toMillis(), fromBreak.toMillis(),
        bound.toMillis(), failover.fields().get("outage_s"), failover.fields().get("reason")));
    assertThat(seen).as("loop time from the first failing report to the failover")
        .isBetween(THRESHOLD, bound);
    // The outage as the rule measured it: from its oldest report in the window.
    double outage = ((Number) failover.fields().get("outage_s")).doubleValue();
    assertThat(outage).isBetween((THRESHOLD.toMillis() - INTERVAL.toMillis()) / 1000.0,
        THRESHOLD.toMillis() / 1000.0);
    // Reported with the failover, not before: a threshold of failing calls decides both.
    assertThat(run.events.named("outage_started"))
        .filteredOn(o -> !decided(o).isBefore(decided(firstFailing))).singleElement()
        .satisfies(o -> assertThat(decided(o)).isEqualTo(decided(failover)));
    Awaitility.await().atMost(WAIT)
        .until(() -> !run.events.named("failover_completed").isEmpty());
    Awaitility.await().atMost(WAIT).until(() -> run.events.named("traffic").stream()
        .anyMatch(t -> "NAM".equals(t.fields().get("region"))));
    assertThat(supervisord.lastStarts(1)).as("the client restarted on NAM's env file")
        .containsExactly("NAM application");
    progress("moved to NAM; the client now calls NAM");
  }

  @Test
  void selectiveOutage_callsAnswered503_reportedToTheEndpoint_failsOverForTraffic_asReplayed()
      throws Exception {
    Path token = Files.writeString(dir.resolve("evidence.token"), "t0ken-of-the-apps\n");
    stack(TrafficClient.calling(cloud.appUrl()).reportingTo(evidenceUrl())
        .withTokenFile(token).reportEvery(REPORT_EVERY));
    startLoop("endpoint", Map.of("FAILOVER_EVIDENCE_TOKEN_FILE", token.toString()));

    selectiveOutage(() -> cloud.app("EU", 503), "calls answered 503, endpoint source");
    assertThat(run.stop()).isZero();
    assertThat(run.events.named("traffic")).allSatisfy(t ->
        assertThat(t.fields().get("source")).isEqualTo("endpoint"));

    replayGivesTheLoopsDecisions();
  }

  @Test
  void selectiveOutage_callsReset_loggedToStderr_readThroughSupervisord_failsOverForTraffic()
      throws Exception {
    stack(TrafficClient.calling(cloud.appUrl()).loggingCalls());
    // The sample env file's example patterns, written for such a client's lines.
    startLoop("log:app:application", Map.of(
        "FAILOVER_TRAFFIC_ERROR_PATTERN", samplePattern("FAILOVER_TRAFFIC_ERROR_PATTERN"),
        "FAILOVER_TRAFFIC_OK_PATTERN", samplePattern("FAILOVER_TRAFFIC_OK_PATTERN")));

    selectiveOutage(() -> cloud.appReset("EU"), "connections reset, log:app:application source");
    assertThat(run.events.named("traffic")).allSatisfy(t ->
        assertThat(t.fields().get("source")).isEqualTo("log:app:application"));
    assertThat(run.events.named("traffic")).filteredOn(Issue27TrafficEndToEndIT::failingThroughEu)
        .allSatisfy(t -> assertThat(t.fields().get("errors")).isEqualTo(Map.of("log",
            t.fields().get("unreachable"))));
  }

  /**
   * A broken lookup: cloudlookup answers 500 (and EU's direct probe fails, so that without
   * the veto the host fails over rather than repairing in place, as today) while the
   * client's calls through EU go through.
   */
  @ParameterizedTest
  @ValueSource(strings = {"on", "off"})
  void brokenLookup_callsGoingThrough_vetoKeepsTheHost_offFailsOver(String veto)
      throws Exception {
    stack(TrafficClient.calling(cloud.appUrl()).reportingTo(evidenceUrl())
        .reportEvery(REPORT_EVERY));
    startLoop("endpoint", Map.of("FAILOVER_TRAFFIC_VETO", veto));
    awaitHealthyWindow();
    euDownDirectly();
    cloud.chain("EU", 500);
    progress("cloudlookup of EU answers 500, the calls go through; veto " + veto);

    Awaitility.await().atMost(WAIT).until(() -> {
      if (!run.events.named("failover").isEmpty()) {
        return true;
      }
      // Three thresholds of the loop's own time since the outage began.
      List<Event> outage = run.events.named("outage_started");
      List<Event> probes = run.events.named("probe");
      return !outage.isEmpty() && decided(probes.get(probes.size() - 1))
          .isAfter(decided(outage.get(0)).plus(THRESHOLD.multipliedBy(3)));
    });

    if (veto.equals("on")) {
      assertThat(run.events.named("failover")).as("vetoed over 3 thresholds").isEmpty();
      assertThat(run.events.named("failover_blocked")).singleElement().satisfies(b ->
          assertThat(b.fields().get("reason")).isEqualTo("traffic_healthy"));
      assertThat(Files.readString(supervisord.envFile())).contains("EXT_REGION=EU");
      assertThat(run.events.named("traffic")).filteredOn(t -> t.fields().get("ignored") == null)
          .allSatisfy(t -> assertThat(t.fields().get("region")).isEqualTo("EU"));
      progress("veto on: 0 failovers over 3 thresholds, one failover_blocked traffic_healthy");
    } else {
      Event failover = run.events.named("failover").get(0);
      assertThat(failover.fields()).containsEntry("to_region", "NAM");
      assertThat(String.valueOf(failover.fields().get("reason"))).doesNotStartWith("traffic");
      assertThat(run.events.named("failover_blocked")).isEmpty();
      Duration took = Duration.between(decided(run.events.named("outage_started").get(0)),
          decided(failover));
      progress("veto off: failover " + took.toMillis() + " ms after outage_started ("
          + failover.fields().get("reason") + ")");
    }
  }

  /**
   * The host's own tunnel hangs (SIGSTOP: still RUNNING to supervisord, the stack watch sees
   * nothing): the client's calls through it time out, while cloudlookup answers and EU
   * answers its direct probe. The traffic outage repairs the stack in place, the restarted
   * tunnel carries the calls again, and the host never leaves EU.
   */
  @Test
  void callsFailing_localTunnelHung_euUpDirectly_repairsInPlace_noFailover() throws Exception {
    int tunnelPort = SupervisordFixture.freeLoopbackPort();
    Path docroot = Files.createDirectories(dir.resolve("docroot").resolve("app"));
    for (String region : List.of("EU", "NAM", "APAC")) {
      Files.writeString(docroot.resolve(region), "calls through the tunnel\n");
    }
    stack(supervisord(TrafficClient.calling("http://127.0.0.1:" + tunnelPort + "/app")
        .reportingTo(evidenceUrl()).reportEvery(REPORT_EVERY))
        .tunnel(docroot.getParent(), tunnelPort));
    startLoop("endpoint", Map.of());
    awaitHealthyWindow();
    int tunnel = supervisord.client().getProcessInfo("app:stunnel").pid();
    Instant broken = Instant.now();
    signal("STOP", tunnel);
    progress("tunnel (pid " + tunnel + ") stopped: the client's calls time out");

    Awaitility.await().atMost(WAIT).until(() -> !run.events.named("repair_completed").isEmpty()
        || !run.events.named("failover").isEmpty());
    Event repair = run.events.named("repair").get(0);
    assertThat(String.valueOf(repair.fields().get("reason"))).startsWith("traffic:");
    Instant repaired = decided(run.events.named("repair_completed").get(0));
    // Two thresholds of calls through the restarted tunnel, as the loop took them.
    Awaitility.await().atMost(WAIT).until(() -> run.events.named("traffic").stream()
        .anyMatch(t -> healthyThroughEu(t)
            && decided(t).isAfter(repaired.plus(THRESHOLD.multipliedBy(2)))));
    Duration seen = Duration.between(decided(failingSince(run.events.named("traffic"),
        decided(repair))), decided(repair));
    progress("repair decided " + seen.toMillis() + " ms after the loop's first failing report, "
        + Duration.between(broken, decided(repair)).toMillis() + " ms after the tunnel hung"
        + " (threshold + 2 intervals = " + THRESHOLD.plus(INTERVAL.multipliedBy(2)).toMillis()
        + " ms; " + repair.fields().get("reason") + ")");
    assertThat(seen).isBetween(THRESHOLD, THRESHOLD.plus(INTERVAL.multipliedBy(2)));

    assertThat(run.events.named("repair")).hasSize(1);
    assertThat(run.events.named("failover")).isEmpty();
    assertThat(Files.readString(supervisord.envFile())).contains("EXT_REGION=EU");
    assertThat(run.events.named("traffic")).filteredOn(Issue27TrafficEndToEndIT::failingThroughEu)
        .allSatisfy(t -> assertThat(((Map<?, ?>) t.fields().get("errors")).keySet().stream()
            .map(String::valueOf).toList()).containsOnly("timeout"));
  }

  /** The example value of {@code variable} in the sample env file (a commented line). */
  /**
   * The sample env file's example value of {@code variable}, uncommented and read as the
   * product reads a settings file (its quotes removed).
   */
  private String samplePattern(String variable) throws IOException {
    String prefix = "#" + variable + "=";
    String line = Files.readAllLines(Path.of("env", "region-failover.env")).stream()
        .filter(l -> l.startsWith(prefix)).findFirst().orElseThrow().substring(1);
    Path one = Files.writeString(dir.resolve("sample-" + variable + ".env"), line + "\n");
    return org.regionfailover.config.SettingsFile.read(one, "sample").entry(variable)
        .orElseThrow().value();
  }

  private static void signal(String signal, int pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Integer.toString(pid)).inheritIO()
        .start();
    assertThat(kill.waitFor()).isZero();
  }

  /**
   * The run's events as the loop's stdout has them (JSON lines, from the startup line),
   * replayed with no settings: every decision the loop logged comes out of the replay, field
   * by field, at the time the loop decided it, and nothing else does.
   */
  private void replayGivesTheLoopsDecisions() throws IOException {
    Path log = dir.resolve("loop.log");
    long wallOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EventLineWriter lines = new EventLineWriter(out, "region-failover", false);
    for (Event e : run.events.events()) {
      lines.write(e, run.emittedAt.get(e) + wallOffset);
    }
    Files.write(log, out.toByteArray());

    ReplayCommandTest.Run replay = ReplayCommandTest.run(Map.of(), new byte[0], "replay",
        log.toString());
    assertThat(replay.exit()).as(replay.stderr()).isZero();
    progress("replay: " + replay.stderr().strip());
    Predicate<JsonNode> decision = e -> e.has(Event.DECIDED_AT)
        && !List.of("probe", "region_probe", "traffic").contains(e.path("event").asText());
    List<JsonNode> loop = JsonLines.of(Files.readString(log)).stream().filter(decision)
        .map(JsonLines::withoutLineTime).toList();
    List<JsonNode> replayed = JsonLines.of(replay.stdout()).stream()
        .map(JsonLines::withoutLineTime).toList();
    assertThat(loop).filteredOn(e -> e.path("event").asText().equals("failover"))
        .singleElement().satisfies(f ->
            assertThat(f.path("reason").asText()).startsWith("traffic:"));
    assertThat(replayed).as("replay's decisions; the loop's:%n%s", loop).isEqualTo(loop);
  }
}
