package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.report.Event;

/** Bad flags and environment variables fail at start-up with exit 2 and a message naming setting, value and rule. */
class CliBadInputTest {
  private static final String LIST = "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com,APAC=cloud.apac.ext.com";

  @TempDir Path dir;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private int run(Map<String, String> env, List<String> args) {
    Cli cli = new Cli(env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0));
    return cli.run(args.toArray(String[]::new));
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** A valid base configuration, so that each case breaks exactly one thing. */
  private Map<String, String> baseEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("EXT_CLOUD_FAILOVER_LIST", LIST);
    env.put("CONNECTION_KEEPALIVE_ORG_ID", "org-1");
    env.put("CONNECTION_KEEPALIVE_TXN_ID", "txn-1");
    env.put("EXT_CLOUD_ENV_FILE", dir.resolve("ext_cloud.env").toString());
    // Nothing listens there: a valid configuration waits for supervisord, and the open
    // stop latch ends that wait at once with exit 0.
    env.put("SUPERVISOR_SERVER_URL", "unix://" + dir.resolve("no-supervisord.sock"));
    return env;
  }

  static List<Arguments> badFlags() {
    return List.of(
        Arguments.of(List.of("--failover-list", "NAM=a.com,,EU=b.com"), "--failover-list",
            List.of("item 2", "is empty", "REGION=host")),
        Arguments.of(List.of("--failover-list", "NAM=a.com,EU"), "--failover-list",
            List.of("'EU'", "no '='", "REGION=host")),
        Arguments.of(List.of("--failover-list", "NAM=a.com,nam=b.com"), "--failover-list",
            List.of("repeats region NAM", "once")),
        Arguments.of(List.of("--failover-list", "NAM=a.com,EU= "), "--failover-list",
            List.of("empty host", "REGION=host")),
        Arguments.of(List.of("--region", "MARS"), "--region (FAILOVER_REGION)",
            List.of("'MARS'", "NAM, EU, APAC")),
        Arguments.of(List.of("--interval", "10x"), "--interval (FAILOVER_INTERVAL)",
            List.of("'10x'", "250ms, 10s, 4m, 1h")),
        Arguments.of(List.of("--outage-threshold", "-4m"), "--outage-threshold",
            List.of("'-4m'", "positive duration")),
        Arguments.of(List.of("--probe-timeout", "10s"), "--probe-timeout (FAILOVER_PROBE_TIMEOUT)",
            List.of("PT10S", "below the interval")),
        Arguments.of(List.of("--interval", "30s", "--outage-threshold", "20s"),
            "--outage-threshold (FAILOVER_OUTAGE_THRESHOLD)", List.of("PT20S", "at least the interval")),
        Arguments.of(List.of("--env-file", "/nonexistent/dir/ext_cloud.env"),
            "--env-file (EXT_CLOUD_ENV_FILE)", List.of("/nonexistent/dir/ext_cloud.env", "does not exist")),
        Arguments.of(List.of("--cloudlookup-url", "https://cloud.eu.ext.com/v2/x", "--insecure-localhost"),
            "--insecure-localhost (EXT_CLOUD_INSECURE_LOCALHOST)", List.of("loopback", "https://cloud.eu.ext.com/v2/x")),
        Arguments.of(List.of("--cloudlookup-url", "ftp://localhost/x"), "--cloudlookup-url",
            List.of("'ftp://localhost/x'", "http:// or https://")),
        Arguments.of(List.of("--cloudlookup-url", "https://localhost/{tenant}"), "--cloudlookup-url",
            List.of("{tenant}", "{orgId}")),
        Arguments.of(List.of("--dry-run=maybe"), "--dry-run (FAILOVER_DRY_RUN)",
            List.of("'maybe'", "true or false")),
        Arguments.of(List.of("--ca-file", "/nonexistent.pem"), "--ca-file (EXT_CLOUD_CA_FILE)",
            List.of("/nonexistent.pem", "readable PEM")),
        Arguments.of(List.of("--supervisor-url", "tcp://localhost:9001"),
            "--supervisor-url (SUPERVISOR_SERVER_URL)", List.of("'tcp://localhost:9001'", "unix:///")),
        Arguments.of(List.of("--programs", "app:stunnel,,app:application"), "--programs (FAILOVER_PROGRAMS)",
            List.of("group:name")),
        Arguments.of(List.of("--supervisor-timeout", "500ms"), "--supervisor-timeout (SUPERVISOR_TIMEOUT)",
            List.of("at least 1s")),
        Arguments.of(List.of("--supervisor-password", "hunter2-secret"), "--supervisor-user (SUPERVISOR_USERNAME)",
            List.of("required")),
        Arguments.of(List.of("--supervisor-url", "https://127.0.0.1:9001"),
            "--supervisor-url (SUPERVISOR_SERVER_URL)", List.of("http://host:port")),
        Arguments.of(List.of("--supervisor-url", "http://admin:hunter2-secret@127.0.0.1:9001"),
            "--supervisor-url (SUPERVISOR_SERVER_URL)", List.of("--supervisor-user")),
        Arguments.of(List.of("--supervisor-user", "admin"), "--supervisor-password (SUPERVISOR_PASSWORD)",
            List.of("required")),
        // Issue 9, defect 8: credentials in the probe URL are refused, never echoed.
        Arguments.of(List.of("--cloudlookup-url", "https://user:p@ss hunter2-secret@localhost:8443/x"),
            "--cloudlookup-url (EXT_CLOUD_LOOKUP_URL)",
            List.of("'https://****@localhost:8443/x'", "credentials")),
        Arguments.of(List.of("--no-such-flag"), "--no-such-flag", List.of("--help")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFlags")
  void run_badFlag_exits2NamingSettingValueAndRule(List<String> args, String setting,
      List<String> mentions) {
    int code = run(baseEnv(), args);

    assertThat(code).isEqualTo(2);
    assertThat(stderr()).contains(setting);
    for (String m : mentions) {
      assertThat(stderr()).contains(m);
    }
    assertThat(stderr()).doesNotContain("hunter2-secret");
    assertThat(out.toString(StandardCharsets.UTF_8)).as("nothing is logged before config is valid")
        .isEmpty();
  }

  @Test
  void issue9_supervisorPasswordFlag_warnsInsecureSettingWithoutThePassword() {
    RecordingEventLog events = new RecordingEventLog();
    Cli cli = new Cli(baseEnv(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0), events);

    int code = cli.run("--supervisor-user", "admin", "--supervisor-password", "hunter2-secret");

    assertThat(code).as(stderr()).isEqualTo(0);
    assertThat(events.named("insecure_setting")).singleElement().satisfies(e -> {
      assertThat(e.level()).isEqualTo(Event.Level.WARN);
      assertThat(e.message()).contains("--supervisor-password", "SUPERVISOR_PASSWORD", "ps")
          .doesNotContain("hunter2-secret");
    });
  }

  @Test
  void issue9_supervisorPasswordVariable_noWarning() {
    RecordingEventLog events = new RecordingEventLog();
    Map<String, String> env = baseEnv();
    env.put("SUPERVISOR_USERNAME", "admin");
    env.put("SUPERVISOR_PASSWORD", "hunter2-secret");
    Cli cli = new Cli(env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0), events);

    assertThat(cli.run()).as(stderr()).isEqualTo(0);
    assertThat(events.names()).contains("startup").doesNotContain("insecure_setting");
  }

  @Test
  void run_failoverListMissing_exits2SayingItIsRequired() {
    Map<String, String> env = baseEnv();
    env.remove("EXT_CLOUD_FAILOVER_LIST");
    assertThat(run(env, List.of())).isEqualTo(2);
    assertThat(stderr()).contains("--failover-list (EXT_CLOUD_FAILOVER_LIST)", "required");
  }

  @Test
  void run_orgIdMissingWhileUrlUsesIt_exits2NamingOrgId() {
    Map<String, String> env = baseEnv();
    env.remove("CONNECTION_KEEPALIVE_ORG_ID");
    assertThat(run(env, List.of())).isEqualTo(2);
    assertThat(stderr()).contains("--org-id (CONNECTION_KEEPALIVE_ORG_ID)", "{orgId}");
  }

  @Test
  void run_orgIdMissingButUrlDoesNotUseIt_isAccepted() {
    Map<String, String> env = baseEnv();
    env.remove("CONNECTION_KEEPALIVE_ORG_ID");
    env.remove("CONNECTION_KEEPALIVE_TXN_ID");
    env.put("EXT_CLOUD_LOOKUP_URL", "http://127.0.0.1:1/health");
    // The latch is already open, so a valid configuration starts and stops at once: exit 0.
    assertThat(run(env, List.of())).isEqualTo(0);
    assertThat(stderr()).isEmpty();
  }

  @Test
  void run_badEnvironmentValue_exits2NamingTheVariable() {
    Map<String, String> env = baseEnv();
    env.put("FAILOVER_INTERVAL", "soon");
    assertThat(run(env, List.of())).isEqualTo(2);
    assertThat(stderr()).contains("FAILOVER_INTERVAL", "'soon'");
  }

  @Test
  void run_flagWinsOverEnvironment() {
    Map<String, String> env = baseEnv();
    env.put("FAILOVER_INTERVAL", "soon");
    List<String> args = new ArrayList<>(List.of("--interval", "10s"));
    assertThat(run(env, args)).as(stderr()).isEqualTo(0);
  }

  @Test
  void run_help_exits0AndListsEveryEnvironmentVariable() {
    assertThat(run(Map.of(), List.of("--help"))).isEqualTo(0);
    String help = out.toString(StandardCharsets.UTF_8);
    for (var s : org.regionfailover.config.Setting.values()) {
      assertThat(help).contains(s.flag(), s.env());
    }
  }

  @Test
  void run_version_exits0WithTheVersion() {
    assertThat(run(Map.of(), List.of("--version"))).isEqualTo(0);
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("region-failover ").doesNotContain("unknown");
  }
}
