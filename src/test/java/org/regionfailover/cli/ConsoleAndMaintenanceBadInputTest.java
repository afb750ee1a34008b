package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The settings issues 28 and 29 added beyond the hooks: a bad value of each is exit 2 at
 * start-up, one line naming the setting and the value as typed.
 */
class ConsoleAndMaintenanceBadInputTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "FAILOVER_MAINTENANCE_LEAD|soon",
      "FAILOVER_MAINTENANCE_LEAD|-10m",
      "FAILOVER_MAINTENANCE_FILE|/nonexistent-dir/maintenance",
      "FAILOVER_LOG_FORMAT|xml",
      "FAILOVER_VERBOSE|maybe"})
  void badValue_exits2NamingTheSettingAndTheValue(String env, String value) {
    Map<String, String> vars = BadInputRun.host(dir);
    vars.put(env, value);

    BadInputRun run = BadInputRun.of(vars);

    assertThat(run.code()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr()).hasLineCount(1).contains(env).contains(value);
  }
}
