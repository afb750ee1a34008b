package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.Closing;
import org.regionfailover.FakeCloud;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.report.Event;

/**
 * Issue 28, the pre-switch hook as a gate, through the command line with a real
 * supervisord: while the hook exits 1 ("waiting for the DBA") EU's outage is refused again
 * and again with nothing written or restarted, reported once as failover_blocked
 * hook_veto with the hook's last line; when the hook exits 0 the failover happens.
 */
class Issue28PreSwitchVetoIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private FakeCloud cloud;
  private SupervisordFixture supervisord;
  private CliRun run;

  @RegisterExtension final Closing closing = new Closing();

  @Test
  void aVetoingHook_keepsTheHostAndItsStack_untilItAllows() throws Exception {
    cloud = closing.add(new FakeCloud());
    supervisord = closing.add(SupervisordFixture.unixSocket(dir).quickStart());
    supervisord.start();
    Files.deleteIfExists(supervisord.envFile());
    Path gate = dir.resolve("dba-busy");
    Path asked = dir.resolve("asked.txt");
    Path hook = dir.resolve("pre-switch");
    Files.writeString(hook, "#!/bin/sh\n"
        + "echo \"$RF_EVENT $RF_FROM $RF_TO\" >> " + asked + "\n"
        + "if [ -e " + gate + " ]; then echo 'checking replication'; echo 'waiting for the DBA';"
        + " exit 1; fi\n"
        + "echo go\n");
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(gate, "");
    Map<String, String> env = cloud.loopEnv(supervisord, FakeCloud.EU_NAM_APAC);
    env.put("FAILOVER_INTERVAL", "500ms");
    env.put("FAILOVER_PROBE_TIMEOUT", "400ms");
    env.put("FAILOVER_OUTAGE_THRESHOLD", "3s");
    env.put("FAILOVER_REGION_INTERVAL", "500ms");
    env.put("FAILOVER_HOOK_PRE_SWITCH", hook.toString());
    env.put("FAILOVER_HOOK_TIMEOUT", "1s");
    run = closing.add(new CliRun(env, List.of("--region", "EU")));
    Awaitility.await().atMost(WAIT).until(() -> !run.events.named("stack_started").isEmpty());
    List<String> startsBefore = supervisord.records();
    String envFileBefore = Files.readString(supervisord.envFile());

    cloud.chain("EU", 503);
    cloud.direct("EU", 503);
    // Refused at the threshold, and asked again at the probes after it.
    Awaitility.await().atMost(WAIT).until(() -> Files.exists(asked)
        && Files.readAllLines(asked).size() >= 3);

    Event veto = run.events.named("failover_blocked").get(0);
    assertThat(veto.fields()).containsEntry("reason", "hook_veto")
        .containsEntry("output", "waiting for the DBA");
    assertThat(run.events.named("failover_blocked")).as("reported once while it says the same")
        .hasSize(1);
    assertThat(Files.readAllLines(asked)).allSatisfy(l -> assertThat(l).isEqualTo("failover EU NAM"));
    assertThat(Files.readString(supervisord.envFile())).as("no env-file write")
        .isEqualTo(envFileBefore);
    assertThat(supervisord.records()).as("no restart").isEqualTo(startsBefore);
    assertThat(run.events.named("failover_completed")).isEmpty();

    Files.delete(gate);
    Awaitility.await().atMost(WAIT).until(() -> !run.events.named("failover_completed").isEmpty());
    assertThat(Files.readString(supervisord.envFile())).contains("EXT_REGION=NAM");
    assertThat(run.events.named("failover")).singleElement()
        .satisfies(f -> assertThat(f.fields()).containsEntry("to_region", "NAM"));
  }
}
