package org.regionfailover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25: {@code --failback off} with {@code --failback-after 4s} and a 30 s region
 * interval exited 2 over a fail-back that will never happen. A rule between two settings
 * holds only when both are in force.
 */
class Issue25FailbackOffDelayTest {
  @TempDir Path dir;

  private SettingsLoader loader(String failback) {
    Map<Setting, String> flags = new EnumMap<>(Setting.class);
    flags.put(Setting.FAILOVER_LIST, "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com");
    flags.put(Setting.ORG_ID, "org-1");
    flags.put(Setting.TXN_ID, "txn-1");
    flags.put(Setting.ENV_FILE, dir.resolve("ext_cloud.env").toString());
    flags.put(Setting.FAILBACK, failback);
    flags.put(Setting.FAILBACK_AFTER, "4s");
    flags.put(Setting.REGION_INTERVAL, "30s");
    return new SettingsLoader(flags, Map.of());
  }

  @Test
  void failbackOff_aDelayBelowTheRegionIntervalIsNotChecked() {
    SettingsLoader loader = loader("off");

    loader.validateAll();

    assertThat(loader.configuration().policy().failback()).isEqualTo(FailbackMode.OFF);
  }

  @Test
  void failbackOn_aDelayBelowTheRegionIntervalExits2NamingBoth() {
    for (String mode : new String[] {"auto", "manual"}) {
      assertThatThrownBy(() -> loader(mode).validateAll())
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(Setting.FAILBACK_AFTER.label()).hasMessageContaining("'4s'")
          .hasMessageContaining(Setting.REGION_INTERVAL.label());
    }
  }
}
