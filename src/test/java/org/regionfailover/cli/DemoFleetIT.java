package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.regionfailover.RecordingEventLog;

/**
 * {@code demo --fleet 3}: three supervisors in one process against an embedded ZooKeeper;
 * one fleet decision applied by all three, exactly once each, then a new decider.
 */
class DemoFleetIT {
  @Test
  void threeHostsMoveTogetherOnceThenAnotherHostDecides() {
    RecordingEventLog log = new RecordingEventLog();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Cli cli = new Cli(Map.of(), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(1), log);
    int code = cli.run("demo", "--fleet", "3");

    String stderr = err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(stderr).isEqualTo(Cli.OK);
    assertThat(stderr).contains("EU is down for 2 of 3 hosts", "host-1 applied fleet epoch 1:"
        + " now on NAM", "host-2 applied fleet epoch 1: now on NAM", "host-3 applied fleet"
        + " epoch 1: now on NAM", "decides for the fleet now, from epoch 1", "complete");
    assertThat(log.named("fleet_decision")).extracting(e -> e.fields().get("kind"))
        .containsExactly("initial", "failover");
    // Issue 25: a fleet failover is a failover to every event and monitor, with its epoch.
    assertThat(log.named("failover")).as("one failover per host, the fleet's").hasSize(3)
        .allSatisfy(e -> {
          assertThat(e.fields()).containsEntry("fleet", true).containsEntry("epoch", 1)
              .containsEntry("to_region", "NAM");
          assertThat(e.message()).startsWith("Waited for ");
        });
    assertThat(log.named("failover_completed")).as("each host completed it").hasSize(3);
    assertThat(log.named("manual_switch")).as("not an operator's move").isEmpty();
    assertThat(log.named("manual_command")).as("not in the operators' audit trail").isEmpty();
    assertThat(log.named("decider_elected")).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void aFleetOfOneIsBadUsage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Cli cli = new Cli(Map.of(), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(1));
    assertThat(cli.run("demo", "--fleet", "1")).isEqualTo(Cli.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--fleet takes 2 to 9 hosts");
  }

  @Test
  void anUnreadableHtpasswdFile_isBadUsage_beforeAnyHostStarts() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    RecordingEventLog log = new RecordingEventLog();
    Cli cli = new Cli(Map.of(), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(1), log);
    assertThat(cli.run("demo", "--fleet", "2", "--htpasswd", "/nonexistent/htpasswd"))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("/nonexistent/htpasswd")
        .contains("htpasswd");
    assertThat(log.named("listening")).isEmpty();
  }
}
