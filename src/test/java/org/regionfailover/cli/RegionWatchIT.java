package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.FakeCloud;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.report.Event;

/**
 * Issue 10, steps 1-3, end to end: the command line in-process against a real supervisord,
 * one WireMock standing in both for the local chain ({@code /v2/org/cloudlookup/REGION})
 * and for each region's own host ({@code /direct/REGION}, the direct probe as an http
 * template). Pre-flight never fails over onto a region down on its direct probe, a host
 * with every other region down stays put, a broken chain to a region that answers directly
 * is repaired in place, and a host where direct access is impossible behaves as before.
 */
class RegionWatchIT {
  private static final String LIST = "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com,APAC=cloud.apac.ext.com";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  FakeCloud cloud;
  SupervisordFixture supervisord;
  CliRun run;
  final List<Socket> silent = new CopyOnWriteArrayList<>();
  ServerSocket silentServer;

  @BeforeEach
  void startCloud() {
    cloud = new FakeCloud();
  }

  @AfterEach
  void stopAll() throws Exception {
    if (run != null) {
      run.close();
    }
    if (supervisord != null) {
      supervisord.close();
    }
    cloud.close();
    if (silentServer != null) {
      silentServer.close();
    }
    for (Socket s : silent) {
      s.close();
    }
  }

  private Map<String, String> env() {
    Map<String, String> env = cloud.loopEnv(supervisord, LIST);
    // A direct probe is stale (unknown) after two of these: 800 ms leaves room on a busy machine.
    env.put("FAILOVER_REGION_INTERVAL", "400ms");
    return env;
  }

  private void start(Map<String, String> env) throws Exception {
    Files.deleteIfExists(supervisord.envFile()); // a host that was never switched
    run = new CliRun(env, List.of("--region", "EU"));
  }

  private void await(String what, Callable<Boolean> condition) {
    Awaitility.await().atMost(WAIT).ignoreExceptions()
        .untilAsserted(() -> assertThat(condition.call()).as(() -> what + "; events: "
            + run.events.names() + "; stderr: " + run.stderr()).isTrue());
  }

  private boolean seen(String event) {
    return !run.events.named(event).isEmpty();
  }

  /** "REGION program" per start, from the programs' own record of what they sourced. */
  private List<String> starts() throws Exception {
    List<String> out = new ArrayList<>();
    for (String r : supervisord.records()) {
      String[] f = r.split(" ");
      out.add(f[0] + " " + f[2]);
    }
    return out;
  }

  private Object inode() throws Exception {
    return Files.getAttribute(supervisord.envFile(), "unix:ino");
  }

  private static String envFor(String region) {
    return "export EXT_CLOUD=cloud." + region.toLowerCase() + ".ext.com\nexport EXT_REGION=" + region + "\n";
  }

  /** Events named {@code name} after the first {@code skip}, e.g. since a change of stubs. */
  private List<Event> since(int skip, String name) {
    List<Event> all = run.events.events();
    return all.subList(Math.min(skip, all.size()), all.size()).stream()
        .filter(e -> e.name().equals(name)).toList();
  }

  /** Waits until every region has been probed directly with the given outcome since event {@code mark}. */
  private void awaitDirect(int mark, boolean healthy, String... regions) {
    for (String region : regions) {
      await("a direct probe of " + region + " with healthy=" + healthy, () -> since(mark, "region_probe")
          .stream().anyMatch(e -> region.equals(e.fields().get("region"))
              && Boolean.valueOf(healthy).equals(e.fields().get("healthy"))));
    }
  }

  @Test
  void preflight_nextRegionDownOnItsDirectProbe_failsOverStraightToTheOneAfter() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    cloud.chain("EU", 503);
    cloud.direct("EU", 503); // down on its own too: no repair in place
    cloud.direct("NAM", 503);

    start(env());
    await("failover completed", () -> seen("failover_completed"));

