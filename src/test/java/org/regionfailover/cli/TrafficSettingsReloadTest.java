package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.config.Setting;
import org.regionfailover.config.SetConfiguration;
import org.regionfailover.config.SettingsLoader;

/**
 * Issue 27 and reloads: the traffic rules (volume, ratio, veto) reach a running set; the
 * sources and their patterns keep their running value until a restart.
 */
class TrafficSettingsReloadTest {
  @TempDir Path dir;

  private SetConfiguration set(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("EXT_CLOUD_FAILOVER_LIST", "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com");
    env.put("CONNECTION_KEEPALIVE_ORG_ID", "org-1");
    env.put("CONNECTION_KEEPALIVE_TXN_ID", "txn-1");
    env.put("EXT_CLOUD_ENV_FILE", dir.resolve("ext_cloud.env").toString());
    env.putAll(extra);
    return new SettingsLoader(Map.of(), env).set("default");
  }

  @Test
  void rulesReload_sourcesNeedARestart() {
    SetConfiguration started = set(Map.of("FAILOVER_TRAFFIC_SOURCE", "endpoint"));
    SetConfiguration next = set(Map.of("FAILOVER_TRAFFIC_SOURCE",
        "endpoint,log:app:cloud-client", "FAILOVER_TRAFFIC_ERROR_PATTERN", "refused",
        "FAILOVER_TRAFFIC_OK_PATTERN", "200", "FAILOVER_TRAFFIC_MIN_VOLUME", "50",
        "FAILOVER_TRAFFIC_FAILURE_RATIO", "0.7", "FAILOVER_TRAFFIC_VETO", "off"));

    SetConfiguration merged = SetsReload.merged(started, next);

    assertThat(merged.config().policy().traffic().minVolume()).isEqualTo(50);
    assertThat(merged.config().policy().traffic().failureRatio()).isEqualTo(0.7);
    assertThat(merged.config().policy().traffic().veto()).isFalse();
    assertThat(merged.config().policy().traffic().enabled()).isTrue();
    assertThat(merged.config().traffic()).isEqualTo(started.config().traffic());
    assertThat(merged.config().traffic().logPrograms()).isEmpty();
    assertThat(Setting.TRAFFIC_SOURCE.reloadable()).isFalse();
    assertThat(Setting.TRAFFIC_SOURCE.perSet()).isTrue();
    assertThat(Setting.EVIDENCE_TOKEN_FILE.perSet()).as("the listener's").isFalse();
  }

  @Test
  void off_byDefault_rulesOff() {
    SetConfiguration off = set(Map.of());

    assertThat(off.config().traffic().enabled()).isFalse();
    assertThat(off.config().policy().traffic().enabled()).isFalse();
  }
}
