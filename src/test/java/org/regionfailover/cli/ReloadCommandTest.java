package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

  /**
   * A process started under nohup ignores SIGHUP and the JVM leaves it so: kill succeeds
   * and nothing reloads. The command says so and exits 1 instead of "sent".
   */
  @Test
  void aHolderThatIgnoresSighup_isNotSignalled1() throws Exception {
    Process ignoring = new ProcessBuilder("nohup", "sleep", "60")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (EnvFileLock lock = EnvFileLock.acquire(dir.resolve("ext_cloud.env"), ignoring.pid())) {
      await().atMost(Duration.ofSeconds(10)).until(() ->
          ReloadCommand.ignoresHangup(Path.of("/proc", Long.toString(ignoring.pid()), "status")));

      assertThat(run("reload")).isEqualTo(Cli.FAILED);
      assertThat(err.toString(StandardCharsets.UTF_8))
          .contains("pid " + ignoring.pid() + " ignores SIGHUP", "nohup", "POST /reload");
      assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("sent SIGHUP");
      assertThat(ignoring.isAlive()).isTrue();
    } finally {
      ignoring.destroyForcibly();
    }
  }

  @Test
  void sigIgn_bitZeroIsHangup() throws Exception {
    Path status = dir.resolve("status");
    Files.writeString(status, "Name:\tjava\nSigIgn:\t0000000000000001\nSigCgt:\t0\n");
    assertThat(ReloadCommand.ignoresHangup(status)).isTrue();
    Files.writeString(status, "Name:\tjava\nSigIgn:\t0000000000000002\n");
    assertThat(ReloadCommand.ignoresHangup(status)).as("SIGINT only").isFalse();
    assertThat(ReloadCommand.ignoresHangup(dir.resolve("none"))).as("unknown").isFalse();
  }

  /** No --config and no FAILOVER_CONFIG: the likely mistake is named, not only its symptoms. */
  @Test
  void noSettingsFile_andSettingsMissing_namesTheFileAsTheLikelyCause2() {
    int code = new Cli(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(1))
        .run("reload");

    assertThat(code).isEqualTo(Cli.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("EXT_CLOUD_FAILOVER_LIST",
        "no settings file", "--config", "FAILOVER_CONFIG").doesNotContain("would reject");
  }

  /** FAILOVER_CONFIG names the file: a bad file is the problem, not a missing one. */
  @Test
  void aBadFileNamedByTheEnvironment_isNotCalledMissing2() throws Exception {
    Files.writeString(dir.resolve("main.env"), "FAILOVER_INTERVAL=fast\n");
    int code = new Cli(Map.of("FAILOVER_CONFIG", dir.resolve("main.env").toString()),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(1))
        .run("reload");

    assertThat(code).isEqualTo(Cli.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("main.env:1", "would reject")
        .doesNotContain("no settings file");
  }

  /**
   * The lock's holder runs with another settings file (here a child whose command line says
   * --config OTHER): it would read that one, so reload says so, exit 2, and sends nothing.
   */
  @Test
  void aHolderStartedWithAnotherSettingsFile_isNotSignalled2() throws Exception {
    Path ours = dir.resolve("main.env");
    Files.writeString(ours, "FAILOVER_REGION=EU\n");
    Path theirs = dir.resolve("other.env");
    Files.writeString(theirs, "FAILOVER_REGION=EU\n");
    // sh stays (a command follows sleep) with "--config OTHER" in its command line.
    Process holder = new ProcessBuilder("sh", "-c", "sleep 60; :", "sh", "--config",
        theirs.toString()).start();
    try (EnvFileLock lock = EnvFileLock.acquire(dir.resolve("ext_cloud.env"), holder.pid())) {
      assertThat(run("reload", "--config", ours.toString())).isEqualTo(Cli.USAGE);
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("not signalled",
          "pid " + holder.pid(), "runs with --config " + theirs, "not --config " + ours);
      assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("sent SIGHUP");
      assertThat(holder.isAlive()).isTrue();
    } finally {
      holder.destroyForcibly();
    }
  }

  /** Read from a /proc laid out by the test: last --config wins, else FAILOVER_CONFIG, from cwd. */
  @Test
  void theSettingsFileOfAProcess_fromItsCommandLineOrEnvironment() throws Exception {
    Path proc = Files.createDirectories(dir.resolve("proc/42"));
    Files.createSymbolicLink(proc.resolve("cwd"), Files.createDirectories(dir.resolve("home")));
    Files.writeString(proc.resolve("environ"), "PATH=/bin\0FAILOVER_CONFIG=/etc/env.env\0");
    ProcSettingsFileLookup lookup = new ProcSettingsFileLookup(dir.resolve("proc"));

    Files.writeString(proc.resolve("cmdline"),
        "java\0Main\0--config\0/a.env\0--config=rel/b.env\0");
    assertThat(lookup.of(42).orElseThrow().file()).contains(dir.resolve("home/rel/b.env"));

    Files.writeString(proc.resolve("cmdline"), "java\0Main\0");
    assertThat(lookup.of(42).orElseThrow().file()).contains(Path.of("/etc/env.env"));

    Files.writeString(proc.resolve("environ"), "PATH=/bin\0");
    assertThat(lookup.of(42).orElseThrow().file()).as("started without a file").isEmpty();
    assertThat(lookup.of(43)).as("cannot tell").isEmpty();
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
