package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.config.ConfigDiff;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.ConfigSource;
import org.regionfailover.config.ReloadOutcome;
import org.regionfailover.config.SettingsLoader;
import org.regionfailover.report.Event;

/**
 * A reload's outcome and events, with a source that reads a map the test edits (as an
 * operator edits the file): rejected, applied, unchanged, and partial while a restart-only
 * setting differs from what runs.
 */
class ReloaderTest {
  @TempDir Path dir;
  private final RecordingEventLog log = new RecordingEventLog();
  private final Map<String, String> env = new HashMap<>();
  private final List<ConfigDiff> applied = new CopyOnWriteArrayList<>();
  private final ConfigSource source = () ->
      LoopCommand.flagsAndEnvironment(new SettingsLoader(Map.of(), env)).load();
  private Reloader reloader;

  @BeforeEach
  void start() {
    env.put("EXT_CLOUD_FAILOVER_LIST", "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com");
    env.put("CONNECTION_KEEPALIVE_ORG_ID", "org-1");
    env.put("CONNECTION_KEEPALIVE_TXN_ID", "txn-1");
    env.put("EXT_CLOUD_ENV_FILE", dir.resolve("ext_cloud.env").toString());
    env.put("SUPERVISOR_USERNAME", "ops");
    env.put("SUPERVISOR_PASSWORD", "old-secret");
    env.put("FAILOVER_LISTEN", "127.0.0.1:0");
    reloader = new Reloader(source, source.load(),
        Applier.simple((running, next, diff) -> applied.add(diff)), log);
  }

  private ReloadOutcome reload() {
    return reloader.reload(new ReloadRequests.Batch(List.of(ReloadRequests.Trigger.signal()), 1));
  }

  private Event only(String name) {
    assertThat(log.named(name)).as(log.names().toString()).hasSize(1);
    return log.named(name).get(0);
  }

  @Test
  void sameFiles_unchanged_noReloadApplied() {
    ReloadOutcome o = reload();

    assertThat(o.kind()).isEqualTo(ReloadOutcome.Kind.UNCHANGED);
    assertThat(o.partial()).isFalse();
    assertThat(log.names()).containsExactly("reload_unchanged");
    assertThat(only("reload_unchanged").fields()).containsEntry("trigger", "signal")
        .containsEntry("requests", 1);
    assertThat(applied).as("the applier still runs: files may have changed").hasSize(1);
  }

  @Test
  void aReloadableChange_isApplied_listedOnce_andAsecondReloadIsUnchanged() {
    env.put("FAILOVER_OUTAGE_THRESHOLD", "5m");

    ReloadOutcome o = reload();

    assertThat(o.kind()).isEqualTo(ReloadOutcome.Kind.APPLIED);
    Event e = only("reload_applied");
    assertThat(e.level()).isEqualTo(Event.Level.INFO);
    assertThat(e.fields().get("changed")).isEqualTo(List.of(Map.of("set", "default",
        "setting", "FAILOVER_OUTAGE_THRESHOLD", "old", "4m", "new", "5m")));
    assertThat(applied.get(0).applied()).hasSize(1);
    assertThat(log.names()).doesNotContain("reload_partial");

    assertThat(reload().kind()).isEqualTo(ReloadOutcome.Kind.UNCHANGED);
    assertThat(log.named("reload_applied")).as("the change is reported once").hasSize(1);
  }

  @Test
  void aRestartOnlyChange_isPartial_onEveryReload_untilTheFileSaysWhatRuns() {
    env.put("FAILOVER_PROGRAMS", "app:one,app:two");
    env.put("SUPERVISOR_PASSWORD", "new-secret");

    ReloadOutcome o = reload();

    assertThat(o.kind()).as("nothing a running process takes changed")
        .isEqualTo(ReloadOutcome.Kind.UNCHANGED);
    assertThat(o.partial()).isTrue();
    Event partial = only("reload_partial");
    assertThat(log.names()).as("not also reload_unchanged: the files differ from what runs")
        .containsExactly("reload_partial");
    assertThat(partial.level()).isEqualTo(Event.Level.WARN);
    assertThat(partial.fields().get("restart_pending")).isEqualTo(List.of(
        Map.of("setting", "SUPERVISOR_PASSWORD", "old", "****", "new", "****"),
        Map.of("set", "default", "setting", "FAILOVER_PROGRAMS",
            "old", "app:stunnel,app:cloud-client,app:application", "new", "app:one,app:two")));
    assertThat(log.events().toString()).doesNotContain("old-secret", "new-secret");

    reload();
    assertThat(log.named("reload_partial")).as("still waiting for a restart").hasSize(2);
    assertThat(log.names()).doesNotContain("reload_applied");

    env.remove("FAILOVER_PROGRAMS");
    env.put("SUPERVISOR_PASSWORD", "old-secret");
    reload();
    assertThat(log.named("reload_partial")).as("the file says what runs again").hasSize(2);
  }

  @Test
  void anInvalidValue_isRejected_namingTheSetting_andNothingChanges() {
    env.put("FAILOVER_INTERVAL", "banana");
    env.put("FAILOVER_OUTAGE_THRESHOLD", "5m");

    ReloadOutcome o = reload();

    assertThat(o.kind()).isEqualTo(ReloadOutcome.Kind.REJECTED);
    Event e = only("reload_rejected");
    assertThat(e.level()).isEqualTo(Event.Level.ERROR);
    assertThat((String) e.fields().get("reason")).contains("FAILOVER_INTERVAL", "banana");
    assertThat(applied).isEmpty();

    env.remove("FAILOVER_INTERVAL");
    assertThat(reload().applied()).as("counted from what runs, not from the rejected files")
        .extracting(c -> c.setting().env()).containsExactly("FAILOVER_OUTAGE_THRESHOLD");
  }

  @Test
  void anApplierThatRefuses_rejectsTheReload_beforeAnythingApplies() {
    List<String> calls = new CopyOnWriteArrayList<>();
    Applier refusing = (running, next, diff) -> {
      throw new ConfigException("--htpasswd (FAILOVER_HTPASSWD)", "/x line 2 is not user:hash");
    };
    Applier recording = (running, next, diff) -> () -> calls.add("applied");
    Reloader r = new Reloader(source, source.load(), recording.andThen(refusing), log);
    env.put("FAILOVER_OUTAGE_THRESHOLD", "5m");

    ReloadOutcome o = r.reload(new ReloadRequests.Batch(
        List.of(ReloadRequests.Trigger.http("alice")), 1));

    assertThat(o.kind()).isEqualTo(ReloadOutcome.Kind.REJECTED);
    assertThat(calls).as("all or nothing").isEmpty();
    assertThat(only("reload_rejected").fields()).containsEntry("trigger", "http")
        .containsEntry("user", "alice");
  }
}
