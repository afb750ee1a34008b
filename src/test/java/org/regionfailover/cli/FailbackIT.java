package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.FakeCloud;
import org.regionfailover.Regions;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.act.envfile.EnvFile;
import org.regionfailover.report.Event;

/**
 * Issue 10, fail-back end to end: a real supervisord, WireMock for the chain and for each
 * region's direct endpoint. EU fails, the host moves to NAM; once EU answers its direct
 * probe for the fail-back time (and the failover is at least that old), the host moves
 * back with the same ordered restart.
 */
class FailbackIT {
  @TempDir Path dir;
  FakeCloud cloud;
  SupervisordFixture supervisord;
  CliRun run;

  @BeforeEach
  void start() throws Exception {
    cloud = new FakeCloud();
    // startsecs 1: each program is RUNNING before the next starts, so the records say the order.
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (run != null) {
      run.close();
    }
    supervisord.close();
    cloud.close();
  }

  private void eu(int chain, int direct) {
    cloud.chain("EU", chain);
    cloud.direct("EU", direct);
  }

  private static int count(CliRun run, String event) {
    return run.events.named(event).size();
  }

  @Test
  void preferredRegionBack_failsBackAfterFailbackAfter_withTheOrderedRestart() throws Exception {
    Files.writeString(supervisord.envFile(), EnvFile.render(Regions.EU));
    Map<String, String> env = cloud.loopEnv(supervisord, FakeCloud.EU_NAM_APAC);
    env.put("FAILOVER_REGION_INTERVAL", "200ms");
    env.put("FAILOVER_FAILBACK_AFTER", "2s");
    run = new CliRun(env, List.of("--region", "EU"));
    await("the stack started").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> count(run, "stack_started") == 1);

    eu(503, 503); // EU down through the chain and on its own
    await("failover to NAM").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> count(run, "failover_completed") == 1);
    assertThat(Files.readString(supervisord.envFile())).contains("EXT_REGION=NAM");
    assertThat(run.events.names()).doesNotContain("failback");

    eu(200, 200); // EU is back
    await("fail-back to EU").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> count(run, "failover_completed") == 2);
    Event failback = run.events.named("failback").get(0);
    assertThat(failback.fields()).containsEntry("from_region", "NAM").containsEntry("to_region", "EU");
    assertThat(((Number) failback.fields().get("up_s")).doubleValue()).isGreaterThanOrEqualTo(2.0);
    assertThat(Files.readString(supervisord.envFile())).contains("EXT_REGION=EU");
    // The switch is done once supervisord says RUNNING; the record follows a moment later.
    List<String> want = List.of("EU stunnel", "EU cloud-client", "EU application");
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(
        supervisord.lastStarts(3).equals(want))
        .as(() -> "the EU programs' records, in order: " + supervisord.lastStarts(3)).isTrue());
    assertThat(count(run, "failback")).isEqualTo(1);
    assertThat(run.events.names()).doesNotContain("failover_blocked");
  }
}