    Event failover = run.events.named("failover").get(0);
    assertThat(failover.fields()).containsEntry("from_region", "EU").containsEntry("to_region", "APAC");
    assertThat(failover.fields().get("skipped")).as("the failover event names NAM as skipped: %s",
            failover.fields())
        .isInstanceOf(List.class);
    assertThat((List<?>) failover.fields().get("skipped")).singleElement().asString().startsWith("NAM: ");
    assertThat(Files.readString(supervisord.envFile())).isEqualTo(envFor("APAC"));
    assertThat(starts()).containsExactly(
        "EU stunnel", "EU cloud-client", "EU application",        // start-up
        "APAC stunnel", "APAC cloud-client", "APAC application"); // straight to APAC, never NAM
    assertThat(run.events.names()).doesNotContain("repair", "failover_blocked");
    assertThat(run.events.named("failover")).hasSize(1);
  }

  @Test
  void everyOtherRegionDown_noEnvWriteNoRestart_failoverBlocked_thenFailsOverOnceNamAnswers()
      throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    start(env()); // every direct probe answers at first: direct access works on this host
    await("stack started", () -> seen("stack_started"));
    awaitDirect(0, true, "EU", "NAM", "APAC");

    int mark = run.events.events().size();
    cloud.direct("EU", 503);
    cloud.direct("NAM", 503);
    cloud.direct("APAC", 503);
    awaitDirect(mark, false, "EU", "NAM", "APAC"); // every region now known down
    String content = Files.readString(supervisord.envFile());
    Object inode = inode();
    List<String> startsBefore = starts();
    cloud.chain("EU", 503);

    await("failover_blocked", () -> !run.events.named("failover_blocked").isEmpty());
    Event blocked = run.events.named("failover_blocked").get(0);
    assertThat(blocked.fields()).containsEntry("reason", "no_healthy_target").containsEntry("region", "EU");
    assertThat((List<?>) blocked.fields().get("skipped")).hasSize(2)
        .anySatisfy(s -> assertThat(s).asString().startsWith("NAM: down"))
        .anySatisfy(s -> assertThat(s).asString().startsWith("APAC: down"));
    assertThat(Files.readString(supervisord.envFile())).isEqualTo(content).isEqualTo(envFor("EU"));
    assertThat(inode()).as("the env file was not replaced").isEqualTo(inode);
    assertThat(starts()).as("no program restarted").isEqualTo(startsBefore);
    assertThat(run.events.names()).doesNotContain("failover", "repair", "program_stopped");

    cloud.direct("NAM", 200);
    await("failover completed", () -> seen("failover_completed"));

    // Decided again at every probe, reported once (issue 25, defect 7).
    assertThat(run.events.named("failover_blocked")).hasSize(1);
    Event failover = run.events.named("failover").get(0);
    assertThat(failover.fields()).containsEntry("from_region", "EU").containsEntry("to_region", "NAM");
    assertThat(Files.readString(supervisord.envFile())).isEqualTo(envFor("NAM"));
    List<String> starts = starts();
    assertThat(starts.subList(starts.size() - 3, starts.size()))
        .containsExactly("NAM stunnel", "NAM cloud-client", "NAM application");
  }

  @Test
  void chainDownRegionUpOnItsOwn_repairInPlace_thenFailoverWhenTheChainStillFails() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    start(env());
    await("stack started", () -> seen("stack_started"));
    awaitDirect(0, true, "EU");
    String content = Files.readString(supervisord.envFile());
    Object inode = inode();
    cloud.chain("EU", 503); // this host's chain breaks; EU itself answers

    await("repair completed", () -> seen("repair_completed"));

    Event repair = run.events.named("repair").get(0);
    assertThat(repair.fields()).containsEntry("region", "EU").containsKeys("outage_s", "reason");
    assertThat(Files.readString(supervisord.envFile())).isEqualTo(content).isEqualTo(envFor("EU"));
    assertThat(inode()).as("the env file was not replaced").isEqualTo(inode);
    assertThat(starts()).containsExactly(
        "EU stunnel", "EU cloud-client", "EU application",  // start-up
        "EU stunnel", "EU cloud-client", "EU application"); // repair: restarted on EU
    assertThat(run.events.named("program_stopped")).extracting(e -> e.fields().get("program"))
        .containsExactly("app:application", "app:cloud-client", "app:stunnel");
    assertThat(run.events.names()).doesNotContain("failover");

    // The chain still fails a threshold later: at most one repair per outage, so fail over.
    await("failover completed", () -> seen("failover_completed"));
    assertThat(run.events.named("repair")).hasSize(1);
    assertThat(run.events.names()).containsSubsequence("repair", "repair_completed",
        "outage_started", "failover", "failover_completed");
    assertThat(run.events.named("failover").get(0).fields()).containsEntry("from_region", "EU")
        .containsEntry("to_region", "NAM");
    assertThat(Files.readString(supervisord.envFile())).isEqualTo(envFor("NAM"));
    List<String> starts = starts();
    assertThat(starts.subList(starts.size() - 3, starts.size()))
        .containsExactly("NAM stunnel", "NAM cloud-client", "NAM application");
  }

  @Test
  void directAccessImpossible_reportedOnce_andFailoverGoesToTheNextRegionInOrder() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    for (String region : List.of("EU", "NAM", "APAC")) {
      cloud.direct(region, 503);
    }
    cloud.chain("EU", 503);

    start(env());
    await("failover completed", () -> seen("failover_completed"));
    // A few more rounds of direct probes, all failing: still reported only once.
    int mark = run.events.events().size();
    await("two more rounds of direct probes", () -> since(mark, "region_probe").size() >= 6);

    assertThat(run.events.named("region_probe_unusable")).hasSize(1);
    assertThat(run.events.named("region_probe_unusable").get(0).fields().get("reasons"))
        .asList().hasSize(3);
    Event failover = run.events.named("failover").get(0);
    assertThat(failover.fields()).containsEntry("to_region", "NAM");
    assertThat(run.events.names()).doesNotContain("repair", "failover_blocked");
    assertThat(Files.readString(supervisord.envFile())).isEqualTo(envFor("NAM"));
    List<String> starts = starts();
    assertThat(starts.subList(starts.size() - 3, starts.size()))
        .containsExactly("NAM stunnel", "NAM cloud-client", "NAM application");
  }

  /**
   * Every region's host accepts the connection and never says a word, so each TLS direct
   * probe hangs until its timeout. The chain probe runs on its own schedule regardless: no
   * late probe, and about as many probes as the interval predicts. (Run one after another
   * on one thread, the three hung probes would make the chain probe 1.2 s late each round.)
   */
  @Test
  void hungDirectProbes_doNotMoveTheChainProbeOffItsSchedule() throws Exception {
    silentServer = new ServerSocket(0); // every local address: 127.0.0.1, .2 and .3 alike
    Thread acceptor = new Thread(() -> {
      while (!silentServer.isClosed()) {
        try {
          silent.add(silentServer.accept()); // accepted, never answered
        } catch (Exception e) {
          return;
        }
      }
    }, "silent-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
    supervisord = SupervisordFixture.unixSocket(dir).quickStart();
    supervisord.start();
    Map<String, String> env = env();
    env.put("EXT_CLOUD_FAILOVER_LIST", "NAM=127.0.0.2,EU=127.0.0.1,APAC=127.0.0.3");
    env.put("EXT_CLOUD_REGION_PROBE", "tls://{host}:" + silentServer.getLocalPort());
    // Longer than usual, so that only a real schedule slip (not a busy machine) makes a
    // probe late: late is 1.5 intervals, 250 ms past its slot.
    env.put("FAILOVER_INTERVAL", "500ms");
    env.put("FAILOVER_PROBE_TIMEOUT", "400ms");
    env.put("FAILOVER_REGION_INTERVAL", "500ms");
    env.put("FAILOVER_OUTAGE_THRESHOLD", "5s");

    Files.deleteIfExists(supervisord.envFile());
    run = new CliRun(env, List.of("--region", "EU"));
    await("stack started", () -> seen("stack_started"));
    int mark = run.events.events().size();
    await("every region's direct probe timed out twice", () -> List.of("EU", "NAM", "APAC").stream()
        .allMatch(r -> since(mark, "region_probe").stream().filter(e -> r.equals(e.fields().get("region"))
            && String.valueOf(e.fields().get("reason")).startsWith("timeout")).count() >= 2));
    // A window of 20 chain probes' worth of time, measured between two probe events.
    int probesAtMark = since(0, "probe").size();
    await("20 chain probes", () -> since(0, "probe").size() > probesAtMark + 20);
    List<Event> probes = since(0, "probe");
    Event first = probes.get(probesAtMark);
    Event last = probes.get(probesAtMark + 20);
    long from = run.emittedAt.get(first);
    long to = run.emittedAt.get(last);
    long windowNanos = to - from;
    // The direct probes that hung to their timeout while the window ran, by region.
    Map<Object, Long> hung = since(mark, "region_probe").stream()
        .filter(e -> String.valueOf(e.fields().get("reason")).startsWith("timeout"))
        .filter(e -> run.emittedAt.get(e) - from >= 0 && to - run.emittedAt.get(e) >= 0)
        .collect(java.util.stream.Collectors.groupingBy(e -> e.fields().get("region"),
            java.util.stream.Collectors.counting()));
    System.out.println("RegionWatchIT: 20 chain probes in " + windowNanos / 1_000_000
        + " ms (20 intervals: 10000 ms); hung direct probes meanwhile: " + hung);

    assertThat(silent).as("the direct probes reached the silent host").isNotEmpty();
    assertThat(hung).as("every region's direct probe hung during the window")
        .containsOnlyKeys("EU", "NAM", "APAC").allSatisfy((region, n) -> assertThat(n).isGreaterThanOrEqualTo(2));
    assertThat(run.events.names()).doesNotContain("probe_late", "loop_error");
    assertThat(probes.subList(probesAtMark, probes.size()))
        .allSatisfy(p -> assertThat(p.fields()).containsEntry("region", "EU"));
    // 20 probes took at most twice the 20 intervals they should: generous on a busy machine,
    // far below what a probe waiting for three hung handshakes per round would take (3.4x).
    assertThat(windowNanos).as("20 chain probes, in ms")
        .isLessThanOrEqualTo(Duration.ofMillis(500).multipliedBy(20 * 2).toNanos());
  }
}
