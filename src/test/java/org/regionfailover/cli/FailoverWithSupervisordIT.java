package org.regionfailover.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.report.Event;

/**
 * The whole supervisor, as started from the command line, against WireMock for the
 * cloud and a real supervisord for the stack: a failover restarts the programs onto the
 * new region in order, and every fault is an event while the loop runs on.
 */
class FailoverWithSupervisordIT {
  private static final String LIST = "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com,APAC=cloud.apac.ext.com";
  private static final Duration WAIT = Duration.ofSeconds(40);

  @TempDir Path dir;
  WireMockServer cloud;
  SupervisordFixture supervisord;
  CliRun run;

  @BeforeEach
  void startCloud() {
    cloud = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    cloud.start();
    cloud.stubFor(get(urlPathMatching("/v2/org/cloudlookup/.*")).willReturn(aResponse().withStatus(200)));
  }

  @AfterEach
  void stopAll() throws Exception {
    if (run != null) {
      run.close();
    }
    if (supervisord != null) {
      supervisord.close();
    }
    cloud.stop();
  }

  private void regionDown(String region) {
    cloud.stubFor(get(urlPathMatching("/v2/org/cloudlookup/" + region)).willReturn(aResponse().withStatus(503)));
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("EXT_CLOUD_FAILOVER_LIST", LIST);
    env.put("EXT_CLOUD_LOOKUP_URL", "http://127.0.0.1:" + cloud.port() + "/v2/{orgId}/cloudlookup/{region}");
    env.put("CONNECTION_KEEPALIVE_ORG_ID", "org");
    env.put("FAILOVER_INTERVAL", "200ms");
    env.put("FAILOVER_OUTAGE_THRESHOLD", "1s");
    env.put("FAILOVER_PROBE_TIMEOUT", "150ms");
    env.put("EXT_CLOUD_ENV_FILE", supervisord.envFile().toString());
    env.put("SUPERVISOR_SERVER_URL", supervisord.url());
    env.put("SUPERVISOR_TIMEOUT", "20s");
    return env;
  }

  private CliRun start(Map<String, String> env, String... args) throws Exception {
    Files.deleteIfExists(supervisord.envFile()); // a host that was never switched
    run = new CliRun(env, List.of(args));
    return run;
  }

  private void await(String what, java.util.concurrent.Callable<Boolean> condition) {
    Awaitility.await().atMost(WAIT).ignoreExceptions()
        .untilAsserted(() -> assertThat(condition.call()).as(() -> what + "; events: "
            + run.events.names() + "; stderr: " + run.stderr()).isTrue());
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

  private List<Object> field(String event, String key) {
    return run.events.named(event).stream().map(e -> e.fields().get(key)).toList();
  }

  @Test
  void regionDown_envFileRewrittenAndStackRestartedOntoNextRegionInOrder() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    regionDown("EU");

    start(env(), "--region", "EU");
    await("failover completed", () -> !run.events.named("failover_completed").isEmpty());

    assertThat(Files.readString(supervisord.envFile()))
        .isEqualTo("export EXT_CLOUD=cloud.nam.ext.com\nexport EXT_REGION=NAM\n");
    assertThat(starts()).containsExactly(
        "EU stunnel", "EU cloud-client", "EU application",      // start-up: stack started on EU
        "NAM stunnel", "NAM cloud-client", "NAM application");  // failover: restarted onto NAM
    assertThat(field("program_stopped", "program"))
        .containsExactly("app:application", "app:cloud-client", "app:stunnel");
    List<String> names = run.events.names();
    assertThat(names.indexOf("failover")).isLessThan(names.indexOf("restart_completed"));
    assertThat(names.indexOf("restart_completed")).isLessThan(names.indexOf("failover_completed"));
    assertThat(run.events.named("restart_completed").get(0).fields()).containsKey("duration_ms");

    // The loop goes on, now probing NAM, which answers.
    int probes = run.events.named("probe").size();
    await("healthy NAM probes", () -> run.events.named("probe").stream().skip(probes)
        .anyMatch(e -> e.fields().get("region").equals("NAM") && (boolean) e.fields().get("healthy")));
    assertThat(run.stop()).isZero();
    assertThat(run.events.names()).last().isEqualTo("shutdown");
  }

  @Test
  void supervisorRestarted_doesNotBounceARunningStack() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    start(env(), "--region", "EU");
    await("stack started", () -> !run.events.named("stack_started").isEmpty());
    assertThat(run.stop()).isZero();

    run = new CliRun(env(), List.of("--region", "EU")); // same env file: it names EU now
    await("stack started again", () -> !run.events.named("stack_started").isEmpty());

