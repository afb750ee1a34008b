package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.act.envfile.EnvFile;
import org.regionfailover.act.supervisord.ProcessInfo;
import org.regionfailover.config.Region;
import org.regionfailover.report.Event;

/**
 * Issue 25 defect 5: supervisord restarted while a program of the stack was within its
 * startsecs at start-up gave the start up, counted the probes that failed while the stack
 * was starting, and failed the host over at once. A real supervisord whose {@code stunnel}
 * is a local HTTP server, so the probe goes through the stack as in production.
 *
 * <p>The restart is made to land while the program is STARTING (a long startsecs, seen
 * through XML-RPC) and after one threshold of the stack's start, so the failed start comes
 * back too late to be retried within the threshold: the case that moved the host.
 */
class Issue25SupervisordRestartDuringStartIT {
  private static final String LIST =
      "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com,APAC=cloud.apac.ext.com";
  private static final Region EU = new Region("EU", "cloud.eu.ext.com");
  private static final Duration THRESHOLD = Duration.ofSeconds(2);
  private static final Duration INTERVAL = Duration.ofMillis(200);
  /** The program under test stays STARTING well past the threshold. */
  private static final int LONG_STARTSECS = 6;
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;
  SupervisordFixture supervisord;
  CliRun run;

  @AfterEach
  void stopAll() throws Exception {
    if (run != null) {
      run.close();
    }
    if (supervisord != null) {
      supervisord.close();
    }
  }

  @ParameterizedTest(name = "restart while {0} starts")
  @ValueSource(strings = {"stunnel", "cloud-client", "application"})
  void supervisordRestartedWhileAProgramStartsAtStartUp_stackRepairedAndNoFailover(
      String program) throws Exception {
    Path docroot = Files.createDirectories(dir.resolve("www/v2/org/cloudlookup"));
    for (String region : List.of("NAM", "EU", "APAC")) {
      Files.writeString(docroot.resolve(region), "ok");
    }
    int tunnelPort = SupervisordFixture.freeLoopbackPort();
    supervisord = SupervisordFixture.unixSocket(dir).tunnel(dir.resolve("www"), tunnelPort)
        .startSecs(program, LONG_STARTSECS);
    supervisord.start();
    Files.writeString(supervisord.envFile(), EnvFile.render(EU));
    String spec = "app:" + program;

    run = new CliRun(env(tunnelPort), List.of("--region", "EU"));
    await("the stack start to pass the threshold with " + spec + " STARTING").atMost(WAIT)
        .pollInterval(Duration.ofMillis(20)).until(() -> startingPastThreshold(spec));
    supervisord.restart(); // returns once it answers again, every program stopped
    int restarted = run.events.events().size();

    // On the old code the host failed over here; now the stack is started again in place.
    await("the stack to run again, or a failover").atMost(WAIT)
        .until(() -> count("failover") > 0 || healthyProbesSince(restarted) > 0
            && supervisord.client().getAllProcessInfo().stream().allMatch(ProcessInfo::isRunning));
    assertThat(run.events.names()).doesNotContain("failover");
    assertThat(run.events.named("restart_failed")).as("the restart hit %s's start", spec)
        .anyMatch(e -> spec.equals(e.fields().get("program")));

    // More than a threshold of probes once it runs: the outage clock started clean, and
    // nothing seen while the stack was starting moves the host later either.
    int probes = count("probe");
    long enough = THRESHOLD.multipliedBy(2).dividedBy(INTERVAL);
    await("probes once the stack runs").atMost(WAIT)
        .until(() -> count("probe") >= probes + enough);
    assertThat(run.events.names()).doesNotContain("failover", "failover_completed");
    assertThat(Files.readString(supervisord.envFile())).isEqualTo(EnvFile.render(EU));
  }

  private Map<String, String> env(int tunnelPort) {
    Map<String, String> env = new HashMap<>();
    env.put("EXT_CLOUD_FAILOVER_LIST", LIST);
    env.put("EXT_CLOUD_LOOKUP_URL",
        "http://127.0.0.1:" + tunnelPort + "/v2/{orgId}/cloudlookup/{region}");
    env.put("CONNECTION_KEEPALIVE_ORG_ID", "org");
    env.put("FAILOVER_INTERVAL", INTERVAL.toMillis() + "ms");
    env.put("FAILOVER_OUTAGE_THRESHOLD", THRESHOLD.toSeconds() + "s");
    env.put("FAILOVER_PROBE_TIMEOUT", "150ms");
    env.put("EXT_CLOUD_ENV_FILE", supervisord.envFile().toString());
    env.put("SUPERVISOR_SERVER_URL", supervisord.url());
    env.put("SUPERVISOR_TIMEOUT", "20s");
    return env;
  }

  /**
   * {@code spec} is within its startsecs and a whole threshold has passed since the start of
   * the stack was decided (its {@code stack_starting} event is emitted after that): a start
   * that fails now fails after the threshold.
   */
  private boolean startingPastThreshold(String spec) throws Exception {
    List<Event> starting = run.events.named("stack_starting");
    if (starting.isEmpty()) {
      return false;
    }
    long since = System.nanoTime() - run.emittedAt.get(starting.get(0));
    return since - THRESHOLD.toNanos() > 0
        && "STARTING".equals(supervisord.client().getProcessInfo(spec).statename());
  }

  private int count(String event) {
    return run.events.named(event).size();
  }

  /** Healthy probes among the events from the {@code from}th on. */
  private long healthyProbesSince(int from) {
    List<Event> events = run.events.events();
    return events.subList(from, events.size()).stream()
        .filter(e -> e.name().equals("probe") && Boolean.TRUE.equals(e.fields().get("healthy")))
        .count();
  }
}
