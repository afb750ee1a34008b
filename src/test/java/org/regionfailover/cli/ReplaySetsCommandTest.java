package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code replay} on hand-written logs of a process of several failover sets (every line
 * with its {@code set}, one startup line per set) and of one ({@code "set":"default"}), and
 * on logs with reloads that changed the rules.
 */
class ReplaySetsCommandTest {
  private static final Instant T0 = Instant.parse("2026-11-22T06:00:00Z");
  private static final String LIST = "EU=cloud.eu.example,NAM=cloud.nam.example";

  /** The startup line of {@code set} (null: none) of {@code sets}, with its threshold. */
  private static String startup(String set, List<String> sets, String threshold) {
    return "{\"@timestamp\":\"" + T0 + "\",\"message\":\"starting\",\"level\":\"INFO\","
        + "\"event\":\"startup\"" + (set == null ? "" : ",\"set\":\"" + set + "\"")
        + (sets.isEmpty() ? "" : ",\"sets\":[\"" + String.join("\",\"", sets) + "\"]")
        + ",\"setting_failover_region\":\"EU\",\"setting_ext_cloud_failover_list\":\"" + LIST
        + "\",\"setting_failover_interval\":\"10s\",\"setting_failover_outage_threshold\":\""
        + threshold + "\",\"setting_ext_cloud_region_probe\":\"none\"}";
  }

  /** A chain probe of EU by {@code set} at {@code seconds}. */
  private static String probe(String set, long seconds, boolean healthy) {
    return "{\"@timestamp\":\"" + T0.plusSeconds(seconds) + "\",\"level\":\"INFO\","
        + "\"event\":\"probe\"" + (set == null ? "" : ",\"set\":\"" + set + "\"")
        + ",\"region\":\"EU\",\"healthy\":" + healthy + ",\"latency_ms\":3,\"status\":"
        + (healthy ? 200 : 503) + "}";
  }

  /** A reload at {@code seconds} that changed {@code set}'s threshold to {@code threshold}. */
  private static String reload(String set, long seconds, String threshold) {
    return "{\"@timestamp\":\"" + T0.plusSeconds(seconds) + "\",\"level\":\"INFO\","
        + "\"event\":\"reload_applied\",\"changed\":[{\"set\":\"" + set + "\",\"setting\":"
        + "\"FAILOVER_OUTAGE_THRESHOLD\",\"old\":\"30s\",\"new\":\"" + threshold + "\"}],"
        + "\"sets_added\":[],\"sets_removed\":[],\"files_changed\":[],\"trigger\":\"signal\"}";
  }

  /**
   * Two sets, interleaved: blue (threshold 30 s) sees EU fail from 10 s, green (60 s) from
   * 20 s; a process-wide line between them.
   */
  private static byte[] twoSets() {
    List<String> lines = new ArrayList<>(List.of(
        startup("blue", List.of("blue", "green"), "30s"),
        startup("green", List.of("blue", "green"), "60s"),
        "{\"@timestamp\":\"" + T0 + "\",\"event\":\"listening\",\"url\":\"http://127.0.0.1:1\"}"));
    for (long t = 0; t <= 120; t += 10) {
      lines.add(probe("blue", t, t < 10));
      lines.add(probe("green", t, t < 20));
    }
    return bytes(lines);
  }

  /** One set, as a process without a sets directory logs it; EU fails from 10 s. */
  private static List<String> oneSet() {
    List<String> lines = new ArrayList<>(List.of(startup("default", List.of(), "30s")));
    for (long t = 0; t <= 120; t += 10) {
      lines.add(probe("default", t, t < 10));
    }
    return lines;
  }

  private static byte[] bytes(List<String> lines) {
    return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static ReplayCommandTest.Run replay(byte[] log, String... args) {
    List<String> all = new ArrayList<>(List.of("replay"));
    all.addAll(List.of(args));
    all.add("-");
    return ReplayCommandTest.run(Map.of(), log, all.toArray(String[]::new));
  }

  /** The seconds after T0 each failover was decided at. */
  private static List<Long> failoversAt(ReplayCommandTest.Run run) {
    return run.lines().stream().filter(e -> e.path("event").asText().equals("failover"))
        .map(e -> Instant.parse(e.path("decided_at").asText()).getEpochSecond()
            - T0.getEpochSecond())
        .toList();
  }

  @Test
  void setNamed_replaysItsOwnProbes_withItsOwnStartupSettings() {
    ReplayCommandTest.Run blue = replay(twoSets(), "--set", "blue");
    ReplayCommandTest.Run green = replay(twoSets(), "--set", "green");

    assertThat(blue.exit()).as(blue.stderr()).isZero();
    assertThat(green.exit()).as(green.stderr()).isZero();
    // blue: 30 s from 10 s; green: 60 s from 20 s (its own threshold, its own probes).
    assertThat(failoversAt(blue)).containsExactly(40L);
    assertThat(failoversAt(green)).containsExactly(80L);
    assertThat(blue.lines()).allSatisfy(e -> assertThat(e.path("set").asText()).isEqualTo("blue"));
    assertThat(blue.stdout()).contains("\"event\":\"failover\",\"set\":\"blue\",");
    assertThat(blue.stderr()).contains("13 probe and 0 region_probe events replayed")
        .contains("14 of other failover sets") // green's 13 probes and its startup line
        .contains("settings: from the log's startup line of set blue at " + T0);
  }

  @Test
  void severalSets_withoutSet_isExit2_namingThem_beforeAnyOutput() {
    ReplayCommandTest.Run run = replay(twoSets());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.stdout()).isEmpty();
    assertThat(run.stderr().strip()).isEqualTo("region-failover replay: the log holds several"
        + " failover sets (blue, green): replay one at a time with --set NAME");
  }

