package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.act.envfile.EnvFileLock;

/**
 * {@code region-failover reload} without a supervisor: exit 3 (not running), whether the
 * lock file was never made or is left by a process that ended; bad usage exit 2. (The
 * signal itself is sent in ReloadSignalIT, to a child process: here it would hit the
 * test's own JVM.)
 */
class ReloadCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return new Cli(Map.of("EXT_CLOUD_ENV_FILE", dir.resolve("ext_cloud.env").toString(),
            "EXT_CLOUD_FAILOVER_LIST", "EU=cloud.eu.ext.com,NAM=cloud.nam.ext.com",
            "CONNECTION_KEEPALIVE_ORG_ID", "org", "CONNECTION_KEEPALIVE_TXN_ID", "txn"),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(1)).run(args);
  }

  @Test
  void noLockFile_notRunning3() {
    assertThat(run("reload")).isEqualTo(ReloadCommand.NOT_RUNNING);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("not running",
        ".ext_cloud.env.lock");
  }

  @Test
  void aLockLeftByAnEndedProcess_notRunning3() throws Exception {
    Files.writeString(EnvFileLock.fileFor(dir.resolve("ext_cloud.env")), "999999\n");

    assertThat(run("reload")).isEqualTo(ReloadCommand.NOT_RUNNING);
  }

  @Test
  void anEmptyEnvFileSetting_usage2() {
    assertThat(run("reload", "--env-file", " ")).isEqualTo(Cli.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("EXT_CLOUD_ENV_FILE");
  }

  /** With sets, the process is found through the first set's env file, which it locks. */
  @Test
  void aSettingsFileWithSets_looksForTheFirstSetsLock() throws Exception {
    Path sets = Files.createDirectories(dir.resolve("sets.d"));
    Files.writeString(dir.resolve("main.env"), "FAILOVER_REGION=EU\n");
    Files.writeString(sets.resolve("alpha.env"), "EXT_CLOUD_ENV_FILE=" + dir.resolve("alpha.env")
        + "\nFAILOVER_PROGRAMS=alpha:app\n");
    Files.writeString(sets.resolve("beta.env"), "EXT_CLOUD_ENV_FILE=" + dir.resolve("beta.env")
        + "\nFAILOVER_PROGRAMS=beta:app\n");

    assertThat(run("reload", "--config", dir.resolve("main.env").toString()))
        .isEqualTo(ReloadCommand.NOT_RUNNING);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(".alpha.env.lock");
  }

  /** A file the process would reject is not worth a signal: every problem, exit 2. */
  @Test
  void aFileTheProcessWouldReject_isNotSignalled2() throws Exception {
    Files.writeString(dir.resolve("main.env"), "FAILOVER_INTERVAL=fast\nFAILOVER_REGIN=EU\n");

    assertThat(run("reload", "--config", dir.resolve("main.env").toString()))
        .isEqualTo(Cli.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("main.env:1", "FAILOVER_INTERVAL",
        "main.env:2", "FAILOVER_REGIN", "not signalled");
  }
}
