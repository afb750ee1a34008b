package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.config.Setting;

/**
 * {@code replay} on the recording that ships with the tests (made by the real loop with
 * scripts/record-replay-sample.sh), with no settings: it takes those the recording names in
 * its start-up event, and must decide what the loop decided.
 */
class ReplayCommandTest {
  private static final Path SAMPLE = Path.of("src/test/resources/replay/sample-run.log.gz");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The decisions the loop logs and the replay prints, minus what only the act stage says. */
  private static final Set<String> DECISIONS = Set.of("outage_started", "outage_ended",
      "failover", "failover_completed", "repair", "repair_completed", "failover_blocked",
      "probe_late", "region_probe_unusable");

  private static byte[] plain;
  private static List<JsonNode> recorded;
  private static Map<String, String> recordedSettings;

  @TempDir Path dir;

  /** One run of the command line. */
  record Run(int exit, String stdout, String stderr, RecordingEventLog log) {
    List<JsonNode> lines() {
      return stdout.lines().map(ReplayCommandTest::json).toList();
    }
  }

  @BeforeAll
  static void readTheRecording() throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(SAMPLE))) {
      plain = in.readAllBytes();
    }
    recorded = new String(plain, StandardCharsets.UTF_8).lines().map(ReplayCommandTest::json)
        .toList();
    JsonNode startup = recorded.stream().filter(e -> e.path("event").asText().equals("startup"))
        .findFirst().orElseThrow();
    // The start-up event lists every setting as setting_<variable>: the loop's own. Those at
    // their default are left out: given explicitly, a default --role needs --coordination.
    recordedSettings = new HashMap<>();
    Set<String> defaults = new java.util.HashSet<>();
    for (Setting s : Setting.values()) {
      s.defaultValue().ifPresent(v -> defaults.add("setting_" + s.env().toLowerCase(Locale.ROOT)
          + "=" + v));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = startup.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getKey().startsWith("setting_")
          && !defaults.contains(f.getKey() + "=" + f.getValue().asText())) {
        recordedSettings.put(f.getKey().substring(8).toUpperCase(Locale.ROOT),
            f.getValue().asText());
      }
    }
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The command line in-process, with {@code env} and {@code stdin}. */
  static Run run(Map<String, String> env, byte[] stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    RecordingEventLog log = new RecordingEventLog();
    int exit = new Cli(env, new ByteArrayInputStream(stdin),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0), log).run(args);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
        log);
  }

  /** The command with {@code args} and nothing in the environment. */
  private static Run replay(String... args) {
    List<String> all = new ArrayList<>(List.of("replay"));
    all.addAll(List.of(args));
    return run(Map.of(), new byte[0], all.toArray(String[]::new));
  }

  /** Event, region and target of each decision, in order. */
  private static List<String> decisions(List<JsonNode> events) {
    return events.stream().filter(e -> DECISIONS.contains(e.path("event").asText()))
        .map(e -> e.path("event").asText() + " " + e.path("region").asText()
            + (e.has("to_region") ? " > " + e.path("to_region").asText() : ""))
        .toList();
  }

  private static long count(String event) {
    return recorded.stream().filter(e -> e.path("event").asText().equals(event)).count();
  }

  @Test
  void recordedSample_withItsOwnSettings_decidesWhatTheLoopDecided() {
    Run r = replay(SAMPLE.toString());

    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(decisions(r.lines())).isEqualTo(decisions(recorded));
    // What the recording shows (scripts/record-replay-sample.sh): pre-flight skips NAM,
    // a repair in place on APAC, blocked while every other region is down, then EU.
    assertThat(decisions(r.lines())).filteredOn(d -> d.startsWith("failover ")
            || d.startsWith("repair "))
        .containsExactly("failover EU > APAC", "repair APAC", "failover APAC > NAM",
            "failover NAM > EU");
    assertThat(r.lines()).allSatisfy(e -> {
      assertThat(e.path("replay").asBoolean()).isTrue();
      assertThat(e.path("service").asText()).isEqualTo("region-failover");
    });
    assertThat(r.stderr()).contains("transitions: 4 (failover 3, repair 1)")
        .contains("blocked transitions: " + count("failover_blocked") + " (no_healthy_target ")
        .contains("longest outage: ");
    assertThat(r.log().events()).as("replay logs nothing of its own").isEmpty();
  }

  @Test
  void aDecisionLine_hasTheLoopsFields_inTheLoopsOrder_atTheRecordedTime() {
    JsonNode replayed = replay(SAMPLE.toString()).lines().stream()
        .filter(e -> e.path("event").asText().equals("failover")).findFirst().orElseThrow();
    JsonNode original = recorded.stream()
        .filter(e -> e.path("event").asText().equals("failover")).findFirst().orElseThrow();

    List<String> names = new ArrayList<>();
    replayed.fieldNames().forEachRemaining(names::add);
    List<String> loop = new ArrayList<>();
    original.fieldNames().forEachRemaining(loop::add);
    // The recording predates decided_at, which today's loop adds last, before service.
    loop.add(loop.indexOf("service"), "decided_at");
    loop.add(loop.indexOf("service"), "replay");
    assertThat(names).isEqualTo(loop);
    assertThat(replayed.path("message").asText()).isEqualTo(original.path("message").asText());
    // Decided at the recorded probe that reached the threshold, which the loop logged just
    // before its own failover line.
    assertThat(replayed.path("@timestamp").asText().substring(0, 19))
        .isEqualTo(original.path("@timestamp").asText().substring(0, 19));
  }

  @Test
  void sameInputAndSettings_giveByteIdenticalOutput() {
    Run first = replay(SAMPLE.toString());
    Run second = replay(SAMPLE.toString());

    assertThat(second.stdout()).isEqualTo(first.stdout()).isNotEmpty();
    assertThat(second.stderr()).isEqualTo(first.stderr());
  }

  @Test
  void plainTextOnStandardInput_givesWhatTheGzipFileGives() {
    Run fromFile = replay(SAMPLE.toString());
    Run fromStdin = run(Map.of(), plain, "replay", "-");

    assertThat(fromStdin.exit()).isZero();
    assertThat(fromStdin.stdout()).isEqualTo(fromFile.stdout());
    assertThat(fromStdin.stderr()).isEqualTo(fromFile.stderr());
  }

  @Test
  void linesThatAreNotProbes_areSkippedAndCounted() {
    byte[] withJunk = (new String(plain, StandardCharsets.UTF_8)
        + "not json at all\n{\"event\":\"probe\",\"region\":\"EU\"}\n{\"truncated\":\n")
        .getBytes(StandardCharsets.UTF_8);
    Run r = run(Map.of(), withJunk, "replay", "-");

    long probes = count("probe");
    long direct = count("region_probe");
    long others = recorded.size() - probes - direct;
    assertThat(r.exit()).isZero();
    assertThat(r.stderr()).contains(String.format(Locale.ROOT, "%d lines: %d probe and %d"
        + " region_probe events replayed; %d lines skipped (%d other events, 3 malformed, 0 of a"
        + " region not in the failover list)", recorded.size() + 3, probes, direct, others + 3,
        others));
    assertThat(r.stdout()).isEqualTo(replay(SAMPLE.toString()).stdout());
  }

  @Test
  void rotatedFilesInAnyOrder_areMergedInTimeOrder() throws IOException {
    List<String> lines = new String(plain, StandardCharsets.UTF_8).lines().toList();
    Path older = dir.resolve("run.log.1");
    Path newer = dir.resolve("run.log");
    Files.write(older, lines.subList(0, lines.size() / 2));
    Files.write(newer, lines.subList(lines.size() / 2, lines.size()));

    Run r = replay(newer.toString(), older.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.stdout()).isEqualTo(replay(SAMPLE.toString()).stdout());
    assertThat(r.stderr()).startsWith("replay: 2 inputs, ");
  }

  @Test
  void otherSettings_decideOtherwise_whichIsThePointOfAReplay() {
    Run patient = replay("--outage-threshold", "8s", SAMPLE.toString());
    Run blind = replay("--region-probe", "none", SAMPLE.toString());

    assertThat(patient.exit()).isZero();
    assertThat(patient.stderr()).contains("transitions: 2 (failover 2)");
    // Without direct probes there is no pre-flight: the host hops onto regions that are down.
    assertThat(blind.stderr()).contains("transitions: 6 (failover 6)")
        .contains("blocked transitions: 0");
  }

  @Test
  void touchesNothing_noEnvFileNoLock_evenWhenTheSettingsNameOne() throws IOException {
    Map<String, String> env = new HashMap<>(recordedSettings);
    Path envFile = dir.resolve("ext_cloud.env");
    env.put("EXT_CLOUD_ENV_FILE", envFile.toString());
    env.put("FAILOVER_DRY_RUN", "false");
    Run r = run(env, new byte[0], "replay", SAMPLE.toString());

    assertThat(r.exit()).isZero();
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void noSettings_takesTheRulesFromTheStartupLine_andSaysSo_flagsAndVariablesOverrideThem() {
    Run own = replay(SAMPLE.toString());
    Run flag = replay("--outage-threshold", "8s", SAMPLE.toString());
    Run variable = run(Map.of("FAILOVER_OUTAGE_THRESHOLD", "8s"), new byte[0], "replay",
        SAMPLE.toString());
    Run same = run(recordedSettings, new byte[0], "replay", SAMPLE.toString());

    String startup = recorded.get(0).path("@timestamp").asText();
    assertThat(recorded.get(0).path("event").asText()).isEqualTo("startup");
    assertThat(own.stderr()).contains("settings: from the log's startup line at " + startup
        + "\n");
    assertThat(flag.stderr()).contains("settings: from the log's startup line at " + startup
        + "; given here: --outage-threshold 8s\n").contains("transitions: 2 (failover 2)");
    assertThat(variable.stdout()).isEqualTo(flag.stdout());
    assertThat(variable.stderr()).contains("; given here: FAILOVER_OUTAGE_THRESHOLD=8s\n");
    assertThat(same.stdout()).isEqualTo(own.stdout());
    assertThat(same.stderr()).as("the same values given are not news").isEqualTo(own.stderr());
  }

  @Test
  void settingsFile_countsAsGiven_belowTheFlags_andItsBadValuesAreSaidAtTheirLine()
      throws IOException {
    Path config = Files.write(dir.resolve("rf.env"),
        List.of("# replay", "FAILOVER_OUTAGE_THRESHOLD=8s"));
    Run flag = replay("--outage-threshold", "8s", SAMPLE.toString());
    Run file = replay("--config", config.toString(), SAMPLE.toString());
    Run flagWins = replay("--config", config.toString(), "--outage-threshold", "4m",
        SAMPLE.toString());
    Run own = replay(SAMPLE.toString());

    assertThat(file.exit()).as(file.stderr()).isZero();
    assertThat(file.stdout()).isEqualTo(flag.stdout());
    assertThat(flagWins.stdout()).isNotEqualTo(flag.stdout());

    Files.write(config, List.of("FAILOVER_OUTAGE_THRESHOLD=soon"));
    Run bad = replay("--config", config.toString(), SAMPLE.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.stderr()).startsWith("region-failover: " + config
        + ":1: FAILOVER_OUTAGE_THRESHOLD (--outage-threshold): 'soon' is not valid");
    assertThat(own.exit()).isZero();
  }

  /**
   * Issue 25: given only the failover list, a log without its startup line was replayed on
   * the default interval and threshold and reported "transitions: 0" without a word; with
   * nothing at all it is exit 2 saying what is missing.
   */
  @Test
  void issue25_aLogWithoutItsStartupLine_needsTheFailoverList_andSaysItRunsOnDefaults() {
    byte[] noStartup = new String(plain, StandardCharsets.UTF_8).lines()
        .filter(l -> !l.contains("\"event\":\"startup\""))
        .collect(java.util.stream.Collectors.joining("\n", "", "\n"))
        .getBytes(StandardCharsets.UTF_8);

    Run none = run(Map.of(), noStartup, "replay", "-");
    assertThat(none.exit()).isEqualTo(Cli.USAGE);
    assertThat(none.stdout()).isEmpty();
    assertThat(none.stderr().strip()).isEqualTo("region-failover replay: no startup line in -"
        + " to take the settings from (the loop logs one, with every setting, when it starts):"
        + " give the settings the loop ran with, at least --failover-list"
        + " (EXT_CLOUD_FAILOVER_LIST)");

    String list = "NAM=cloud.nam.example,EU=cloud.eu.example,APAC=cloud.apac.example";
    Run listOnly = run(Map.of(), noStartup, "replay", "--failover-list", list, "-");
    assertThat(listOnly.exit()).isZero();
    assertThat(listOnly.stderr()).contains("\nsettings: no startup line in the input; given"
        + " here: --failover-list " + list + "; defaults for the rest\n");
  }

  @Test
  void onlyTheFailoverListIsNeeded_notTheHostsIdsOrEnvFile() {
    Run r = run(Map.of(), plain, "replay", "--failover-list",
        "NAM=cloud.nam.example,EU=cloud.eu.example,APAC=cloud.apac.example", "-r", "EU",
        "--interval", "500ms", "--outage-threshold", "3250ms", "--probe-timeout", "400ms",
        "--region-interval", "1s", "--max-transitions", "10/1h", "-");

    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo(replay(SAMPLE.toString()).stdout());
  }

  @Test
  void aFileThatCannotBeRead_isExit2_namingIt_beforeAnyOutput() {
    Path missing = dir.resolve("missing.log");
    Run r = replay(SAMPLE.toString(), missing.toString());

    assertThat(r.exit()).isEqualTo(Cli.USAGE);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr().strip())
        .isEqualTo("region-failover replay: cannot read " + missing + ": no such file");

    Run d = replay(dir.toString());
    assertThat(d.exit()).isEqualTo(Cli.USAGE);
    assertThat(d.stderr()).contains("cannot read " + dir + ": it is a directory");
  }

  @Test
  void aCorruptGzip_isExit2_namingTheFile() throws IOException {
    byte[] zipped = Files.readAllBytes(SAMPLE);
    Path cut = dir.resolve("cut.log.gz");
    Files.write(cut, java.util.Arrays.copyOf(zipped, zipped.length / 2));
    Run r = replay(cut.toString());

    assertThat(r.exit()).isEqualTo(Cli.USAGE);
    assertThat(r.stderr()).startsWith("region-failover replay: cannot read " + cut + ": ");
  }

  @Test
  void noFile_andBadSettings_areUsageErrors() {
    Run none = replay();
    assertThat(none.exit()).isEqualTo(Cli.USAGE);
    assertThat(none.stderr()).contains("FILE");

    Run bad = replay("--interval", "0s", SAMPLE.toString());
    assertThat(bad.exit()).isEqualTo(Cli.USAGE);
    assertThat(bad.stderr()).contains("--interval (FAILOVER_INTERVAL)");
    assertThat(bad.stdout()).isEmpty();
  }

  @Test
  void help_explainsTheApproximations() {
    Run r = replay("--help");

    assertThat(r.exit()).isZero();
    assertThat(r.stdout()).contains("Usage: region-failover replay").contains("FILE...")
        .contains("latest direct").contains("touches nothing");
  }
}
