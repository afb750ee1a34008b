package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 10: every bad value of the rules' settings, and every pair of settings that would
 * contradict each other, exits 2 with one line naming the setting(s) and the value.
 */
class RuleSettingsBadInputTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "FAILOVER_FAILURE_RATIO|0|FAILOVER_FAILURE_RATIO",
      "FAILOVER_FAILURE_RATIO|1.5|FAILOVER_FAILURE_RATIO",
      "FAILOVER_FAILURE_RATIO|-0.2|FAILOVER_FAILURE_RATIO",
      "FAILOVER_FAILURE_RATIO|NaN|FAILOVER_FAILURE_RATIO",
      "FAILOVER_FAILURE_RATIO|80%|FAILOVER_FAILURE_RATIO",
      "FAILOVER_FAILBACK|sometimes|FAILOVER_FAILBACK",
      "FAILOVER_FAILBACK|yes|FAILOVER_FAILBACK",
      "FAILOVER_FAILBACK_AFTER|10s|FAILOVER_FAILBACK_AFTER",
      "FAILOVER_FAILBACK_AFTER|10x|FAILOVER_FAILBACK_AFTER",
      "FAILOVER_MAX_TRANSITIONS|3|FAILOVER_MAX_TRANSITIONS",
      "FAILOVER_MAX_TRANSITIONS|0/1h|FAILOVER_MAX_TRANSITIONS",
      "FAILOVER_MAX_TRANSITIONS|3/0s|FAILOVER_MAX_TRANSITIONS",
      "FAILOVER_MAX_TRANSITIONS|3/1y|FAILOVER_MAX_TRANSITIONS",
      "FAILOVER_MAX_TRANSITIONS|1/1h|FAILOVER_MAX_TRANSITIONS / FAILOVER_FAILBACK",
      "FAILOVER_LATENCY_LIMIT|2s|FAILOVER_LATENCY_LIMIT",
      "FAILOVER_LATENCY_LIMIT|1s/2s|FAILOVER_LATENCY_LIMIT",
      "FAILOVER_LATENCY_LIMIT|6s/1s|FAILOVER_LATENCY_LIMIT / FAILOVER_PROBE_TIMEOUT",
      "FAILOVER_LATENCY_LIMIT|2s/x|FAILOVER_LATENCY_LIMIT"})
  void badRuleSetting_exits2NamingIt(String env, String value, String named) {
    Map<String, String> vars = BadInputRun.host(dir);
    vars.put(env, value);
    BadInputRun run = BadInputRun.of(vars);

    String message = run.stderr();
    assertThat(run.code()).as(message).isEqualTo(2);
    assertThat(message).hasLineCount(1).contains("'" + value + "'");
    for (String setting : named.split(" / ")) {
      assertThat(message).contains(setting);
    }
  }
}