  @Test
  void severalSets_withoutAStartupLineInTheHead_areFoundByTheirLines() {
    List<String> lines = new ArrayList<>();
    for (long t = 0; t <= 30; t += 10) {
      lines.add(probe("blue", t, true));
      lines.add(probe("green", t, true));
    }

    ReplayCommandTest.Run run = replay(bytes(lines), "--failover-list", LIST);

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.stderr()).contains("several failover sets (blue, green)")
        .contains("--set NAME");
  }

  @Test
  void aSecondSetBeyondTheHead_isExit2_whenItsFirstLineComes() {
    List<String> lines = new ArrayList<>();
    for (long t = 0; t <= 100_000; t += 10) { // 1.3 MB: past the head searched before reading
      lines.add(probe("blue", t, true));
    }
    lines.add(probe("green", 100_005, true));

    ReplayCommandTest.Run run = replay(bytes(lines), "--failover-list", LIST);

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.stderr().strip()).isEqualTo("region-failover replay: - holds the lines of"
        + " several failover sets (blue, green): replay one at a time with --set NAME (the"
        + " decisions above are those of blue until then)");
  }

  @Test
  void aSetNotInTheLog_isExit2_namingTheSetsFound() {
    ReplayCommandTest.Run run = replay(twoSets(), "--set", "red");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.stdout()).isEmpty();
    assertThat(run.stderr().strip()).isEqualTo("region-failover replay: --set red: no such set"
        + " in the log; its sets: blue, green");
  }

  @Test
  void aBadSetName_isExit2_sayingWhatASetNameIs() {
    ReplayCommandTest.Run run = replay(twoSets(), "--set", "../blue");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.stderr()).contains("--set").contains("../blue").contains("1 to 63 letters");
  }

  @Test
  void oneSetNamedDefault_replaysAsBefore_withOrWithoutSetDefault() {
    List<String> withoutSets = oneSet().stream()
        .map(l -> l.replace(",\"set\":\"default\"", "")).toList();

    ReplayCommandTest.Run plain = replay(bytes(oneSet()));
    ReplayCommandTest.Run named = replay(bytes(oneSet()), "--set", "default");
    ReplayCommandTest.Run old = replay(bytes(withoutSets));

    assertThat(plain.exit()).as(plain.stderr()).isZero();
    assertThat(failoversAt(plain)).containsExactly(40L);
    assertThat(named.stdout()).isEqualTo(plain.stdout());
    // The loop's lines named the set, and so do the replay's; a log from before sets did not.
    assertThat(old.stdout()).isEqualTo(plain.stdout().replace(",\"set\":\"default\"", ""))
        .doesNotContain("\"set\"");
    assertThat(plain.stdout()).contains("\"set\":\"default\"");
    assertThat(named.exit()).isZero();
  }

  @Test
  void aReloadRaisingTheThreshold_movesTheFailoverLater_fromItsLineOn_andTheSummarySaysSo() {
    List<String> lines = oneSet();
    lines.add(4, reload("default", 25, "60s")); // after the probe at 20 s

    ReplayCommandTest.Run run = replay(bytes(lines));

    assertThat(run.exit()).as(run.stderr()).isZero();
    assertThat(failoversAt(run)).containsExactly(70L); // 60 s from the outage's start at 10 s
    assertThat(run.stderr()).contains("reloads: 1 in the log changed rule settings")
        .contains(T0.plusSeconds(25) + " FAILOVER_OUTAGE_THRESHOLD 60s");
  }

  @Test
  void aReloadOfAnotherSet_leavesTheSetReplayedAlone() {
    List<String> lines = new ArrayList<>(List.of(new String(twoSets(), StandardCharsets.UTF_8)
        .split("\n")));
    lines.add(9, reload("green", 25, "90s")); // after green's probe at 20 s

    ReplayCommandTest.Run blue = replay(bytes(lines), "--set", "blue");
    ReplayCommandTest.Run green = replay(bytes(lines), "--set", "green");

    assertThat(failoversAt(blue)).containsExactly(40L);
    assertThat(blue.stderr()).doesNotContain("reloads:");
    assertThat(failoversAt(green)).containsExactly(110L); // 90 s from 20 s
  }

  @Test
  void aSettingGivenHere_keepsOverridingTheLog_reloadsIncluded() {
    List<String> lines = oneSet();
    lines.add(4, reload("default", 25, "60s"));

    ReplayCommandTest.Run run = replay(bytes(lines), "--outage-threshold", "20s");

    assertThat(failoversAt(run)).containsExactly(30L);
    assertThat(run.stderr()).contains(T0.plusSeconds(25)
        + " FAILOVER_OUTAGE_THRESHOLD kept as given here");
  }

  @Test
  void help_explainsSetsAndReloads() {
    ReplayCommandTest.Run run = ReplayCommandTest.run(Map.of(), new byte[0], "replay", "--help");

    assertThat(run.stdout()).contains("--set=NAME").contains("Several failover sets")
        .contains("reload_applied");
  }
}