    assertThat(starts()).as("the second start found the programs running and left them")
        .containsExactly("EU stunnel", "EU cloud-client", "EU application");
    assertThat(run.events.named("region_adopted").get(0).message()).contains("keeping it");
  }

  @Test
  void failover_leavesNoSwitchMarkerBehind() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    regionDown("EU");
    start(env(), "--region", "EU");
    await("failover completed", () -> !run.events.named("failover_completed").isEmpty());
    assertThat(run.events.named("action_completed")).extracting(e -> e.fields().get("action"))
        .containsSubsequence("switch_begin", "env_file", "restart", "switch_end");
    assertThat(dir.resolve(".ext_cloud.env.switching")).doesNotExist();
  }

  /**
   * Regression: a SIGTERM mid-restart left stunnel and cloud-client on EU while the env
   * file named NAM; the next start only started what was not running, so the stack stayed
   * on EU while the supervisor believed it was on NAM.
   */
  @Test
  void switchInterruptedBeforeItsRestart_nextStartRestartsTheWholeStack() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    supervisord.writeRegion("EU");
    var client = supervisord.client();
    for (String p : List.of("app:stunnel", "app:cloud-client", "app:application")) {
      client.startProcess(p, true);
    }
    // What an interrupted switch to NAM leaves: the marker, the new env file, the old stack.
    Files.writeString(dir.resolve(".ext_cloud.env.switching"), "NAM\n");
    supervisord.writeRegion("NAM");

    run = new CliRun(env(), List.of("--region", "EU"));
    await("stack started", () -> !run.events.named("stack_started").isEmpty());

    assertThat(run.events.names()).contains("switch_resumed", "restart_completed");
    assertThat(starts()).containsExactly(
        "EU stunnel", "EU cloud-client", "EU application",
        "NAM stunnel", "NAM cloud-client", "NAM application");
    assertThat(dir.resolve(".ext_cloud.env.switching")).doesNotExist();
  }

  @Test
  void programExitsAtOnce_restartFailedIsReportedAndTheLoopKeepsProbing() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir).failing("application");
    supervisord.start();
    Map<String, String> env = env();
    // Long enough that the chain retries instead of giving the switch up (see below).
    env.put("FAILOVER_OUTAGE_THRESHOLD", "1m");

    start(env, "--region", "EU");
    // restart_failed (the restart's own report) comes first, then the chain's action_failed.
    await("restart_failed and action_failed", () -> !run.events.named("restart_failed").isEmpty()
        && !run.events.named("action_failed").isEmpty());

    Event failed = run.events.named("restart_failed").get(0);
    assertThat(failed.fields()).containsEntry("program", "app:application");
    assertThat(String.valueOf(failed.fields().get("spawnerr")) + failed.fields().get("fault"))
        .isNotBlank();
    assertThat(run.events.named("action_failed").get(0).fields()).containsKey("retry_in_ms");
    int probes = run.events.named("probe").size();
    await("probes after the failure", () -> run.events.named("probe").size() >= probes + 3);
    assertThat(run.isRunning()).isTrue();
    assertThat(run.events.names()).doesNotContain("stack_started", "failover_completed");
  }

  @Test
  void stackNeverStarts_switchIsAbandonedAfterTheThresholdAndReported() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir).failing("application");
    supervisord.start();

    start(env(), "--region", "EU"); // threshold 1 s: the first failed attempt already took longer

    await("stack_start_failed", () -> !run.events.named("stack_start_failed").isEmpty());
    assertThat(run.events.names()).containsSubsequence("restart_failed", "switch_abandoned",
        "stack_start_failed");
    assertThat(run.events.named("stack_start_failed").get(0).fields()).containsEntry("region", "EU");
    assertThat(run.isRunning()).isTrue();
  }

  @Test
  void supervisordStoppedDuringTheRun_stackRepairedOnceItIsBack_thenFailoverOnFreshEvidence()
      throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    Map<String, String> env = env();
    env.put("FAILOVER_OUTAGE_THRESHOLD", "5s");
    start(env, "--region", "EU");
    await("stack started", () -> !run.events.named("stack_started").isEmpty());

    supervisord.crash();
    regionDown("EU");
    // A dead supervisord means the stack is not up (issue 9): failed probes are not evidence
    // and nothing can be restarted, so the stack is repaired, with backoff, until it is back.
    await("the repair failing while supervisord is down", () -> run.events.named("action_failed")
        .stream().anyMatch(e -> "repair_stack".equals(e.fields().get("action"))));
    assertThat(run.events.named("stack_down")).isNotEmpty();
    assertThat(run.events.names()).doesNotContain("failover");
    assertThat(run.isRunning()).isTrue();

    supervisord.start();
    await("failover completed", () -> !run.events.named("failover_completed").isEmpty());
    List<String> names = run.events.names();
    assertThat(names.indexOf("stack_repaired")).as("repaired on EU before the failover")
        .isNotNegative().isLessThan(names.indexOf("failover"));
    List<String> starts = starts();
    assertThat(starts.subList(starts.size() - 3, starts.size()))
        .containsExactly("NAM stunnel", "NAM cloud-client", "NAM application");
  }

  @Test
  void wrongPassword_exits2AndThePasswordAppearsNowhere() throws Exception {
    String right = "Right-Pa55-71";
    String wrong = "Wrong-Pa55-93";
    supervisord = SupervisordFixture.inetHttp(dir, right);
    supervisord.start();
    Map<String, String> env = env();
    env.put("SUPERVISOR_USERNAME", SupervisordFixture.USER);
    env.put("SUPERVISOR_PASSWORD", wrong);

    start(env, "--region", "EU");

    assertThat(run.awaitExit(WAIT)).isEqualTo(2);
    assertThat(run.stderr()).contains("SUPERVISOR_PASSWORD").doesNotContain(wrong).doesNotContain(right);
    assertThat(run.events.events().toString()).doesNotContain(wrong).contains("****");
  }

  @Test
  void unknownProgram_exits2NamingIt() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();

    start(env(), "--region", "EU", "--programs", "app:stunnel,app:tunnel-typo");

    assertThat(run.awaitExit(WAIT)).isEqualTo(2);
    assertThat(run.stderr()).contains("--programs (FAILOVER_PROGRAMS)", "app:tunnel-typo");
    assertThat(supervisord.records()).as("nothing was started").isEmpty();
  }
}
