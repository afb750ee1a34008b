package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.regionfailover.config.CoordinationSettings;
import org.regionfailover.config.Quorum;
import org.regionfailover.config.Setting;
import org.regionfailover.config.SettingsLoader;

/**
 * Issue 13: every bad coordination value, and every pair of coordination settings that
 * contradict each other, exits 2 with one line naming the setting(s); good values load.
 */
class CoordinationSettingsBadInputTest {
  private static final String ZK = "FAILOVER_COORDINATION=zookeeper://127.0.0.1:2181";

  @TempDir Path dir;

  private Map<String, String> base() {
    return BadInputRun.host(dir);
  }

  /** {@code settings}: VAR=value pairs separated by ';'. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "FAILOVER_COORDINATION=zk://a:2181|FAILOVER_COORDINATION",
      "FAILOVER_COORDINATION=zookeeper://a|FAILOVER_COORDINATION",
      "FAILOVER_COORDINATION=zookeeper://a:99999|FAILOVER_COORDINATION",
      "FAILOVER_COORDINATION=zookeeper://a:2181,,b:2181|FAILOVER_COORDINATION",
      "FAILOVER_COORDINATION=zookeeper://a:2181/bad chroot|FAILOVER_COORDINATION",
      "FAILOVER_COORDINATION=zookeeper://a:2181|FAILOVER_CLUSTER / FAILOVER_COORDINATION",
      ZK + ";FAILOVER_CLUSTER=bad/name|FAILOVER_CLUSTER",
      ZK + ";FAILOVER_CLUSTER=c1;FAILOVER_HOST_ID=-x|FAILOVER_HOST_ID",
      ZK + ";FAILOVER_CLUSTER=c1;FAILOVER_ROLE=primary|FAILOVER_ROLE",
      ZK + ";FAILOVER_CLUSTER=c1;FAILOVER_SESSION_TIMEOUT=1s|FAILOVER_SESSION_TIMEOUT",
      ZK + ";FAILOVER_CLUSTER=c1;FAILOVER_SESSION_TIMEOUT=1h|FAILOVER_SESSION_TIMEOUT",
      ZK + ";FAILOVER_CLUSTER=c1;FAILOVER_SESSION_TIMEOUT=10s"
          + "|FAILOVER_SESSION_TIMEOUT / FAILOVER_INTERVAL",
      ZK + ";FAILOVER_CLUSTER=c1;FAILOVER_QUORUM=0|FAILOVER_QUORUM",
      ZK + ";FAILOVER_CLUSTER=c1;FAILOVER_QUORUM=120%|FAILOVER_QUORUM",
      ZK + ";FAILOVER_CLUSTER=c1;FAILOVER_QUORUM=most|FAILOVER_QUORUM",
      ZK + ";FAILOVER_CLUSTER=c1;FAILOVER_COORDINATION_FALLBACK=soon"
          + "|FAILOVER_COORDINATION_FALLBACK",
      ZK + ";FAILOVER_CLUSTER=c1;FAILOVER_COORDINATION_FALLBACK=10s"
          + "|FAILOVER_COORDINATION_FALLBACK / FAILOVER_SESSION_TIMEOUT",
      ZK + ";FAILOVER_CLUSTER=c1;FAILOVER_ROLE=active-standby;FAILOVER_COORDINATION_FALLBACK=5m"
          + "|FAILOVER_COORDINATION_FALLBACK / FAILOVER_ROLE",
      "FAILOVER_CLUSTER=c1|FAILOVER_CLUSTER / FAILOVER_COORDINATION",
      "FAILOVER_QUORUM=3|FAILOVER_QUORUM / FAILOVER_COORDINATION"})
  void badCoordination_exits2NamingIt(String settings, String named) {
    Map<String, String> vars = base();
    for (String pair : settings.split(";")) {
      int eq = pair.indexOf('=');
      vars.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    BadInputRun run = BadInputRun.of(vars);

    String message = run.stderr();
    assertThat(run.code()).as(message).isEqualTo(2);
    assertThat(message).hasLineCount(1);
    for (String setting : named.split(" / ")) {
      assertThat(message).contains(setting);
    }
  }

  @Test
  void goodValuesLoad() {
    Map<String, String> vars = base();
    vars.put("FAILOVER_COORDINATION", "zookeeper://zk1:2181,[::1]:2182,zk3:2183/rf/prod");
    vars.put("FAILOVER_CLUSTER", "payments-eu");
    vars.put("FAILOVER_HOST_ID", "app-7");
    vars.put("FAILOVER_QUORUM", "60%");
    vars.put("FAILOVER_COORDINATION_FALLBACK", "5m");
    CoordinationSettings c = new SettingsLoader(Map.<Setting, String>of(), vars).coordination();

    assertThat(c.connectString()).isEqualTo("zk1:2181,[::1]:2182,zk3:2183/rf/prod");
    assertThat(c.cluster()).isEqualTo("payments-eu");
    assertThat(c.hostId()).isEqualTo("app-7");
    assertThat(c.role()).isEqualTo(CoordinationSettings.Role.FLEET);
    assertThat(c.sessionTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.quorum()).isEqualTo(Quorum.parse("60%"));
    assertThat(c.fallback()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void withoutCoordinationNothingChanges() {
    CoordinationSettings c = new SettingsLoader(Map.<Setting, String>of(), base()).coordination();
    assertThat(c).isSameAs(CoordinationSettings.NONE);
    assertThat(c.enabled()).isFalse();
  }
}
