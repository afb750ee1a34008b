package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.regionfailover.PemFiles;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.config.Setting;
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

  private Map<String, String> baseEnv() {
    return baseEnv(dir);
  }

  /** A valid base configuration in {@code dir}, so that each case breaks exactly one thing. */
  static Map<String, String> baseEnv(Path dir) {
    Map<String, String> env = new HashMap<>();
    env.put("EXT_CLOUD_FAILOVER_LIST", LIST);
    env.put("CONNECTION_KEEPALIVE_ORG_ID", "org-1");
    env.put("CONNECTION_KEEPALIVE_TXN_ID", "txn-1");
    env.put("EXT_CLOUD_ENV_FILE", dir.resolve("ext_cloud.env").toString());
    // Nothing listens there: a valid configuration waits for supervisord, and the open
    // stop latch ends that wait at once with exit 0.
    env.put("SUPERVISOR_SERVER_URL", "unix://" + dir.resolve("no-supervisord.sock"));
    // A valid configuration binds the status server: a free port, never the default.
    env.put("FAILOVER_LISTEN", "127.0.0.1:0");
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
            List.of("'10s' is not valid", "below the interval 10s")),
        Arguments.of(List.of("--interval", "30s", "--outage-threshold", "20s"),
            "--outage-threshold (FAILOVER_OUTAGE_THRESHOLD)",
            List.of("'20s' is not valid", "at least the interval 30s")),
        // As typed (issue 29), not as java.time prints it ('PT5S').
        Arguments.of(List.of("--outage-threshold", "5s"),
            "--outage-threshold (FAILOVER_OUTAGE_THRESHOLD)",
            List.of("'5s' is not valid", "at least the interval 10s")),
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
    assertThat(stderr()).as("durations as operators write them, not java.time's PT5S")
        .doesNotContainPattern("(?<!ISO-8601 )\\bPT\\d");
    assertThat(out.toString(StandardCharsets.UTF_8)).as("nothing is logged before config is valid")
        .isEmpty();
  }

  /**
   * One bad value of issue 9 (defects 8 and 10): {@code env} entries replace the base
   * environment's ({@code {dir}} is the test's directory), {@code args} are the flags;
   * the message must name {@code setting} and show {@code shown}, and never {@code secret}.
   */
  record Bad(String name, Map<String, String> env, List<String> args, String setting,
      String shown, String secret) {
    static Bad env(String variable, String value, String setting, String shown) {
      return new Bad(variable + "=" + value, Map.of(variable, value), List.of(), setting, shown, null);
    }

    static Bad flag(String flag, String value, String setting, String shown) {
      return new Bad(flag + " " + value, Map.of(), List.of(flag, value), setting, shown, null);
    }

    Bad secret(String text) {
      return new Bad(name, env, args, setting, shown, text);
    }

    @Override
    public String toString() {
      String n = name.replace("\n", "\\n").replace("\t", "\\t").replace(" ", "␣");
      return n.length() > 80 ? n.substring(0, 80) + "..." : n;
    }
  }

  private static final String OUTAGE = "--outage-threshold (FAILOVER_OUTAGE_THRESHOLD)";
  private static final String TLS = "--tls-timeout (FAILOVER_TLS_TIMEOUT)";
  private static final String ENV_FILE = "--env-file (EXT_CLOUD_ENV_FILE)";
  private static final String FLIST = "--failover-list (EXT_CLOUD_FAILOVER_LIST)";
  private static final String URL = "--cloudlookup-url (EXT_CLOUD_LOOKUP_URL)";

  static List<Bad> issue9BadValues() {
    List<Bad> cases = new ArrayList<>(List.of(
        // Durations: an upper bound (7 days) instead of an overflow, and checked in every command.
        Bad.env("FAILOVER_OUTAGE_THRESHOLD", "999999999h", OUTAGE, "'999999999h'"),
        Bad.env("FAILOVER_OUTAGE_THRESHOLD", "P8D", OUTAGE, "'P8D'"),
        Bad.env("FAILOVER_INTERVAL", "169h", "--interval (FAILOVER_INTERVAL)", "'169h'"),
        Bad.env("SUPERVISOR_TIMEOUT", "999999999m", "--supervisor-timeout (SUPERVISOR_TIMEOUT)",
            "'999999999m'"),
        Bad.env("FAILOVER_TLS_TIMEOUT", "10x", TLS, "'10x'"),
        Bad.env("FAILOVER_TLS_TIMEOUT", "0s", TLS, "'0s'"),
        Bad.env("FAILOVER_TLS_TIMEOUT", "-1s", TLS, "'-1s'"),
        Bad.flag("--tls-timeout", "8d", TLS, "'8d'"),
        // The env file's directory must be writable (tests run as root: /proc is not).
        Bad.env("EXT_CLOUD_ENV_FILE", "/proc/ext_cloud.env", ENV_FILE, "'/proc/ext_cloud.env'"),
        Bad.env("EXT_CLOUD_ENV_FILE", "/proc/region-failover-test/ext_cloud.env", ENV_FILE,
            "'/proc/region-failover-test/ext_cloud.env'"),
        Bad.env("EXT_CLOUD_ENV_FILE", "{dir}/a-file/ext_cloud.env", ENV_FILE, "/a-file/ext_cloud.env'"),
        // Failover-list hosts: a DNS name or IP literal, valid port, unique.
        Bad.env("EXT_CLOUD_FAILOVER_LIST", "NAM=a.test:99999,EU=b.test", FLIST, "'NAM=a.test:99999'"),
        Bad.env("EXT_CLOUD_FAILOVER_LIST", "NAM=:::,EU=b.test", FLIST, "'NAM=:::'"),
        Bad.env("EXT_CLOUD_FAILOVER_LIST", "NAM=-oProxyCommand,EU=b.test", FLIST, "'NAM=-oProxyCommand'"),
        Bad.env("EXT_CLOUD_FAILOVER_LIST", "NAM=" + "a".repeat(100_000) + ",EU=b.test", FLIST,
            "(100004 characters)"),
        Bad.env("EXT_CLOUD_FAILOVER_LIST", "NAM=a.test,EU=A.TEST", FLIST, "'EU=A.TEST'"),
        Bad.env("EXT_CLOUD_FAILOVER_LIST", "NAM=a.test,EU=a.test:443", FLIST, "'EU=a.test:443'"),
        Bad.env("EXT_CLOUD_FAILOVER_LIST", "NAM=a.test,nam=b.test", FLIST, "'nam=b.test'"),
        Bad.env("EXT_CLOUD_FAILOVER_LIST", "NAM=999.1.1.1", FLIST, "'NAM=999.1.1.1'"),
        Bad.env("EXT_CLOUD_FAILOVER_LIST", "NAM=a_b.test", FLIST, "'NAM=a_b.test'"),
        // DD_API_KEY: printable ASCII, never blank, never shown.
        Bad.env("DD_API_KEY", "0123SECRETKEY\nabcd", "DD_API_KEY", "not shown").secret("SECRETKEY"),
        Bad.env("DD_API_KEY", "0123SECRETKEY\u00e9", "DD_API_KEY", "not shown").secret("SECRETKEY"),
        Bad.env("DD_API_KEY", "0123 SECRETKEY", "DD_API_KEY", "not shown").secret("SECRETKEY"),
        Bad.env("DD_API_KEY", " ", "DD_API_KEY", "not shown"),
        Bad.env("DD_API_KEY", "", "DD_API_KEY", "not shown"),
        // Control characters are escaped, never echoed raw.
        Bad.env("FAILOVER_INTERVAL", "10\ns", "--interval (FAILOVER_INTERVAL)", "'10\\ns'"),
        Bad.flag("--region", "EU\nFORGED", "--region (FAILOVER_REGION)", "'EU\\nFORGED'"),
        Bad.env("DD_HOSTNAME", "host\tname", "--dd-hostname (DD_HOSTNAME)", "'host\\tname'"),
        Bad.env("DD_ENV", "prod\u001b[31m", "--dd-env (DD_ENV)", "'prod\\u001B[31m'"),
        Bad.env("EXT_CLOUD_FAILOVER_LIST", "NAM=a.test,\nEU=b.test", FLIST, "\\nEU=b.test'"),
        // Credentials in URLs: refused, and masked up to the last '@', spaces included.
        Bad.env("EXT_CLOUD_LOOKUP_URL", "https://user:S3CR3T@localhost:8443/v2/{orgId}", URL,
            "'https://****@localhost:8443/v2/{orgId}'").secret("S3CR3T"),
        Bad.env("EXT_CLOUD_LOOKUP_URL", "https://user:p@ssS3CR3T@localhost:8443/x", URL,
            "'https://****@localhost:8443/x'").secret("S3CR3T"),
        Bad.env("EXT_CLOUD_LOOKUP_URL", "https://user:my S3CR3T@localhost/x", URL,
            "'https://****@localhost/x'").secret("S3CR3T"),
        Bad.env("EXT_CLOUD_LOOKUP_URL", "https://user:pa/S3CR3T@localhost/x", URL,
            "'https://****@localhost/x'").secret("S3CR3T"),
        Bad.env("EXT_CLOUD_LOOKUP_URL", "user:S3CR3T@localhost:8443/x", URL,
            "'****@localhost:8443/x'").secret("S3CR3T"),
        Bad.env("SUPERVISOR_SERVER_URL", "http://admin:p@ss S3CR3T@127.0.0.1:9001",
            "--supervisor-url (SUPERVISOR_SERVER_URL)", "'http://****@127.0.0.1:9001'").secret("S3CR3T"),
        Bad.env("DD_LOGS_URL", "http://u:S3CR3T@intake .test", "--dd-logs-url (DD_LOGS_URL)",
            "'http://****@intake .test'").secret("S3CR3T")));
    // An explicitly empty or blank value is an error for every setting, never the default.
    for (Setting s : Setting.values()) {
      String shown = s.isSecret() ? "not shown" : "''";
      if (s.hasFlag()) {
        cases.add(s.isBoolean() ? new Bad(s.flag() + "=", Map.of(), List.of(s.flag() + "="),
                s.label(), shown, null)
            : Bad.flag(s.flag(), "", s.label(), shown));
      }
      cases.add(Bad.env(s.env(), "", s.label(), shown));
      cases.add(Bad.env(s.env(), " \t", s.label(), s.isSecret() ? shown : "' \\t'"));
    }
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("issue9BadValues")
  void issue9_badValue_exits2NamingSetting(Bad bad) throws Exception {
    Files.writeString(dir.resolve("a-file"), "not a directory");
    Map<String, String> env = baseEnv();
    bad.env().forEach((k, v) -> env.put(k, v.replace("{dir}", dir.toString())));

    int code = run(env, bad.args());

    String message = stderr();
    assertThat(code).as(message).isEqualTo(2);
    assertThat(message).as("one line").endsWith("\n").hasLineCount(1);
    assertThat(message).startsWith("region-failover: " + bad.setting() + ": ")
        .contains(bad.shown()).hasSizeLessThan(1000);
    if (bad.secret() != null) {
      assertThat(message).doesNotContain(bad.secret());
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  private static final String REGION_PROBE = "--region-probe (EXT_CLOUD_REGION_PROBE)";
  private static final String REGION_INTERVAL = "--region-interval (FAILOVER_REGION_INTERVAL)";

  /** Issue 10: the direct probe of the regions and its cadence. */
  static List<Bad> issue10BadValues() {
    return List.of(
        Bad.env("EXT_CLOUD_REGION_PROBE", "ftp://x", REGION_PROBE, "'ftp://x'"),
        Bad.env("EXT_CLOUD_REGION_PROBE", "tcp://{host}", REGION_PROBE, "'tcp://{host}'"),
        Bad.env("EXT_CLOUD_REGION_PROBE", "tls://{host}:0", REGION_PROBE, "'tls://{host}:0'"),
        Bad.env("EXT_CLOUD_REGION_PROBE", "tls://{host}:70000", REGION_PROBE,
            "'tls://{host}:70000'"),
        Bad.env("EXT_CLOUD_REGION_PROBE", "", REGION_PROBE, "''"),
        Bad.flag("--region-probe", "tcp://{host}:65536", REGION_PROBE, "'tcp://{host}:65536'"),
        Bad.flag("--region-probe", "https://{host}/{zone}", REGION_PROBE, "{zone}"),
        Bad.flag("--region-probe", "https://u:S3CR3T@{host}/x", REGION_PROBE, "'https://****@{host}/x'")
            .secret("S3CR3T"),
        // Below the interval (10 s by default), zero, not a duration.
        Bad.env("FAILOVER_REGION_INTERVAL", "5s", REGION_INTERVAL, "at least the interval"),
        Bad.env("FAILOVER_REGION_INTERVAL", "0s", REGION_INTERVAL, "'0s'"),
        Bad.env("FAILOVER_REGION_INTERVAL", "x", REGION_INTERVAL, "'x'"),
        Bad.flag("--region-interval", "8d", REGION_INTERVAL, "'8d'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("issue10BadValues")
  void issue10_badRegionProbeValue_exits2NamingSetting(Bad bad) throws Exception {
    issue9_badValue_exits2NamingSetting(bad);
  }

  private static final String LISTEN = "--listen (FAILOVER_LISTEN)";
  private static final String HTPASSWD = "--htpasswd (FAILOVER_HTPASSWD)";
  private static final String TLS_PAIR = "--tls-cert (FAILOVER_TLS_CERT) / --tls-key (FAILOVER_TLS_KEY)";
  private static final String TLS_KEY = "--tls-key (FAILOVER_TLS_KEY)";
  /** An Apache MD5 hash: it must never be shown, only its line and user. */
  private static final String APR1 = "$apr1$8sR5xVxV$6gzDJS/4MLvsWJ8K3Gy3Z1";

  /**
   * Issue 11: the status server's settings. {@code {dir}} files are made by the test:
   * {@code good.htpasswd} (bcrypt), {@code apr1.htpasswd} (an MD5 entry on line 3),
   * {@code plain.htpasswd} (a password in plain text), an RSA certificate and PKCS#8 key
   * ({@code rsa.pem}, {@code rsa.key}), the same key as PKCS#1 ({@code rsa.key.traditional})
   * and the key of another certificate ({@code other.key}).
   */
  static List<Bad> issue11BadValues() {
    return List.of(
        Bad.env("FAILOVER_LISTEN", "9180", LISTEN, "'9180'"),
        Bad.env("FAILOVER_LISTEN", "127.0.0.1", LISTEN, "host:port"),
        Bad.flag("--listen", "127.0.0.1:70000", LISTEN, "0 to 65535"),
        Bad.flag("--listen", "[::1]", LISTEN, "'[::1]'"),
        Bad.flag("--listen", "::1:9180", LISTEN, "[addr]:port"),
        Bad.env("FAILOVER_LISTEN", "yes", LISTEN, "or off"),
        // Beyond loopback: a password file and TLS, both.
        Bad.env("FAILOVER_LISTEN", "0.0.0.0:9180", LISTEN,
            "needs --htpasswd and TLS (--tls-cert and --tls-key)"),
        new Bad("0.0.0.0 with htpasswd only", Map.of("FAILOVER_LISTEN", "0.0.0.0:9180",
            "FAILOVER_HTPASSWD", "{dir}/good.htpasswd"), List.of(), LISTEN, "needs TLS", null),
        new Bad("[::] with TLS only", Map.of("FAILOVER_TLS_CERT", "{dir}/rsa.pem",
            "FAILOVER_TLS_KEY", "{dir}/rsa.key"), List.of("--listen", "[::]:9180"), LISTEN,
            "needs --htpasswd", null),
        new Bad("cert without key", Map.of("FAILOVER_TLS_CERT", "{dir}/rsa.pem"), List.of(),
            TLS_PAIR, "--tls-cert is set but --tls-key is not", null),
        new Bad("key without cert", Map.of(), List.of("--tls-key", "{dir}/rsa.key"), TLS_PAIR,
            "--tls-key is set but --tls-cert is not", null),
        Bad.env("FAILOVER_HTPASSWD", "{dir}/missing.htpasswd", HTPASSWD, "no such file"),
        Bad.env("FAILOVER_HTPASSWD", "{dir}", HTPASSWD, "expected a readable htpasswd file"),
        Bad.env("FAILOVER_HTPASSWD", "{dir}/apr1.htpasswd", HTPASSWD,
            "line 3 (user 'bob'): an Apache MD5 hash").secret(APR1),
        Bad.env("FAILOVER_HTPASSWD", "{dir}/apr1.htpasswd", HTPASSWD, "htpasswd -B -C 10")
            .secret("8sR5xVxV"),
        Bad.env("FAILOVER_HTPASSWD", "{dir}/plain.htpasswd", HTPASSWD,
            "line 1 (user 'carol'): not a hash").secret("hunter2-plain"),
        // Cost 31 hung start-up for ever (the unknown users' dummy hash is made at it).
        Bad.env("FAILOVER_HTPASSWD", "{dir}/slow.htpasswd", HTPASSWD,
            "line 2 (user 'dave'): cost 31 is too slow to check; use htpasswd -B -C 10")
            .secret("8vClbRII6WiJdKucNpOry"),
        Bad.env("FAILOVER_TLS_CERT", "{dir}/missing.pem", "--tls-cert (FAILOVER_TLS_CERT)",
            "no such file"),
        new Bad("PKCS#1 key", Map.of("FAILOVER_TLS_CERT", "{dir}/rsa.pem", "FAILOVER_TLS_KEY",
            "{dir}/rsa.key.traditional"), List.of(), TLS_KEY,
            "openssl pkcs8 -topk8 -nocrypt -in ", "PRIVATE KEY-----\n"),
        new Bad("key of another certificate", Map.of("FAILOVER_TLS_CERT", "{dir}/rsa.pem",
            "FAILOVER_TLS_KEY", "{dir}/other.key"), List.of(), TLS_PAIR, "does not belong",
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("issue11BadValues")
  void issue11_badListenerValue_exits2NamingSetting(Bad bad) throws Exception {
    String bcrypt = "$2y$05$8vClbRII6WiJdKucNpOry.QW0HCJqxoqz4F6DZ/WK4J6CPx6m7m7u"; // htpasswd -B -C 5
    Files.writeString(dir.resolve("good.htpasswd"), "alice:" + bcrypt + "\n");
    Files.writeString(dir.resolve("apr1.htpasswd"), "alice:" + bcrypt + "\n\nbob:" + APR1 + "\n");
    Files.writeString(dir.resolve("plain.htpasswd"), "carol:hunter2-plain\n");
    Files.writeString(dir.resolve("slow.htpasswd"), "alice:" + bcrypt + "\ndave:"
        + bcrypt.replace("$05$", "$31$") + "\n");
    if (bad.env().values().stream().anyMatch(v -> v.contains(".pem") || v.contains(".key"))
        || bad.args().stream().anyMatch(v -> v.contains(".key"))) {
      PemFiles rsa = PemFiles.rsa(dir, "rsa");
      rsa.traditionalKey();
      Files.move(PemFiles.rsa(dir, "another").key(), dir.resolve("other.key"));
    }
    List<String> args = bad.args().stream().map(a -> a.replace("{dir}", dir.toString())).toList();
    issue9_badValue_exits2NamingSetting(new Bad(bad.name(), bad.env(), args, bad.setting(),
        bad.shown(), bad.secret()));
  }

  @Test
  void issue11_listenAddressInUse_exits2NamingTheSettingAndAddress() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      Map<String, String> env = baseEnv();
      String address = "127.0.0.1:" + taken.getLocalPort();
      env.put("FAILOVER_LISTEN", address);
      RecordingEventLog events = new RecordingEventLog();
      Cli cli = new Cli(env, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0), events);

      int code = cli.run();

      assertThat(code).as(stderr()).isEqualTo(2);
      assertThat(stderr()).hasLineCount(1)
          .startsWith("region-failover: " + LISTEN + ": '" + address + "' is not valid; ")
          .contains("in use");
      assertThat(events.names()).containsExactly("startup", "startup_failed");
    }
  }

  @Test
  void issue11_beyondLoopbackWithHtpasswdAndTls_listensOverHttps() throws Exception {
    Path htpasswd = dir.resolve("htpasswd");
    org.regionfailover.HtpasswdTool.add(htpasswd, "alice", "pw", "-B", "-C", "5");
    PemFiles pem = PemFiles.ec(dir, "server");
    Map<String, String> env = baseEnv();
    env.put("FAILOVER_LISTEN", "0.0.0.0:0");
    env.put("FAILOVER_HTPASSWD", htpasswd.toString());
    env.put("FAILOVER_TLS_CERT", pem.cert().toString());
    env.put("FAILOVER_TLS_KEY", pem.key().toString());
    RecordingEventLog events = new RecordingEventLog();
    Cli cli = new Cli(env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0), events);

    assertThat(cli.run()).as(stderr()).isZero();
    assertThat(events.named("listening")).singleElement().satisfies(e -> {
      assertThat(e.fields().get("url").toString()).startsWith("https://0.0.0.0:");
      assertThat(e.fields()).containsEntry("tls", true).containsEntry("manual_control", true);
    });
  }

  @Test
  void issue11_validListener_logsListeningBeforeWaitingForSupervisord() throws Exception {
    RecordingEventLog events = new RecordingEventLog();
    Cli cli = new Cli(baseEnv(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0), events);

    assertThat(cli.run()).as(stderr()).isZero();
    assertThat(events.names()).startsWith("startup", "listening");
    assertThat(events.named("listening").get(0).fields().get("url").toString())
        .matches("http://127\\.0\\.0\\.1:[0-9]+/");
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
