package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.Regions.EU;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.act.envfile.EnvFile;
import org.regionfailover.act.envfile.EnvFileLock;
import org.regionfailover.act.supervisord.ProcessInfo;

/**
 * Issue 9, defects 2-5, against a real supervisord whose {@code stunnel} is a local HTTP
 * server: the probe goes through the stack, as in production, so a stack that is down
 * makes probes fail exactly as it did when the faults were found.
 */
class Issue9SupervisordFaultsIT {
  private static final String LIST =
      "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com,APAC=cloud.apac.ext.com";

  @TempDir Path dir;
  SupervisordFixture supervisord;
  CliRun run;
  int tunnelPort;

  @BeforeEach
  void stack() throws Exception {
    Path docroot = Files.createDirectories(dir.resolve("www/v2/org/cloudlookup"));
    for (String region : List.of("NAM", "EU", "APAC")) {
      Files.writeString(docroot.resolve(region), "ok");
    }
    tunnelPort = SupervisordFixture.freeLoopbackPort();
    supervisord = SupervisordFixture.unixSocket(dir).quickStart()
        .tunnel(dir.resolve("www"), tunnelPort);
    supervisord.start();
  }

  @AfterEach
  void stopAll() throws Exception {
    if (run != null) {
      run.close();
    }
    supervisord.signal("CONT");
    supervisord.close();
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("EXT_CLOUD_FAILOVER_LIST", LIST);
    env.put("EXT_CLOUD_LOOKUP_URL", "http://127.0.0.1:" + tunnelPort + "/v2/{orgId}/cloudlookup/{region}");
    env.put("CONNECTION_KEEPALIVE_ORG_ID", "org");
    env.put("FAILOVER_INTERVAL", "200ms");
    env.put("FAILOVER_OUTAGE_THRESHOLD", "3s");
    env.put("FAILOVER_PROBE_TIMEOUT", "150ms");
    env.put("EXT_CLOUD_ENV_FILE", supervisord.envFile().toString());
    env.put("SUPERVISOR_SERVER_URL", supervisord.url());
    env.put("SUPERVISOR_TIMEOUT", "20s");
    return env;
  }

  private void startOnEu() throws Exception {
    Files.writeString(supervisord.envFile(), EnvFile.render(EU));
    run = new CliRun(env(), List.of("--region", "EU"));
    await("the stack to start and a healthy probe", () -> count(run, "stack_started") == 1
        && run.events.events().stream().anyMatch(e -> e.name().equals("probe")
            && Boolean.TRUE.equals(e.fields().get("healthy"))));
  }

  private static int count(CliRun run, String event) {
    return run.events.named(event).size();
  }

  private static org.regionfailover.report.Event last(CliRun run, String event) {
    var events = run.events.named(event);
    return events.get(events.size() - 1);
  }

  private static void await(String what, java.util.concurrent.Callable<Boolean> condition) {
    Awaitility.await(what).atMost(Duration.ofSeconds(60)).ignoreExceptions().until(condition);
  }

  /** Defect 2: 20 supervisord restarts with a healthy cloud gave 20 failovers. */
  @Test
  void supervisordRestarted10Times_healthyCloud_noFailoverAndTheStackRunsAgainEachTime()
      throws Exception {
    startOnEu();
    for (int i = 1; i <= 10; i++) {
      supervisord.restart();
      int repairs = i;
      await("repair " + i, () -> count(run, "stack_repaired") >= repairs);
      assertThat(supervisord.client().getAllProcessInfo()).as("after restart %d", i)
          .allMatch(ProcessInfo::isRunning);
    }
    // A probe after the last repair, so a late failover would have had its chance.
    int probes = count(run, "probe");
    await("probes after the last repair", () -> count(run, "probe") >= probes + 5);
    assertThat(run.events.names()).doesNotContain("failover", "failover_completed");
    assertThat(Files.readString(supervisord.envFile())).isEqualTo(EnvFile.render(EU));
    assertThat(last(run, "stack_repaired").fields().get("repairs")).isEqualTo(10);
  }

