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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings file ({@code --config}) and its sets directory through the command line:
 * precedence, and every bad input an exit 2 with one line naming file, line and key.
 */
class SettingsFileCliTest {
  private static final String LIST =
      "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com,APAC=cloud.apac.ext.com";

  @TempDir Path dir;
  private Path config;
  private Path sets;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    config = dir.resolve("region-failover.env");
    sets = dir.resolve("sets.d");
    Files.createDirectories(dir.resolve("a"));
    Files.createDirectories(dir.resolve("b"));
    // The loop finds no supervisord and, with its stop latch open, exits 0 at once.
    env.put("SUPERVISOR_SERVER_URL", "unix://" + dir.resolve("no-supervisord.sock"));
    env.put("FAILOVER_LISTEN", "127.0.0.1:0");
  }

  /** A valid settings file, then {@code extra} lines. */
  private void writeConfig(String... extra) throws Exception {
    List<String> lines = new ArrayList<>(List.of(
        "# region-failover settings",
        "export EXT_CLOUD_FAILOVER_LIST=" + LIST,
        "CONNECTION_KEEPALIVE_ORG_ID=\"org-1\"",
        "CONNECTION_KEEPALIVE_TXN_ID='txn-1'",
        "EXT_CLOUD_ENV_FILE=" + dir.resolve("ext_cloud.env")));
    lines.addAll(List.of(extra));
    Files.write(config, lines);
  }

  private Path writeSet(String name, String... lines) throws Exception {
    Files.createDirectories(sets);
    return Files.write(sets.resolve(name), List.of(lines));
  }

  private int run(String... args) {
    Cli cli = new Cli(env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0));
    return cli.run(args);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private List<String> stderrLines() {
    return err.toString(StandardCharsets.UTF_8).lines().toList();
  }

  /** The loop refuses to start: exit 2, and one line on stderr, returned. */
  private String startFailsWithOneLine() {
    int code = run("--config", config.toString());
    assertThat(code).as(String.join("\n", stderrLines())).isEqualTo(2);
    assertThat(stderrLines()).hasSize(1);
    return stderrLines().get(0);
  }

  @Test
  void validFile_runsTheLoop_andCheckOfflineSaysOneDefaultSet() throws Exception {
    writeConfig();

    assertThat(run("--config", config.toString())).as(err.toString()).isZero();
    assertThat(run("check", "--offline", "--config", config.toString()))
        .as(err.toString()).isZero();
    assertThat(stdout()).contains("set default: order NAM > EU > APAC; env file "
        + dir.resolve("ext_cloud.env"), "OK: 1 set valid in " + config);
  }

  @Test
  void configFromTheEnvironment_isReadToo() throws Exception {
    writeConfig("FAILOVER_REGION=APAC");
    env.put("FAILOVER_CONFIG", config.toString());

    assertThat(run("check", "--offline")).as(err.toString()).isZero();
    assertThat(stdout()).contains("order APAC > NAM > EU");
  }

  @Test
  void precedence_commandLineThenFileThenEnvironmentThenDefault() throws Exception {
    writeConfig();
    assertThat(run("check", "--offline", "--config", config.toString())).isZero();
    assertThat(stdout()).as("default: the list's order").contains("order NAM > EU > APAC");

    env.put("FAILOVER_REGION", "EU");
    assertThat(run("check", "--offline", "--config", config.toString())).isZero();
    assertThat(stdout()).as("environment over default").contains("order EU > NAM > APAC");

    writeConfig("FAILOVER_REGION=APAC");
    out.reset();
    assertThat(run("check", "--offline", "--config", config.toString())).isZero();
    assertThat(stdout()).as("file over environment").contains("order APAC > NAM > EU");

    out.reset();
    assertThat(run("check", "--offline", "--config", config.toString(), "--region", "NAM"))
        .isZero();
    assertThat(stdout()).as("command line over file").contains("order NAM > EU > APAC");
  }

  @Test
  void badValueFromTheFile_namesFileLineAndKey() throws Exception {
    writeConfig("", "FAILOVER_INTERVAL=5x");

    assertThat(startFailsWithOneLine()).startsWith("region-failover: " + config
        + ":7: FAILOVER_INTERVAL (--interval): '5x' is not valid; expected");
  }

  @Test
  void badValueFromTheEnvironment_isNamedAsBefore_notAtAFileLine() throws Exception {
    writeConfig();
    env.put("FAILOVER_INTERVAL", "5x");

    assertThat(startFailsWithOneLine())
        .startsWith("region-failover: --interval (FAILOVER_INTERVAL): '5x' is not valid");
  }

  @Test
  void unknownKey_namesFileLineAndKey_withTheClosestKnownOne() throws Exception {
    writeConfig("FAILOVER_INTERVALL=10s");

    assertThat(startFailsWithOneLine()).isEqualTo("region-failover: " + config
        + ":6: FAILOVER_INTERVALL: unknown setting; did you mean FAILOVER_INTERVAL? (a mistyped"
        + " key would leave the default in force)");
  }

  @Test
  void unknownKey_farFromEveryKnownOne_getsNoSuggestion() throws Exception {
    writeConfig("HTTPS_PROXY=http://proxy:3128");

    assertThat(startFailsWithOneLine()).startsWith("region-failover: " + config
        + ":6: HTTPS_PROXY: unknown setting; the keys are").doesNotContain("did you mean");
  }

  @Test
  void launcherVariableInTheFile_saysWhereItBelongs() throws Exception {
    writeConfig("JAVA_OPTS=-Xmx64m");

    assertThat(startFailsWithOneLine()).startsWith("region-failover: " + config
        + ":6: JAVA_OPTS: read from the process environment only");
  }

  @Test
  void configKeyInTheFile_isAnError() throws Exception {
    writeConfig("FAILOVER_CONFIG=/etc/other.env");

    assertThat(startFailsWithOneLine()).startsWith("region-failover: " + config
        + ":6: FAILOVER_CONFIG: not allowed in a settings file");
  }

  @Test
  void malformedLine_namesFileLineAndKey() throws Exception {
    writeConfig("FAILOVER_INTERVAL 10s");

    assertThat(startFailsWithOneLine()).startsWith("region-failover: " + config
        + ":6: FAILOVER_INTERVAL: the line is not KEY=VALUE");
  }

  @Test
  void emptyValueInTheFile_isAnError_notTheDefault() throws Exception {
    writeConfig("FAILOVER_INTERVAL=");

    assertThat(startFailsWithOneLine()).startsWith("region-failover: " + config
        + ":6: FAILOVER_INTERVAL (--interval): '' is not valid; an empty value is an error");
  }

  @Test
  void missingOrEmptyConfig_isExit2NamingIt() throws Exception {
    assertThat(run("--config", dir.resolve("nope.env").toString())).isEqualTo(2);
    assertThat(stderrLines()).containsExactly("region-failover: --config (FAILOVER_CONFIG): cannot"
        + " read " + dir.resolve("nope.env") + ": there is no such file");

    err.reset();
    assertThat(run("check", "--config", "")).isEqualTo(2);
    assertThat(stderrLines()).singleElement().asString()
        .startsWith("region-failover: --config (FAILOVER_CONFIG): '' is not valid");
  }

  @Test
  void demoTakesNoSettingsFile() throws Exception {
    writeConfig();
    assertThat(run("demo", "--config", config.toString())).isEqualTo(2);
  }

  @Test
  void checkOffline_listsEveryProblem_oneLineEach() throws Exception {
    writeConfig(
        "FAILOVER_INTERVALL=10s",
        "FAILOVER_FAILURE_RATIO=7",
        "FAILOVER_FAILBACK=sometimes",
        "DD_SITE datadoghq.eu",
        "FAILOVER_MAX_TRANSITIONS=lots");

    assertThat(run("check", "--offline", "--config", config.toString())).isEqualTo(2);

    assertThat(stderrLines()).containsSubsequence(
        "region-failover: " + config + ":9: DD_SITE: the line is not KEY=VALUE; expected"
            + " KEY=VALUE (no spaces around '='), a # comment or a blank line",
        "region-failover: " + config + ":6: FAILOVER_INTERVALL: unknown setting; did you mean"
            + " FAILOVER_INTERVAL? (a mistyped key would leave the default in force)");
    assertThat(stderrLines()).anySatisfy(l -> assertThat(l).startsWith("region-failover: "
        + config + ":7: FAILOVER_FAILURE_RATIO (--failure-ratio): '7' is not valid"));
    assertThat(stderrLines()).anySatisfy(l -> assertThat(l).startsWith("region-failover: "
        + config + ":8: FAILOVER_FAILBACK (--failback): 'sometimes' is not valid"));
    assertThat(stderrLines()).anySatisfy(l -> assertThat(l).startsWith("region-failover: "
        + config + ":10: FAILOVER_MAX_TRANSITIONS (--max-transitions): 'lots' is not valid"));
    assertThat(stderrLines()).hasSize(6).last().isEqualTo("region-failover check: 5 problems found");
    assertThat(stdout()).isEmpty();
  }

  @Test
  void checkOffline_reportsRulesBetweenSettingsOnceEachSettingIsValid() throws Exception {
    writeConfig("FAILOVER_INTERVAL=30s", "FAILOVER_OUTAGE_THRESHOLD=20s");

    assertThat(run("check", "--offline", "--config", config.toString())).isEqualTo(2);
    assertThat(stderrLines()).first().asString().startsWith("region-failover: " + config
        + ":7: FAILOVER_OUTAGE_THRESHOLD (--outage-threshold): '20s' is not valid; it must"
        + " be at least the interval 30s");
  }

  @Test
  void checkOffline_aConsequenceOfABadValueIsNotReportedAsASecondProblem() throws Exception {
    // The probe timeout is checked against the interval: with the interval bad, that rule
    // would compare against the default, not against what the operator meant.
    writeConfig("FAILOVER_INTERVAL=soon", "FAILOVER_PROBE_TIMEOUT=20s");

    assertThat(run("check", "--offline", "--config", config.toString())).isEqualTo(2);
    assertThat(stderrLines()).hasSize(2).first().asString()
        .contains(":6: FAILOVER_INTERVAL (--interval): 'soon'");
  }

  @Test
  void checkOffline_findsWhatFollowsAMissingRequiredValue_andClashesBetweenSets()
      throws Exception {
    Files.write(config, List.of("EXT_CLOUD_FAILOVER_LIST=" + LIST,
        "EXT_CLOUD_ENV_FILE=" + dir.resolve("no-such-dir/ext_cloud.env")));
    Path a = writeSet("a.env", "FAILOVER_PROGRAMS=app:x");
    Path b = writeSet("b.env", "FAILOVER_PROGRAMS=app:x", "FAILOVER_INTERVAL=5x");

    assertThat(run("check", "--offline", "--config", config.toString())).isEqualTo(2);

    assertThat(stderrLines()).contains(
        "region-failover: --org-id (CONNECTION_KEEPALIVE_ORG_ID): is required because the"
            + " probe URL https://localhost:8443/v2/{orgId}/cloudlookup/{txnId} uses {orgId}",
        "region-failover: " + b + ":1: FAILOVER_PROGRAMS (--programs): set b (" + b + ":1)"
            + " and set a (" + a + ":1) share the programs app:x; each set needs its own",
        "region-failover: " + config + ":2: EXT_CLOUD_ENV_FILE (--env-file): set b (" + config
            + ":2) and set a (" + config + ":2) share the env file "
            + dir.resolve("no-such-dir/ext_cloud.env") + "; each set needs its own");
    assertThat(stderrLines()).anySatisfy(l -> assertThat(l).startsWith("region-failover: "
        + config + ":2: EXT_CLOUD_ENV_FILE (--env-file): '" + dir.resolve(
            "no-such-dir/ext_cloud.env") + "' is not valid; its directory"));
    assertThat(stderrLines()).anySatisfy(l -> assertThat(l).startsWith("region-failover: "
        + b + ":2: FAILOVER_INTERVAL (--interval): '5x' is not valid"));
  }

  @Test
  void sets_eachNameEnvIsASet_inNameOrder_overTheMainFilesValues() throws Exception {
    writeConfig("FAILOVER_REGION=EU");
    writeSet("b.env", "EXT_CLOUD_ENV_FILE=" + dir.resolve("b/ext_cloud.env"),
        "FAILOVER_PROGRAMS=b:one,b:two");
    writeSet("a.env", "EXT_CLOUD_ENV_FILE=" + dir.resolve("a/ext_cloud.env"),
        "FAILOVER_PROGRAMS=a:one", "FAILOVER_REGION=APAC");
    writeSet("a.env.example", "this is not read");
    writeSet("README", "nor is this");

    assertThat(run("check", "--offline", "--config", config.toString()))
        .as(err.toString()).isZero();
    assertThat(stdout().lines()).containsExactly(
        "set a: order APAC > NAM > EU; env file " + dir.resolve("a/ext_cloud.env"),
        "set b: order EU > NAM > APAC; env file " + dir.resolve("b/ext_cloud.env"),
        "OK: 2 sets valid in " + config);
  }

  @Test
  void sets_theLoopStarts() throws Exception {
    writeConfig();
    writeSet("a.env", "EXT_CLOUD_ENV_FILE=" + dir.resolve("a/ext_cloud.env"),
        "FAILOVER_PROGRAMS=a:one");

    assertThat(run("--config", config.toString())).as(err.toString()).isZero();
  }

  @Test
  void processWideKeyInASetFile_namesFileLineAndKey() throws Exception {
    writeConfig();
    Path a = writeSet("a.env", "EXT_CLOUD_ENV_FILE=" + dir.resolve("a/ext_cloud.env"),
        "FAILOVER_LISTEN=127.0.0.1:9999");

    assertThat(startFailsWithOneLine()).isEqualTo("region-failover: " + a
        + ":2: FAILOVER_LISTEN (--listen): process-wide (shared by every set): give it in the"
        + " main settings file, not in a set's");
  }

  /** Issue 29: one stdout for every set, so its format is the process's. */
  @Test
  void issue29_logFormatInASetFile_isProcessWide() throws Exception {
    writeConfig("FAILOVER_LOG_FORMAT=json");
    Path a = writeSet("a.env", "EXT_CLOUD_ENV_FILE=" + dir.resolve("a/ext_cloud.env"),
        "FAILOVER_LOG_FORMAT=text");

    assertThat(startFailsWithOneLine()).isEqualTo("region-failover: " + a
        + ":2: FAILOVER_LOG_FORMAT (--log-format): process-wide (shared by every set): give it"
        + " in the main settings file, not in a set's");
  }

  @Test
  void issue29_badLogFormatInTheSettingsFile_namesFileLineAndWhatIsAllowed() throws Exception {
    writeConfig("FAILOVER_LOG_FORMAT=pretty");

    assertThat(startFailsWithOneLine()).isEqualTo("region-failover: " + config
        + ":6: FAILOVER_LOG_FORMAT (--log-format): 'pretty'"
        + " is not valid; expected auto, json or text");
  }

  @Test
  void unknownKeyInASetFile_namesFileLineAndKey() throws Exception {
    writeConfig();
    Path a = writeSet("a.env", "FAILOVER_REGON=EU");

    assertThat(startFailsWithOneLine()).startsWith("region-failover: " + a
        + ":1: FAILOVER_REGON: unknown setting; did you mean FAILOVER_REGION?");
  }

  @Test
  void programInTwoSets_namesBothPlaces() throws Exception {
    writeConfig();
    Path a = writeSet("a.env", "EXT_CLOUD_ENV_FILE=" + dir.resolve("a/ext_cloud.env"),
        "FAILOVER_PROGRAMS=app:x");
    Path b = writeSet("b.env", "EXT_CLOUD_ENV_FILE=" + dir.resolve("b/ext_cloud.env"),
        "", "FAILOVER_PROGRAMS=app:y,app:x");

    assertThat(startFailsWithOneLine()).isEqualTo("region-failover: " + b
        + ":3: FAILOVER_PROGRAMS (--programs): set b (" + b + ":3) and set a (" + a + ":2) share"
        + " the programs app:x; each set needs its own");
  }

  @Test
  void envFileInTwoSets_namesBothPlaces_evenWhenBothTakeItFromTheMainFile() throws Exception {
    writeConfig();
    writeSet("a.env", "FAILOVER_PROGRAMS=a:one");
    writeSet("b.env", "FAILOVER_PROGRAMS=b:one");

    assertThat(startFailsWithOneLine()).isEqualTo("region-failover: " + config
        + ":5: EXT_CLOUD_ENV_FILE (--env-file): set b (" + config + ":5) and set a (" + config
        + ":5) share the env file " + dir.resolve("ext_cloud.env") + "; each set needs its own");
  }

  @Test
  void envFileInTwoSets_isFoundThroughDifferentSpellingsOfOnePath() throws Exception {
    writeConfig();
    writeSet("a.env", "FAILOVER_PROGRAMS=a:one",
        "EXT_CLOUD_ENV_FILE=" + dir.resolve("a/ext_cloud.env"));
    writeSet("b.env", "FAILOVER_PROGRAMS=b:one",
        "EXT_CLOUD_ENV_FILE=" + dir.resolve("b/../a/./ext_cloud.env"));

    assertThat(startFailsWithOneLine()).contains("share the env file "
        + dir.resolve("a/ext_cloud.env"));
  }

  @Test
  void badSetName_namesTheFile() throws Exception {
    writeConfig();
    Path bad = writeSet("pay ments.env", "FAILOVER_PROGRAMS=a:one");

    assertThat(startFailsWithOneLine()).startsWith("region-failover: " + bad
        + ": set name 'pay ments' is not valid; a set's name");
  }

  @Test
  void setFileThatIsADirectory_isUnreadable_namedWithItsPath() throws Exception {
    writeConfig();
    Files.createDirectories(sets.resolve("a.env"));

    assertThat(startFailsWithOneLine()).isEqualTo("region-failover: set a: cannot read "
        + sets.resolve("a.env") + ": it is a directory");
  }

  @Test
  void setFileThatIsADanglingLink_isUnreadable_namedWithItsPath() throws Exception {
    writeConfig();
    Files.createDirectories(sets);
    Files.createSymbolicLink(sets.resolve("a.env"), dir.resolve("moved-away.env"));

    assertThat(startFailsWithOneLine()).startsWith("region-failover: set a: cannot read "
        + sets.resolve("a.env") + ": it is a link to nothing");
  }

  @Test
  void emptySetsDirectory_isAnError() throws Exception {
    writeConfig();
    writeSet("a.env.example", "FAILOVER_PROGRAMS=a:one");

    assertThat(startFailsWithOneLine()).isEqualTo("region-failover: " + sets + ": no NAME.env in"
        + " the sets directory: add one file per set, or remove the directory to run one set"
        + " from the settings file");
  }

  @Test
  void explicitSetsDirectory_mustExist() throws Exception {
    writeConfig();

    assertThat(run("--config", config.toString(), "--sets-dir", dir.resolve("none").toString()))
        .isEqualTo(2);
    assertThat(stderrLines()).singleElement().asString().startsWith("region-failover:"
        + " --sets-dir (FAILOVER_SETS_DIR): '" + dir.resolve("none") + "' is not valid; expected"
        + " a directory");
  }

  @Test
  void setsDirectoryInTheFile_isRelativeToTheFile_andSaidAtItsLine() throws Exception {
    writeConfig("FAILOVER_SETS_DIR=my-sets");
    assertThat(startFailsWithOneLine()).startsWith("region-failover: " + config
        + ":6: FAILOVER_SETS_DIR (--sets-dir): 'my-sets' is not valid; expected a directory");

    err.reset();
    Files.createDirectories(dir.resolve("my-sets"));
    Files.write(dir.resolve("my-sets/x.env"), List.of("FAILOVER_PROGRAMS=x:one"));
    assertThat(run("check", "--offline", "--config", config.toString()))
        .as(err.toString()).isZero();
    assertThat(stdout()).contains("set x: order");
  }

  @Test
  void withoutASettingsFile_thereIsNoDefaultSetsDirectory() throws Exception {
    Files.createDirectories(dir.resolve("sets.d"));
    env.put("EXT_CLOUD_FAILOVER_LIST", LIST);
    env.put("CONNECTION_KEEPALIVE_ORG_ID", "org-1");
    env.put("CONNECTION_KEEPALIVE_TXN_ID", "txn-1");
    env.put("EXT_CLOUD_ENV_FILE", dir.resolve("ext_cloud.env").toString());

    assertThat(run("check", "--offline")).as(err.toString()).isZero();
    assertThat(stdout()).contains("set default:").doesNotContain(" in ");
  }

  @Test
  void status_readsTheListenerFromTheFile_andLocatesItsProblems() throws Exception {
    writeConfig("FAILOVER_LISTEN=nowhere");
    env.remove("FAILOVER_LISTEN");

    assertThat(run("status", "--config", config.toString())).isEqualTo(2);
    assertThat(stderrLines()).singleElement().asString().startsWith("region-failover: "
        + config + ":6: FAILOVER_LISTEN (--listen): 'nowhere' is not valid");
  }

  @Test
  void shippedSetExample_copiedAsNameEnv_isAValidSet() throws Exception {
    writeConfig();
    Files.createDirectories(sets);
    Files.copy(Path.of("env/sets.d/payments.env.example"), sets.resolve("payments.env"));
    // Its env file's directory exists on a real host only: the flag, which wins, stands in.
    assertThat(run("check", "--offline", "--config", config.toString(), "--env-file",
        dir.resolve("a/ext_cloud.env").toString())).as(err.toString()).isZero();
    assertThat(stdout()).contains("set payments: order EU > NAM > APAC");
  }

  @Test
  void shippedSetExample_inTheSetsDirectory_isNotASet() throws Exception {
    writeConfig();
    Files.createDirectories(sets);
    Files.copy(Path.of("env/sets.d/payments.env.example"), sets.resolve("payments.env.example"));
    writeSet("a.env", "EXT_CLOUD_ENV_FILE=" + dir.resolve("a/ext_cloud.env"),
        "FAILOVER_PROGRAMS=a:one");

    assertThat(run("check", "--offline", "--config", config.toString()))
        .as(err.toString()).isZero();
    assertThat(stdout()).contains("set a:").doesNotContain("payments");
  }
}
