package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 27: every bad value of the traffic settings exits 2 with one line naming the
 * setting, the value and what is allowed.
 */
class TrafficSettingsBadInputTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "FAILOVER_TRAFFIC_SOURCE|metrics|FAILOVER_TRAFFIC_SOURCE|endpoint and log:PROGRAM",
      "FAILOVER_TRAFFIC_SOURCE|endpoint,endpoint|FAILOVER_TRAFFIC_SOURCE|at most once",
      "FAILOVER_TRAFFIC_SOURCE|log:|FAILOVER_TRAFFIC_SOURCE|log:PROGRAM",
      "FAILOVER_TRAFFIC_SOURCE|log:app:nginx|FAILOVER_TRAFFIC_SOURCE|is not one of --programs",
      "FAILOVER_TRAFFIC_MIN_VOLUME|0|FAILOVER_TRAFFIC_MIN_VOLUME|at least 1",
      "FAILOVER_TRAFFIC_MIN_VOLUME|-5|FAILOVER_TRAFFIC_MIN_VOLUME|at least 1",
      "FAILOVER_TRAFFIC_MIN_VOLUME|many|FAILOVER_TRAFFIC_MIN_VOLUME|at least 1",
      "FAILOVER_TRAFFIC_FAILURE_RATIO|0|FAILOVER_TRAFFIC_FAILURE_RATIO|above 0 and at most 1",
      "FAILOVER_TRAFFIC_FAILURE_RATIO|1.01|FAILOVER_TRAFFIC_FAILURE_RATIO|above 0 and at most 1",
      "FAILOVER_TRAFFIC_FAILURE_RATIO|-0.5|FAILOVER_TRAFFIC_FAILURE_RATIO|above 0 and at most 1",
      "FAILOVER_TRAFFIC_VETO|maybe|FAILOVER_TRAFFIC_VETO|on or off",
      "FAILOVER_TRAFFIC_ERROR_PATTERN|(refused|FAILOVER_TRAFFIC_ERROR_PATTERN|at index 8",
      "FAILOVER_TRAFFIC_OK_PATTERN|HTTP/1.1 [2|FAILOVER_TRAFFIC_OK_PATTERN|Unclosed character class"})
  void badTrafficSetting_exits2NamingIt(String env, String value, String named, String allowed) {
    Map<String, String> vars = base();
    vars.put(env, value);
    String message = run(vars, 2);
    assertThat(message).hasLineCount(1).contains("'" + value + "'").contains(named)
        .contains(allowed);
  }

  @Test
  void logSource_withoutPatterns_exits2NamingBoth() {
    Map<String, String> vars = base();
    vars.put("FAILOVER_TRAFFIC_SOURCE", "log:app:cloud-client");
    String message = run(vars, 2);
    assertThat(message).hasLineCount(1).contains("FAILOVER_TRAFFIC_ERROR_PATTERN")
        .contains("FAILOVER_TRAFFIC_SOURCE").contains("required with a log: source");
  }

  @Test
  void badPattern_showsWhereItBreaks() {
    Map<String, String> vars = base();
    vars.put("FAILOVER_TRAFFIC_ERROR_PATTERN", "(?i)(refused|reset");
    String message = run(vars, 2);
    assertThat(message).contains("Unclosed group").contains("(?i)(refused|reset>><<");
  }

  @Test
  void tokenFile_unreadable_exits2NamingIt() {
    Map<String, String> vars = base();
    vars.put("FAILOVER_EVIDENCE_TOKEN_FILE", dir.resolve("no-token").toString());
    String message = run(vars, 2);
    assertThat(message).hasLineCount(1).contains("FAILOVER_EVIDENCE_TOKEN_FILE")
        .contains("no-token").contains("expected a readable token file");
  }

  @Test
  void tokenFile_empty_exits2_withoutShowingAnyToken() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "  \n");
    Map<String, String> vars = base();
    vars.put("FAILOVER_EVIDENCE_TOKEN_FILE", token.toString());
    String message = run(vars, 2);
    assertThat(message).contains("FAILOVER_EVIDENCE_TOKEN_FILE").contains("the file is empty");
  }

  private Map<String, String> base() {
    return BadInputRun.host(dir);
  }

  private static String run(Map<String, String> vars, int expected) {
    BadInputRun run = BadInputRun.of(vars);
    String message = run.stderr();
    assertThat(run.code()).as(message).isEqualTo(expected);
    return message;
  }
}
