package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.report.Event;

/**
 * The demo in-process on a machine without supervisord (PATH without it): it says so,
 * still fails over EU -> NAM -> APAC through the real loop in dry run, writes nothing,
 * ends by itself and removes its temp directory.
 */
class DemoDryRunIT {
  @Test
  void demo_withoutSupervisord_saysSoAndFailsOverInDryRun() {
    RecordingEventLog log = new RecordingEventLog();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Cli cli = new Cli(Map.of("PATH", "/nonexistent"), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(1), log);
    int code = cli.run("demo");

    String stderr = err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(stderr).isEqualTo(Cli.OK);
    assertThat(stderr).contains("supervisord is not installed", "dry run",
        "Demo summary: complete, 2 failovers", "EU -> NAM -> APAC");
    assertThat(log.named("failover")).extracting(e -> e.fields().get("from_region") + "->"
        + e.fields().get("to_region")).containsExactly("EU->NAM", "NAM->APAC");
    assertThat(log.named("dry_run")).hasSize(2);
    assertThat(log.names()).doesNotContain("restart_started", "stack_started", "supervisord_ready");
    Event adopted = log.named("region_adopted").get(0);
    assertThat(adopted.fields().get("env_file_written")).isEqualTo(false);
    assertThat(Path.of((String) adopted.fields().get("env_file")).getParent()).doesNotExist();
  }

  @Test
  void demo_withSettings_exits2() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Cli cli = new Cli(Map.of(), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(1));

    assertThat(cli.run("--interval", "5s", "demo")).isEqualTo(Cli.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("takes no settings", "--interval");
  }
}