  /** Defect 3: two instances on one env file both ran and fought. */
  @Test
  void secondInstanceOnTheSameEnvFile_exits1NamingTheLockFileAndTheHoldersPid()
      throws Exception {
    startOnEu();
    CliRun second = new CliRun(env(), List.of("--region", "EU"));
    int code = second.awaitExit(Duration.ofSeconds(30));
    assertThat(code).isEqualTo(Cli.FAILED);
    assertThat(second.stderr()).contains(EnvFileLock.fileFor(supervisord.envFile()).toString())
        .contains("pid " + ProcessHandle.current().pid());
    assertThat(second.events.names()).doesNotContain("supervisord_ready", "stack_started");
    assertThat(run.isRunning()).isTrue();
  }

  /** Defect 4: a hand edit of the env file was kept, and the stack ran what it said. */
  @Test
  void envFileEditedOrDeletedWhileRunning_isRestoredAndReported() throws Exception {
    startOnEu();
    Files.writeString(supervisord.envFile(), EnvFile.render(EU) + "touch /tmp/x\n");
    await("env_file_restored after an edit", () -> count(run, "env_file_restored") == 1);
    assertThat(Files.readString(supervisord.envFile())).isEqualTo(EnvFile.render(EU));
    assertThat((String) last(run, "env_file_restored").fields().get("found"))
        .contains("touch /tmp/x");

    Files.delete(supervisord.envFile());
    await("env_file_restored after a delete", () -> count(run, "env_file_restored") == 2);
    assertThat(Files.readString(supervisord.envFile())).isEqualTo(EnvFile.render(EU));
    assertThat(last(run, "env_file_restored").fields().get("found")).isEqualTo("missing");
  }

  /** Defect 4: at start-up a file with a command in it was adopted as it was. */
  @Test
  void envFileWithACommandAtStartUp_isNotAdoptedAndIsRewritten() throws Exception {
    Files.writeString(supervisord.envFile(), EnvFile.render(EU) + "touch /tmp/x\n");
    run = new CliRun(env(), List.of("--region", "EU"));
    await("region_adopted", () -> count(run, "region_adopted") == 1);
    var adopted = last(run, "region_adopted");
    assertThat(adopted.level().name()).isEqualTo("WARN");
    assertThat(adopted.message()).contains("touch /tmp/x");
    await("the env file rewritten", () -> Files.readString(supervisord.envFile())
        .equals(EnvFile.render(EU)));
  }

  /**
   * Fault campaign: a switch given up mid-way left programs on the old region while the env
   * file named the new one, and the watch saw them RUNNING. The marker it leaves now makes
   * the stack count as not up, and the repair restarts all of it, then removes the marker.
   */
  @Test
  void switchMarkerLeftBehindWhileRunning_wholeStackRestartedAndMarkerRemoved() throws Exception {
    startOnEu();
    Path marker = supervisord.envFile().resolveSibling(".ext_cloud.env.switching");
    Files.writeString(marker, "EU\n"); // what a given-up switch to EU leaves
    await("a repair of the whole stack", () -> count(run, "stack_repaired") == 1);
    assertThat((String) last(run, "stack_down").fields().get("reason")).contains("unfinished");
    assertThat(last(run, "stack_repaired").fields().get("programs")).isEqualTo(
        List.of("app:stunnel", "app:cloud-client", "app:application"));
    assertThat(marker).doesNotExist();
    assertThat(run.events.names()).doesNotContain("failover");
  }

  /** Defect 5: with supervisord SIGSTOPped, SIGTERM was ignored for 55 s. */
  @Test
  void supervisordStoppedDuringStartUp_sigtermStillEndsTheProcessCleanly() throws Exception {
    supervisord.signal("STOP");
    Map<String, String> env = env();
    env.put("SUPERVISOR_TIMEOUT", "10m"); // a call would wait 10 minutes without the abort
    run = new CliRun(env, List.of("--region", "EU"));
    Awaitility.await("the loop to start").atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> count(run, "startup") == 1);
    // Exit well before the call timeout: the stop grace, not supervisord, bounds it.
    assertThat(run.stop()).isEqualTo(Cli.OK);
    assertThat(run.events.names()).contains("shutdown");
  }
}
