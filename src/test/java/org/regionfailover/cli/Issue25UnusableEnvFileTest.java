package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.regionfailover.RecordingEventLog;

/**
 * Issue 25, defect 6: an env file in a place the supervisor cannot use exited 1 with
 * {@code NoSuchFileException: /proc/.ext_cloud.env.lock} (a dry run skips the temp-file
 * check but still takes the lock beside the file). Every such place is exit 2 at start-up,
 * one line naming the setting, the value and the rule, before anything is logged, with and
 * without dry run. Tests run as root, whom a 0555 directory does not stop: /proc and /sys
 * refuse new files to root too (sysfs has no create; a container mounts it read-only),
 * which is what a read-only mount does to the same call.
 */
class Issue25UnusableEnvFileTest {
  private static final String PREFIX = "region-failover: --env-file (EXT_CLOUD_ENV_FILE): '";

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} dry run {1}")
  @CsvSource({
      "/proc/ext_cloud.env, false, its directory /proc must exist and be writable",
      "/proc/ext_cloud.env, true, its directory /proc must exist and be writable",
      "/sys/ext_cloud.env, false, its directory /sys must exist and be writable",
      "/sys/ext_cloud.env, true, its directory /sys must exist and be writable",
      "{dir}, false, it is a directory; expected a file path",
      "{dir}, true, it is a directory; expected a file path"})
  void issue25_defect6_unusableEnvFile_exits2NamingEnvFile(String place, boolean dryRun,
      String rule) {
    String envFile = place.replace("{dir}", dir.toString());
    Map<String, String> env = CliBadInputTest.baseEnv(dir);
    env.put("EXT_CLOUD_ENV_FILE", envFile);
    env.put("FAILOVER_DRY_RUN", String.valueOf(dryRun));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    RecordingEventLog events = new RecordingEventLog();
    Cli cli = new Cli(env, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0), events);

    int code = cli.run();

    String stderr = err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(stderr).isEqualTo(2);
    assertThat(stderr).hasLineCount(1).startsWith(PREFIX + envFile + "' is not valid; " + rule)
        .doesNotContain("Exception:");
    assertThat(events.names()).as("nothing starts").isEmpty();
  }
}
