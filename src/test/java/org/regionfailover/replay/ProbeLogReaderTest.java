package org.regionfailover.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.Region;
import org.regionfailover.probe.ProbeResult;

/** Which lines are probes, which are skipped and why; plain and gzip alike. */
class ProbeLogReaderTest {
  private static final List<Region> ORDER = List.of(new Region("EU", "cloud.eu.example"),
      new Region("NAM", "cloud.nam.example"));
  private static final String PROBE_OK = "{\"@timestamp\":\"2026-11-22T06:09:44.5Z\","
      + "\"message\":\"probe EU ok in 3 ms\",\"logger_name\":\"region-failover\","
      + "\"level\":\"INFO\",\"event\":\"probe\",\"region\":\"EU\",\"host\":\"cloud.eu.example\","
      + "\"healthy\":true,\"latency_ms\":3,\"status\":200,\"service\":\"region-failover\"}";
  private static final String PROBE_503 = "{\"@timestamp\":\"2026-11-22T06:09:45Z\","
      + "\"message\":\"probe EU failed: status 503\",\"level\":\"WARN\",\"event\":\"probe\","
      + "\"region\":\"EU\",\"healthy\":false,\"latency_ms\":4,\"status\":503,"
      + "\"reason\":\"status 503\"}";
  private static final String DIRECT_DOWN = "{\"@timestamp\":\"2026-11-22T06:09:46Z\","
      + "\"event\":\"region_probe\",\"region\":\"NAM\",\"healthy\":false,\"latency_ms\":400,"
      + "\"reason\":\"timeout after 400 ms\"}";
  private static final String FAILOVER = "{\"@timestamp\":\"2026-11-22T06:09:48Z\","
      + "\"event\":\"failover\",\"region\":\"EU\",\"to_region\":\"NAM\",\"skipped\":[\"x\"]}";

  private static List<RecordedInput> readAll(ProbeLogReader reader) throws IOException {
    List<RecordedInput> out = new ArrayList<>();
    RecordedInput p = new RecordedInput();
    while (reader.next(p)) {
      RecordedInput copy = new RecordedInput();
      copy.copyFrom(p);
      out.add(copy);
    }
    return out;
  }

  private static ProbeLogReader reader(byte[] bytes) throws IOException {
    return ProbeLogReader.open("test.log", new ByteArrayInputStream(bytes), ORDER,
        new JsonFactory());
  }

