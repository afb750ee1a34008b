package org.regionfailover.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The difference between two configurations: per set, once for the process, sets in and out. */
class ConfigDiffTest {
  @TempDir Path dir;

  private Configuration config() {
    return new SettingsLoader(Map.of(), Map.of(
        "EXT_CLOUD_FAILOVER_LIST", "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com",
        "CONNECTION_KEEPALIVE_ORG_ID", "org-1", "CONNECTION_KEEPALIVE_TXN_ID", "txn-1",
        "EXT_CLOUD_ENV_FILE", dir.resolve("a.env").toString())).configuration();
  }

  private SetConfiguration set(String name, Map<Setting, String> values) {
    return new SetConfiguration(name, config(), values);
  }

  private static ProcessConfiguration process(SetConfiguration... sets) {
    return new ProcessConfiguration(List.of(sets), Optional.empty(), Optional.of(Path.of("sets.d")));
  }

  @Test
  void perSetChanges_processWideOnce_andSetsAddedAndRemoved() {
    ProcessConfiguration before = process(
        set("a", Map.of(Setting.INTERVAL, "10s", Setting.LISTEN, "127.0.0.1:9180")),
        set("b", Map.of(Setting.INTERVAL, "10s", Setting.LISTEN, "127.0.0.1:9180")));
    ProcessConfiguration after = process(
        set("a", Map.of(Setting.INTERVAL, "5s", Setting.LISTEN, "127.0.0.1:9181")),
        set("c", Map.of(Setting.INTERVAL, "10s", Setting.LISTEN, "127.0.0.1:9181")));

    ConfigDiff d = ConfigDiff.between(before, after);

    assertThat(d.applied()).containsExactly(new ConfigDiff.Change(Optional.of("a"),
        Setting.INTERVAL, "10s", "5s", true));
    assertThat(d.restartOnly()).as("the listen address, once, with no set")
        .containsExactly(new ConfigDiff.Change(Optional.empty(), Setting.LISTEN,
            "127.0.0.1:9180", "127.0.0.1:9181", false));
    assertThat(d.setsAdded()).containsExactly("c");
    assertThat(d.setsRemoved()).containsExactly("b");
  }

  @Test
  void aNewCertificateApplies_butTurningTlsOnNeedsARestart() {
    ConfigDiff renewed = ConfigDiff.between(
        process(set("a", Map.of(Setting.TLS_CERT, "/old.pem", Setting.TLS_KEY, "/old.key"))),
        process(set("a", Map.of(Setting.TLS_CERT, "/new.pem", Setting.TLS_KEY, "/new.key"))));
    ConfigDiff turnedOn = ConfigDiff.between(process(set("a", Map.of())),
        process(set("a", Map.of(Setting.TLS_CERT, "/new.pem", Setting.TLS_KEY, "/new.key"))));

    assertThat(renewed.restartOnly()).isEmpty();
    assertThat(renewed.applied()).hasSize(2);
    assertThat(turnedOn.applied()).isEmpty();
    assertThat(turnedOn.restartOnly()).extracting(ConfigDiff.Change::setting)
        .containsExactly(Setting.TLS_CERT, Setting.TLS_KEY);
  }

  @Test
  void secretsAreMasked_andUrlCredentialsHidden() {
    ConfigDiff d = ConfigDiff.between(
        process(set("a", Map.of(Setting.SUPERVISOR_PASSWORD, "hunter2",
            Setting.DD_LOGS_URL, "https://u:pw1@proxy"))),
        process(set("a", Map.of(Setting.SUPERVISOR_PASSWORD, "hunter3",
            Setting.DD_LOGS_URL, "https://u:pw2@proxy"))));

    assertThat(d.changes().toString()).doesNotContain("hunter", "pw1", "pw2")
        .contains("****");
    assertThat(d.changes()).hasSize(2);
  }
}
