package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.DecideHarness;
import org.regionfailover.config.SettingsLoader;
import org.regionfailover.config.Setting;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
import org.regionfailover.probe.ProbeResult;
import org.regionfailover.report.DecisionEvents;
import org.regionfailover.report.Event;

/**
 * {@code replay} of logs with {@code traffic} lines (issue 27): the counts are taken as the
 * loop took them, at their {@code decided_at}, by the traffic rules of the log's startup
 * line, so the replay decides what the same inputs decide in the policy itself; the
 * recording host's sources (a program, a token file) need not exist where it is replayed.
 */
class ReplayTrafficCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long S = DecideHarness.S;
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final long ORIGIN = T0.getEpochSecond() * S;
  /** The rule settings of every log here: EU then NAM, a 60 s threshold, no direct probes. */
  private static final Map<Setting, String> RULES = rules();

  @TempDir Path dir;

  private static Map<Setting, String> rules() {
    Map<Setting, String> m = new EnumMap<>(Setting.class);
    m.put(Setting.FAILOVER_LIST, "EU=cloud.eu.example,NAM=cloud.nam.example");
    m.put(Setting.REGION, "EU");
    m.put(Setting.INTERVAL, "10s");
    m.put(Setting.OUTAGE_THRESHOLD, "60s");
    m.put(Setting.REGION_PROBE, "none");
    return m;
  }

  /** One recorded input: what the loop took at {@code seconds} after the log's start. */
  private record Recorded(long seconds, Input input) {}

  /** Chain probes of EU every 10 s, and traffic through EU every 10 s, 5 s after each. */
  private static List<Recorded> inputs(ProbeResult probe, long ok, long unreachable) {
    List<Recorded> in = new ArrayList<>();
    for (long s = 10; s <= 300; s += 10) {
      in.add(new Recorded(s, new Input.Probed(0, probe)));
      in.add(new Recorded(s + 5, new Input.Traffic(0, ok, unreachable,
          Map.of("503", unreachable), "endpoint")));
    }
    return in;
  }

  /** The loop's log of {@code inputs}: its startup line with {@code startup}, then each line. */
  private Path log(Map<String, String> startup, List<Recorded> inputs) throws IOException {
    StringBuilder b = new StringBuilder();
    ObjectNode start = JSON.createObjectNode().put("@timestamp", T0.toString())
        .put("event", "startup").put("message", "region-failover starting");
    RULES.forEach((s, v) -> start.put("setting_" + s.env().toLowerCase(java.util.Locale.ROOT),
        v));
    startup.forEach((k, v) -> start.put("setting_" + k.toLowerCase(java.util.Locale.ROOT), v));
    b.append(start).append('\n');
    for (Recorded r : inputs) {
      String at = T0.plusSeconds(r.seconds()).toString();
      ObjectNode line = JSON.createObjectNode().put("@timestamp", at).put("decided_at", at);
      if (r.input() instanceof Input.Probed p) {
        line.put("event", "probe").put("region", "EU").put("healthy", p.result().healthy())
            .put("latency_ms", p.result().latencyMs());
        p.result().status().ifPresent(st -> line.put("status", st));
        if (!p.result().healthy()) {
          line.put("reason", p.result().reason());
        }
      } else {
        Input.Traffic t = (Input.Traffic) r.input();
        line.put("event", "traffic").put("region", "EU").put("source", t.source())
            .put("ok", t.ok()).put("unreachable", t.unreachable());
        t.byClass().forEach((k, v) -> line.with("errors").put(k, v));
      }
      b.append(line).append('\n');
    }
    Path file = dir.resolve("run.log");
    Files.writeString(file, b, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * What the policy itself decides on {@code inputs}, with the log's rules, as the loop would
   * (a switch done the instant it is decided, as a replay takes a switch the log does not
   * show): each decision but the input's echo, as "event reason @ decided time".
   */
  private static List<String> expected(List<Recorded> inputs) {
    Map<Setting, String> flags = new EnumMap<>(RULES);
    flags.put(Setting.TRAFFIC_SOURCE, "endpoint");
    SettingsLoader loader = new SettingsLoader(ReplayCommand.withHostStandIns(flags, Map.of()),
        Map.of());
    FailoverPolicy policy = new FailoverPolicy(loader.load().order(), loader.policy());
    DecideHarness h = new DecideHarness(policy, 0, ORIGIN + 10 * S);
    List<String> out = new ArrayList<>();
    h.onStep((input, at, t) -> t.decisions().stream()
        .filter(d -> !(d instanceof Decision.ProbeSeen || d instanceof Decision.TrafficSeen))
        .map(DecisionEvents::of)
        .forEach(e -> out.add(described(e.name(), e.fields().get("reason"), at))));
    for (Recorded r : inputs) {
      if (r.input() instanceof Input.Probed p && p.region() != h.state().active()) {
        continue; // a replay's chain probe of a region left, with no direct probe: no evidence
      }
      h.at(r.seconds() - 10, r.input());
      if (h.state().phase() instanceof org.regionfailover.decide.State.Switching s) {
        h.at(r.seconds() - 10, new Input.SwitchDone(s.target()));
      }
    }
    return out;
  }

  private static String described(String event, Object reason, long at) {
    return event + " " + reason + " @" + Instant.ofEpochSecond(0, at);
  }

  /** What the replay printed, described as {@link #expected}. */
  private static List<String> replayed(ReplayCommandTest.Run r) {
    return r.stdout().lines().map(ReplayTrafficCommandTest::json)
        .map(e -> described(e.path("event").asText(),
            e.has("reason") ? e.path("reason").asText() : null,
            epochNanos(Instant.parse(e.path("decided_at").asText()))))
        .toList();
  }

  private static long epochNanos(Instant i) {
    return i.getEpochSecond() * S + i.getNano();
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ReplayCommandTest.Run replay(Map<String, String> env, Path log) {
    return ReplayCommandTest.run(env, new byte[0], "replay", log.toString());
  }

  @Test
  void aSelectiveOutage_healthyProbes_trafficUnreachable_failsOverForTrafficAtTheLoopsTime()
      throws IOException {
    List<Recorded> inputs = inputs(DecideHarness.OK, 80, 120);
    Path log = log(Map.of("FAILOVER_TRAFFIC_SOURCE", "endpoint"), inputs);

    ReplayCommandTest.Run r = replay(Map.of(), log);

    assertThat(r.exit()).as(r.stderr()).isZero();
    List<String> replayed = replayed(r);
    assertThat(replayed).isEqualTo(expected(inputs));
    List<String> failovers = replayed.stream().filter(l -> l.startsWith("failover ")).toList();
    assertThat(failovers).hasSize(1);
    assertThat(failovers.get(0)).startsWith("failover traffic:");
    assertThat(r.stderr()).contains("30 probe, 0 region_probe and 30 traffic events replayed;"
        + " 1 lines skipped");
    // The traffic lines are the input, as the probes are: not echoed.
    assertThat(r.stdout()).doesNotContain("\"event\":\"traffic\"")
        .doesNotContain("\"event\":\"probe\"");
  }

  @Test
  void theSameLog_withTheSourceOff_doesNotFailOver_theRulesAreTheLogs() throws IOException {
    Path log = log(Map.of("FAILOVER_TRAFFIC_SOURCE", "off"), inputs(DecideHarness.OK, 80, 120));

    ReplayCommandTest.Run r = replay(Map.of(), log);

    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(replayed(r)).noneMatch(l -> l.startsWith("failover"));
  }

  @Test
  void aVeto_failingProbes_trafficFineAtVolume_blocksOnce_andNeverFailsOver()
      throws IOException {
    List<Recorded> inputs = inputs(DecideHarness.FAIL, 200, 0);
    Path log = log(Map.of("FAILOVER_TRAFFIC_SOURCE", "endpoint"), inputs);

    ReplayCommandTest.Run r = replay(Map.of(), log);

    assertThat(r.exit()).as(r.stderr()).isZero();
    List<String> replayed = replayed(r);
    assertThat(replayed).isEqualTo(expected(inputs));
    assertThat(replayed).filteredOn(l -> l.startsWith("failover_blocked "))
        .singleElement().asString().startsWith("failover_blocked "
            + FailoverPolicy.TRAFFIC_HEALTHY + " ");
    assertThat(replayed).noneMatch(l -> l.startsWith("failover "));
  }

  @Test
  void theRecordingHostsSources_aProgramAndATokenFileNotHere_doNotStopTheReplay()
      throws IOException {
    List<Recorded> inputs = inputs(DecideHarness.OK, 80, 120);
    Map<String, String> startup = new LinkedHashMap<>();
    startup.put("FAILOVER_TRAFFIC_SOURCE", "endpoint,log:app:client-of-that-host");
    startup.put("FAILOVER_EVIDENCE_TOKEN_FILE", "/etc/that-host/evidence.token");
    startup.put("FAILOVER_TRAFFIC_ERROR_PATTERN", "(unclosed");
    startup.put("FAILOVER_TRAFFIC_OK_PATTERN", "HTTP/1\\.1 200");
    Path log = log(startup, inputs);
    // Nor the replaying shell's own variables of a source.
    Map<String, String> env = Map.of(
        "FAILOVER_EVIDENCE_TOKEN_FILE", dir.resolve("no-such-token").toString(),
        "FAILOVER_TRAFFIC_ERROR_PATTERN", "[");

    ReplayCommandTest.Run r = replay(env, log);

    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(replayed(r)).isEqualTo(expected(inputs))
        .anyMatch(l -> l.startsWith("failover traffic:"));
  }
}