  private static byte[] lines(String... lines) {
    return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(b)) {
      z.write(plain);
    }
    return b.toByteArray();
  }

  @Test
  void probesAreRead_withTheirRegionTimeAndResult() throws IOException {
    ProbeLogReader reader = reader(lines(PROBE_OK, PROBE_503, DIRECT_DOWN));
    List<RecordedInput> probes = readAll(reader);

    assertThat(probes).hasSize(3);
    assertThat(probes.get(0).direct()).isFalse();
    assertThat(probes.get(0).region()).isZero();
    assertThat(probes.get(0).at()).isEqualTo(
        java.time.Instant.parse("2026-11-22T06:09:44.5Z").toEpochMilli() * 1_000_000L);
    assertThat(probes.get(0).result()).isEqualTo(ProbeResult.healthy(3, 200));
    assertThat(probes.get(1).result())
        .isEqualTo(new ProbeResult(false, 4, OptionalInt.of(503), "status 503"));
    assertThat(probes.get(2).direct()).isTrue();
    assertThat(probes.get(2).region()).isEqualTo(1);
    assertThat(probes.get(2).result()).isEqualTo(ProbeResult.failed(400, "timeout after 400 ms"));
    assertThat(reader.counts().chainProbes()).isEqualTo(2);
    assertThat(reader.counts().directProbes()).isEqualTo(1);
    assertThat(reader.counts().skipped()).isZero();
  }

  /**
   * Issue 25: the loop's decided_at is the time a replay takes an input at, by either parser
   * (an escaped character sends a line to Jackson); a line without one keeps its own time.
   */
  @Test
  void decidedAt_isTheInputsTime_andTheRecordingsSwitchesAreRead_byBothParsers()
      throws IOException {
    String decided = ",\"decided_at\":\"2026-11-22T06:09:44.497Z\"";
    String probe = PROBE_OK.replace(",\"service\"", decided + ",\"service\"");
    String viaJackson = probe.replace("probe EU ok", "probe EU \\u006fk");
    String fleetFailover = "{\"@timestamp\":\"2026-11-22T06:09:48.2Z\",\"event\":\"failover\","
        + "\"region\":\"EU\",\"to_region\":\"NAM\",\"fleet\":true,\"epoch\":7,"
        + "\"skipped\":[],\"decided_at\":\"2026-11-22T06:09:48.000000001Z\"}";
    String done = "{\"@timestamp\":\"2026-11-22T06:09:51Z\",\"event\":\"failover_completed\","
        + "\"region\":\"NAM\",\"duration_ms\":3000}";
    String failed = "{\"@timestamp\":\"2026-11-22T06:09:52Z\",\"event\":\"repair_failed\","
        + "\"region\":\"EU\",\"reason\":\"app:stunnel FATAL\"}";
    String starting = "{\"@timestamp\":\"2026-11-22T06:09:40Z\",\"event\":\"stack_starting\","
        + "\"region\":\"NAM\",\"full_restart\":true}";

    List<RecordedInput> in = readAll(reader(lines(probe, viaJackson, PROBE_OK, fleetFailover,
        done, failed, starting)));

    long decidedAt = java.time.Instant.parse("2026-11-22T06:09:44.497Z").toEpochMilli()
        * 1_000_000L;
    assertThat(in).extracting(RecordedInput::at).startsWith(decidedAt, decidedAt,
        decidedAt + 3_000_000L);
    assertThat(in.get(0).decided).isTrue();
    assertThat(in.get(2).decided).isFalse();
    assertThat(in).extracting(RecordedInput::kind).containsExactly(RecordedInput.Kind.CHAIN,
        RecordedInput.Kind.CHAIN, RecordedInput.Kind.CHAIN, RecordedInput.Kind.FLEET_MOVE,
        RecordedInput.Kind.SWITCH_DONE, RecordedInput.Kind.SWITCH_ABANDONED,
        RecordedInput.Kind.STACK_STARTING);
    assertThat(in.get(3).epoch).isEqualTo(7);
    assertThat(in.get(3).move).isEqualTo("failover");
    assertThat(in).extracting(RecordedInput::region).containsExactly(0, 0, 0, 1, 1, 0, 1);
    assertThat(in.get(3).at()).isEqualTo(decidedAt + 3_503_000_001L);
    assertThat(in.get(5).reason).isEqualTo("app:stunnel FATAL");
    assertThat(in.get(6).fullRestart).isTrue();
  }

  /**
   * Issue 25: a fleet's move is an input of the host's (flat lines by the fast scanner);
   * an operator's move of the host alone is not (its command is not in the log as input).
   */
  @Test
  void fleetMoves_areInputs_withEpochKindAndOperator_aHostsOwnManualSwitchIsNot()
      throws IOException {
    String fleetManual = "{\"@timestamp\":\"2026-11-22T06:09:48Z\",\"event\":\"manual_switch\","
        + "\"region\":\"EU\",\"to_region\":\"NAM\",\"user\":\"alice\",\"force\":false,"
        + "\"fleet\":true,\"epoch\":3}";
    String fleetFailback = "{\"@timestamp\":\"2026-11-22T06:09:49Z\",\"event\":\"failback\","
        + "\"region\":\"NAM\",\"to_region\":\"EU\",\"up_s\":600.0,\"fleet\":true,\"epoch\":4}";
    String hostsOwn = fleetManual.replace(",\"fleet\":true,\"epoch\":3", "");

    ProbeLogReader reader = reader(lines(fleetManual, fleetFailback, hostsOwn));
    List<RecordedInput> in = readAll(reader);

    assertThat(in).extracting(RecordedInput::kind).containsExactly(
        RecordedInput.Kind.FLEET_MOVE, RecordedInput.Kind.FLEET_MOVE);
    assertThat(in).extracting(RecordedInput::region).containsExactly(1, 0);
    assertThat(in.get(0).epoch).isEqualTo(3);
    assertThat(in.get(0).move).isEqualTo("manual_switch");
    assertThat(in.get(0).user).isEqualTo("alice");
    assertThat(in.get(1).move).isEqualTo("failback");
    assertThat(reader.counts().skipped()).isEqualTo(1);
  }

  @Test
  void otherLines_areSkippedAndCountedByWhy() throws IOException {
    String unknownRegion = PROBE_OK.replace("\"EU\"", "\"MARS\"");
    String noHealthy = PROBE_OK.replace("\"healthy\":true,", "");
    String badTime = PROBE_OK.replace("2026-11-22T06:09:44.5Z", "yesterday");
    ProbeLogReader reader = reader(lines(FAILOVER, "not json", "{\"event\":\"probe\"",
        "", "[1,2]", PROBE_OK + " trailing", unknownRegion, noHealthy, badTime,
        "{\"message\":\"no event\"}", PROBE_OK));

    // The failover is read too (a replay follows the recording's own switches), and
    // counted among the other events: it is not evidence.
    assertThat(readAll(reader)).extracting(RecordedInput::kind)
        .containsExactly(RecordedInput.Kind.SWITCH_BEGUN, RecordedInput.Kind.CHAIN);
    LineCounts c = reader.counts();
    assertThat(c.lines()).isEqualTo(11);
    assertThat(c.otherEvents()).isEqualTo(1);
    assertThat(c.unknownRegion()).isEqualTo(1);
    assertThat(c.malformed()).isEqualTo(8);
    assertThat(c.skipped()).isEqualTo(10);
  }

  @Test
  void gzip_isRecognisedByItsMagicBytes_andReadsTheSame() throws IOException {
    byte[] plain = lines(PROBE_OK, FAILOVER, PROBE_503);
    List<RecordedInput> fromPlain = readAll(reader(plain));
    ProbeLogReader zipped = reader(gzip(plain));

    assertThat(readAll(zipped)).usingRecursiveFieldByFieldElementComparator()
        .isEqualTo(fromPlain);
    assertThat(zipped.counts().otherEvents()).isEqualTo(1);
  }

  @Test
  void crlfLineEnds_andALastLineWithoutNewline_areRead() throws IOException {
    byte[] bytes = (PROBE_OK + "\r\n" + PROBE_503).getBytes(StandardCharsets.UTF_8);

    assertThat(readAll(reader(bytes))).hasSize(2);
  }

  @Test
  void aLineLongerThanAnyEvent_isSkippedAsMalformed_andReadingGoesOn() throws IOException {
    char[] junk = new char[ProbeLogReader.MAX_LINE * 2 + 17];
    Arrays.fill(junk, 'x');
    ProbeLogReader reader = reader(lines(PROBE_OK, new String(junk), PROBE_503));

    assertThat(readAll(reader)).hasSize(2);
    assertThat(reader.counts().malformed()).isEqualTo(1);
  }

  @Test
  void aTruncatedGzip_isAReadErrorNamingTheInput() throws IOException {
    byte[] zipped = gzip(lines(PROBE_OK, PROBE_503, PROBE_OK, PROBE_503));
    ProbeLogReader reader = reader(Arrays.copyOf(zipped, zipped.length - 12));

    assertThatThrownBy(() -> readAll(reader)).isInstanceOf(IOException.class)
        .hasMessageStartingWith("test.log: ");
  }

  /** A probe of set {@code set} (null: none) at second {@code second}, of EU, healthy or not. */
  private static String setProbe(String set, int second, boolean healthy) {
    return "{\"@timestamp\":\"2026-11-22T06:10:" + String.format("%02d", second) + "Z\","
        + "\"event\":\"probe\"" + (set == null ? "" : ",\"set\":\"" + set + "\"")
        + ",\"region\":\"EU\",\"healthy\":" + healthy + ",\"latency_ms\":3,"
        + "\"status\":" + (healthy ? 200 : 503) + "}";
  }

  private static ProbeLogReader reader(byte[] bytes, SetFilter sets) throws IOException {
    return ProbeLogReader.open("test.log", new ByteArrayInputStream(bytes), ORDER,
        new JsonFactory(), sets);
  }

  @Test
  void twoSetsInterleaved_theNamedSetsProbesAreRead_theOthersCountedAsOtherSets()
      throws IOException {
    // blue's probes fail, green's do not; one of each takes Jackson's path (an escape).
    byte[] log = lines(setProbe("green", 1, true), setProbe("blue", 2, false),
        setProbe("green", 3, true).replace("\"probe\"", "\"pro\\u0062e\""),
        setProbe("blue", 4, false).replace("\"blue\"", "\"bl\\u0075e\""),
        "{\"@timestamp\":\"2026-11-22T06:10:05Z\",\"event\":\"listening\"}",
        setProbe("blue", 6, false));
    ProbeLogReader reader = reader(log, SetFilter.named("blue"));
    List<RecordedInput> probes = readAll(reader);

    assertThat(probes).extracting(p -> p.result().healthy()).containsExactly(false, false,
        false);
    assertThat(reader.counts().otherSets()).isEqualTo(2);
    assertThat(reader.counts().otherEvents()).isEqualTo(1);
    assertThat(reader.counts().chainProbes()).isEqualTo(3);
  }

  @Test
  void noSetNamed_aLineOfASecondSet_isALogOfSeveralSets() throws IOException {
    ProbeLogReader reader = reader(lines(setProbe("green", 1, true), setProbe(null, 2, true),
        setProbe("blue", 3, false)), SetFilter.firstSeen());
    RecordedInput p = new RecordedInput();

    assertThat(reader.next(p)).isTrue();
    assertThat(reader.next(p)).isTrue();
    assertThatThrownBy(() -> reader.next(p)).isInstanceOf(SeveralSetsException.class)
        .hasMessageContaining("green, blue");
  }

  @Test
  void oneSetNamedDefault_isReadAsALogWithoutSets() throws IOException {
    List<RecordedInput> withSet = readAll(reader(lines(setProbe("default", 1, true),
        setProbe("default", 2, false)), SetFilter.firstSeen()));
    List<RecordedInput> without = readAll(reader(lines(setProbe(null, 1, true),
        setProbe(null, 2, false))));

    assertThat(withSet).extracting(RecordedInput::at, RecordedInput::result)
        .isEqualTo(without.stream().map(r -> org.assertj.core.groups.Tuple.tuple(r.at(),
            r.result())).toList());
  }

  /** A reload_applied line at second {@code second} with {@code changed} entries. */
  private static String reloadApplied(int second, String... changed) {
    return "{\"@timestamp\":\"2026-11-22T06:10:" + String.format("%02d", second) + "Z\","
        + "\"event\":\"reload_applied\",\"changed\":[" + String.join(",", changed)
        + "],\"sets_added\":[],\"trigger\":\"signal\"}";
  }

  private static String change(String set, String setting, String old, String now) {
    return "{\"set\":\"" + set + "\",\"setting\":\"" + setting + "\",\"old\":\"" + old
        + "\",\"new\":" + (now == null ? "null" : "\"" + now + "\"") + "}";
  }

  @Test
  void aReloadApplied_isReadWithTheNewValuesOfTheSetReplayed() throws IOException {
    String both = reloadApplied(2,
        change("green", "FAILOVER_OUTAGE_THRESHOLD", "4m", "8m"),
        change("blue", "FAILOVER_INTERVAL", "10s", "5s"),
        change("blue", "FAILOVER_FAILBACK_AFTER", "1h", null));
    String greenOnly = reloadApplied(3, change("green", "FAILOVER_INTERVAL", "10s", "20s"));
    ProbeLogReader reader = reader(lines(setProbe("blue", 1, true), both, greenOnly),
        SetFilter.named("blue"));
    List<RecordedInput> read = readAll(reader);

    assertThat(read).extracting(RecordedInput::kind).containsExactly(
        RecordedInput.Kind.CHAIN, RecordedInput.Kind.RELOAD);
    java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put("FAILOVER_INTERVAL", "5s");
    expected.put("FAILOVER_FAILBACK_AFTER", null);
    assertThat(read.get(1).changes()).isEqualTo(expected);
    assertThat(read.get(1).at()).isEqualTo(
        java.time.Instant.parse("2026-11-22T06:10:02Z").toEpochMilli() * 1_000_000L);
    assertThat(reader.counts().otherEvents()).isEqualTo(2); // the reload, and green's own
  }
}
