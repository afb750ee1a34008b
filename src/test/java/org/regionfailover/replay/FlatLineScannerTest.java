package org.regionfailover.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.Region;

/**
 * The fast scanner never disagrees with Jackson: whatever line it accepts, Jackson accepts
 * too and reads the same fields; what it is unsure of is Jackson's to judge.
 */
class FlatLineScannerTest {
  private static final List<Region> ORDER = List.of(new Region("NAM", "cloud.nam.example"),
      new Region("EU", "cloud.eu.example"), new Region("APAC", "cloud.apac.example"));
  private static final byte[] NOISE = " \t\"\\{}[]:,-.0123456789eEtrufalsn\u00e9x"
      .getBytes(StandardCharsets.UTF_8);

  private static List<byte[]> lines;

  private final FlatLineScanner scanner = new FlatLineScanner(ORDER);
  private final ProbeLineParser jackson = new ProbeLineParser(new JsonFactory(), ORDER);

  @BeforeAll
  static void readTheRecording() throws IOException {
    try (InputStream in = new GZIPInputStream(
        Files.newInputStream(Path.of("src/test/resources/replay/sample-run.log.gz")))) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
    }
  }

  private static String fields(LineFields f) {
    return f.at + " " + f.kind + " " + f.region + " " + f.healthy + " " + f.latency + " "
        + f.status + " " + f.reason + " " + f.set + " " + f.ok + " " + f.unreachable + " "
        + f.source;
  }

  /** A {@code traffic} line as the loop writes it (the same event, the same writer). */
  private static byte[] trafficLine(java.util.Map<String, Long> errors) throws IOException {
    org.regionfailover.decide.Input.Traffic t = new org.regionfailover.decide.Input.Traffic(1,
        80, 120, errors, "endpoint");
    org.regionfailover.report.Event e = org.regionfailover.report.DecisionEvents.of(
        new org.regionfailover.decide.Decision.TrafficSeen(ORDER.get(1), t, false, 200, 0.6))
        .decidedAt(1_796_000_000_000_000_000L);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    new EventLineWriter(out, "region-failover", false).write(e, 1_796_000_000_000_000_000L);
    byte[] line = out.toByteArray();
    return Arrays.copyOf(line, line.length - 1); // without its newline
  }

  @Test
  void aTrafficLine_itsErrorsObjectSendsItToJackson_whichReadsItAsTheLoopsInput()
      throws IOException {
    byte[] line = trafficLine(java.util.Map.of("503", 100L, "reset", 20L));
    LineFields fast = new LineFields();
    fast.reset();
    RecordedInput r = new RecordedInput();

    assertThat(scanner.scan(line, 0, line.length, fast)).as("a nested object").isFalse();
    assertThat(jackson.parse(line, 0, line.length, r))
        .isEqualTo(ProbeLineParser.Outcome.INPUT);
    assertThat(r.kind()).isEqualTo(RecordedInput.Kind.TRAFFIC);
    assertThat(r.at()).isEqualTo(1_796_000_000_000_000_000L);
    assertThat(r.traffic()).isEqualTo(new org.regionfailover.decide.Input.Traffic(1, 80, 120,
        java.util.Map.of("503", 100L, "reset", 20L), "endpoint"));
  }

  @Test
  void aTrafficLineWithoutItsErrors_takesTheFastPath_withJacksonsFields_evenMutated()
      throws IOException {
    String full = new String(trafficLine(java.util.Map.of("503", 1L)), StandardCharsets.UTF_8);
    byte[] flat = full.replaceFirst(",\"errors\":\\{[^}]*\\}", "")
        .getBytes(StandardCharsets.UTF_8);
    RecordedInput r = new RecordedInput();

    assertThat(agrees(flat)).as(new String(flat, StandardCharsets.UTF_8)).isTrue();
    assertThat(jackson.parse(flat, 0, flat.length, r)).isEqualTo(ProbeLineParser.Outcome.INPUT);
    assertThat(r.traffic()).isEqualTo(new org.regionfailover.decide.Input.Traffic(1, 80, 120,
        java.util.Map.of(), "endpoint"));
    Random random = new Random(7);
    int accepted = 0;
    for (int i = 0; i < 5_000; i++) {
      accepted += agrees(mutate(flat, random)) ? 1 : 0;
    }
    assertThat(accepted).isGreaterThan(100);
  }

  @Test
  void aTrafficLineWithoutItsCounts_isMalformed_notAnInputOfZeroCalls() throws IOException {
    String full = new String(trafficLine(java.util.Map.of()), StandardCharsets.UTF_8);
    for (String cut : List.of(",\"ok\":80", ",\"unreachable\":120")) {
      byte[] line = full.replaceFirst(cut, "").getBytes(StandardCharsets.UTF_8);
      assertThat(jackson.parse(line, 0, line.length, new RecordedInput())).as(cut)
          .isEqualTo(ProbeLineParser.Outcome.MALFORMED);
    }
  }

  /** Whether the scanner took the line; if it did, Jackson must agree on every field. */
  private boolean agrees(byte[] line) {
    LineFields fast = new LineFields();
    fast.reset();
    if (!scanner.scan(line, 0, line.length, fast)) {
      return false;
    }
    LineFields general = new LineFields();
    assertThat(jackson.general(line, 0, line.length, general))
        .as("Jackson accepts what the scanner accepted: %s",
            new String(line, StandardCharsets.UTF_8))
        .isTrue();
    assertThat(fields(fast)).as(new String(line, StandardCharsets.UTF_8))
        .isEqualTo(fields(general));
    return true;
  }

  @Test
  void everyProbeLineOfTheRecording_takesTheFastPath_withJacksonsFields() {
    long fast = lines.stream().filter(this::agrees).count();
    long probes = lines.stream().map(l -> new String(l, StandardCharsets.UTF_8))
        .filter(l -> l.contains("\"event\":\"probe\"") || l.contains("\"event\":\"region_probe\""))
        .count();

    assertThat(fast).isGreaterThanOrEqualTo(probes);
  }

  @Test
  void aSetField_bothParsersTellTheSetReplayed_andStopAtAnotherSetsField() {
    FlatLineScanner fastBlue = new FlatLineScanner(ORDER, SetFilter.named("blue"));
    ProbeLineParser generalBlue = new ProbeLineParser(new JsonFactory(), ORDER,
        SetFilter.named("blue"));
    for (String set : List.of("blue", "green", "blu", "bluee", "")) {
      byte[] line = ("{\"@timestamp\":\"2026-11-22T06:10:01Z\",\"event\":\"probe\","
          + "\"set\":\"" + set + "\",\"region\":\"EU\",\"healthy\":true,"
          + "\"latency_ms\":3}").getBytes(StandardCharsets.UTF_8);
      LineFields fast = new LineFields();
      fast.reset();
      LineFields general = new LineFields();

      assertThat(fastBlue.scan(line, 0, line.length, fast)).isTrue();
      assertThat(generalBlue.general(line, 0, line.length, general)).isTrue();
      assertThat(fields(fast)).as(set).isEqualTo(fields(general));
      assertThat(fast.set).as(set).isEqualTo(set.equals("blue") ? 1 : 0);
      // Another set's line is left at its set field: its region is not even read.
      assertThat(fast.region).as(set).isEqualTo(set.equals("blue") ? 1 : LineFields.UNSET); // EU
    }
  }

  @Test
  void mutatedLines_theScannerAcceptsOnlyWhatJacksonReadsTheSame() {
    Random random = new Random(42);
    int accepted = 0;
    for (int i = 0; i < 50_000; i++) {
      byte[] line = lines.get(random.nextInt(lines.size()));
      byte[] mutated = mutate(line, random);
      if (agrees(mutated)) {
        accepted++;
      }
    }
    // Many mutations land in a message and leave valid JSON: those must have been checked.
    assertThat(accepted).isGreaterThan(1000);
  }

  private static byte[] mutate(byte[] line, Random random) {
    byte[] out = line;
    for (int n = 1 + random.nextInt(2); n > 0; n--) {
      int at = random.nextInt(out.length);
      switch (random.nextInt(4)) {
        case 0 -> { // delete a byte
          byte[] shorter = new byte[out.length - 1];
          System.arraycopy(out, 0, shorter, 0, at);
          System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
          out = shorter;
        }
        case 1 -> { // insert a byte that means something to JSON
          byte[] longer = new byte[out.length + 1];
          System.arraycopy(out, 0, longer, 0, at);
          longer[at] = NOISE[random.nextInt(NOISE.length)];
          System.arraycopy(out, at, longer, at + 1, out.length - at);
          out = longer;
        }
        case 2 -> { // replace a byte
          out = out.clone();
          out[at] = NOISE[random.nextInt(NOISE.length)];
        }
        default -> out = Arrays.copyOf(out, at); // truncate
      }
      if (out.length == 0) {
        return out;
      }
    }
    return out;
  }

  @Test
  void whatItIsUnsureOf_isLeftToJackson() {
    for (String line : List.of("{\"event\":\"probe\",\"reason\":\"a \\\"quoted\\\" word\"}",
        "{\"event\":\"probe\",\"skipped\":[\"EU: down\"]}", "{\"message\":\"caf\u00e9\"}",
        "{\"a\":1,}", "{\"a\":01}", "{\"a\":1} {\"b\":2}", "{\"a\":tru}", "[]", "")) {
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      LineFields f = new LineFields();
      f.reset();
      assertThat(scanner.scan(bytes, 0, bytes.length, f)).as(line).isFalse();
    }
  }

  @Test
  void special_findsTheFirstQuoteBackslashControlOrNonAsciiByte_atAnyAlignment() {
    byte[] specials = {'"', '\\', 0x01, 0x1f, (byte) 0x80, (byte) 0xe9};
    for (int len = 0; len < 20; len++) {
      for (int at = 0; at <= len; at++) {
        for (byte s : specials) {
          byte[] b = new byte[len + 1];
          Arrays.fill(b, (byte) 'a');
          b[at] = s;
          assertThat(FlatLineScanner.special(b, 0, b.length)).isEqualTo(at);
        }
        byte[] plain = new byte[len];
        Arrays.fill(plain, (byte) ' ');
        assertThat(FlatLineScanner.special(plain, 0, len)).isEqualTo(len);
      }
    }
  }
}
