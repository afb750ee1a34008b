package org.regionfailover.act.supervisord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.FakeTicker;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.probe.TrafficCounts;

/**
 * The log: traffic source against a real supervisord: a program that copies what the test
 * appends to two files to its stdout and stderr, read back through XML-RPC by offset.
 */
class LogTailTrafficSourceIT {
  private static final String PROGRAM = "app:writer";
  private static final Pattern ERROR = Pattern.compile("ERROR|refused");
  private static final Pattern OK = Pattern.compile("\\bok\\b");

  @TempDir Path dir;
  private SupervisordFixture supervisord;
  private SupervisorClient client;
  private final RecordingEventLog events = new RecordingEventLog();

  @AfterEach
  void stop() {
    if (supervisord != null) {
      supervisord.close();
    }
  }

  @Test
  void countsErrorsAndOksOfBothLogs_notWhatWasThereBefore() throws Exception {
    start();
    write(LogStream.STDOUT, "old ERROR before the first drain\n");
    write(LogStream.STDERR, "old ERROR before the first drain\n");
    LogTailTrafficSource source = source();

    assertThat(source.drain()).as("history is no evidence").isEmpty();
    write(LogStream.STDOUT, "GET /v2/x ok 12ms\nGET /v2/y ERROR 503\nsome noise\n");
    write(LogStream.STDERR, "connect refused\nERROR ok both: an error\n");

    assertThat(source.drain()).containsExactly(
        new TrafficCounts(null, 1, 3, Map.of("log", 3L), 0, 0, "log:" + PROGRAM));
    assertThat(source.drain()).isEmpty();
    assertThat(source.name()).isEqualTo("log:app:writer");
    assertThat(events.names()).isEmpty();
  }

  @Test
  void partialLine_countedOnceWhenItsEndArrives() throws Exception {
    start();
    LogTailTrafficSource source = source();
    source.drain();

    write(LogStream.STDERR, "GET /v2/y ERR");
    assertThat(source.drain()).isEmpty();
    write(LogStream.STDERR, "OR 504\nGET ok\n");

    assertThat(source.drain()).singleElement()
        .satisfies(c -> assertThat(List.of(c.unreachable(), c.ok())).containsExactly(1L, 1L));
    assertThat(source.drain()).isEmpty();
  }

  @Test
  void controlCharacters_ansiColours_stillCounted() throws Exception {
    start();
    LogTailTrafficSource source = source();
    source.drain();

    write(LogStream.STDOUT, "\u001b[31mERROR\u001b[0m upstream reset \u00e9\n\u0001ok\n");

    assertThat(source.drain()).singleElement()
        .satisfies(c -> assertThat(List.of(c.unreachable(), c.ok())).containsExactly(1L, 1L));
    assertThat(events.names()).isEmpty();
  }

  @Test
  void clearedLogs_startOverFromTheirEndsOnce_withOneEventEach() throws Exception {
    start();
    LogTailTrafficSource source = source();
    source.drain();
    write(LogStream.STDOUT, "ERROR one\nERROR two\n");
    write(LogStream.STDERR, "ok one\n");
    assertThat(source.drain()).singleElement()
        .satisfies(c -> assertThat(List.of(c.unreachable(), c.ok())).containsExactly(2L, 1L));

    client.clearProcessLogs(PROGRAM); // supervisorctl clear: both logs emptied and reopened
    assertThat(source.drain()).isEmpty();
    assertThat(source.drain()).isEmpty();
    assertThat(events.named("traffic_log_reset")).extracting(e -> e.fields().get("stream"))
        .containsExactlyInAnyOrder("stdout", "stderr");

    write(LogStream.STDOUT, "ERROR three\n");
    assertThat(source.drain()).singleElement()
        .satisfies(c -> assertThat(c.unreachable()).isEqualTo(1));
    assertThat(source.drain()).isEmpty();
    assertThat(events.named("traffic_log_reset")).hasSize(2);
  }

  @Test
  void supervisordGone_emptyAndOneEvent_thenRecovers() throws Exception {
    start();
    LogTailTrafficSource source = source();
    source.drain();

    supervisord.crash();
    Files.writeString(supervisord.stdoutSource("writer"), "ERROR while supervisord is down\n",
        StandardOpenOption.APPEND);
    assertThat(source.drain()).isEmpty();
    assertThat(source.drain()).isEmpty();
    assertThat(events.named("traffic_log_unreadable")).singleElement()
        .satisfies(e -> assertThat(e.fields()).containsEntry("program", PROGRAM)
            .containsKey("reason"));

    Files.writeString(supervisord.stdoutSource("writer"), ""); // the writer copies from the start
    supervisord.start();
    client.startProcess(PROGRAM, true);
    assertThat(source.drain()).as("counting starts again from the ends").isEmpty();
    assertThat(events.named("traffic_log_readable")).hasSize(1);
    write(LogStream.STDOUT, "ERROR after\n");
    assertThat(source.drain()).singleElement()
        .satisfies(c -> assertThat(c.unreachable()).isEqualTo(1));
    assertThat(events.names()).containsExactly("traffic_log_unreadable", "traffic_log_readable");
  }

  @Test
  void unknownProgram_emptyAndOneEventNamingIt() throws Exception {
    start();
    var source = new LogTailTrafficSource(client, "app:nope", ERROR, OK, events);

    assertThat(source.drain()).isEmpty();
    assertThat(source.drain()).isEmpty();
    assertThat(events.named("traffic_log_unreadable")).singleElement()
        .satisfies(e -> assertThat((String) e.fields().get("reason")).contains("app:nope")
            .contains("BAD_NAME"));
  }

  @Test
  void stdoutLogNone_reportedOnce_stderrStillCounted() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir).logWriter("writer", "stdout_logfile=NONE");
    supervisord.start();
    client = supervisord.client();
    client.startProcess(PROGRAM, true);
    LogTailTrafficSource source = source();
    source.drain();

    Files.writeString(supervisord.stdoutSource("writer"), "ERROR lost\n", StandardOpenOption.APPEND);
    write(LogStream.STDERR, "ERROR seen\n");

    assertThat(source.drain()).singleElement()
        .satisfies(c -> assertThat(c.unreachable()).isEqualTo(1));
    assertThat(events.named("traffic_log_missing")).singleElement()
        .satisfies(e -> assertThat(e.fields()).containsEntry("stream", "stdout"));
  }

  @Test
  void moreThanTheBoundAppended_skipsToTheEnd_countedAsDroppedReportedOnceAMinute()
      throws Exception {
    start();
    FakeTicker ticker = new FakeTicker();
    var source = new LogTailTrafficSource(client, PROGRAM, ERROR, OK, events, ticker, 64);
    source.drain();

    write(LogStream.STDOUT, "ERROR skipped\n".repeat(20) + "tail ok\nERROR 1\nERROR 2\n");
    List<TrafficCounts> counts = source.drain();
    assertThat(counts).singleElement().satisfies(c -> {
      assertThat(c.dropped()).isPositive();
      assertThat(c.unreachable()).as("only the last 64 bytes read").isBetween(1L, 4L);
    });
    write(LogStream.STDOUT, "ERROR again skipped\n".repeat(20));
    source.drain();
    assertThat(events.named("traffic_log_skipped")).as("at most once a minute").hasSize(1);

    ticker.advance(Duration.ofMinutes(1));
    write(LogStream.STDOUT, "ok\n");
    assertThat(source.drain()).singleElement().satisfies(c -> {
      assertThat(c.ok()).isEqualTo(1);
      assertThat(c.dropped()).isZero();
    });
    assertThat(events.named("traffic_log_skipped")).hasSize(2);
  }

  private void start() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir).logWriter("writer");
    supervisord.start();
    client = supervisord.client();
    client.startProcess(PROGRAM, true);
  }

  private LogTailTrafficSource source() {
    return new LogTailTrafficSource(client, PROGRAM, ERROR, OK, events);
  }

  /** Appends {@code text} to what the program copies to {@code stream}; waits for it to land. */
  private void write(LogStream stream, String text) throws Exception {
    Path logfile = Path.of(client.logfiles(PROGRAM).get(stream));
    long before = Files.exists(logfile) ? Files.size(logfile) : 0;
    Path source = stream == LogStream.STDOUT ? supervisord.stdoutSource("writer")
        : supervisord.stderrSource("writer");
    Files.writeString(source, text, StandardOpenOption.APPEND);
    long expected = before + text.getBytes(StandardCharsets.UTF_8).length;
    await("the program's " + stream.label() + " log to reach " + expected + " bytes")
        .atMost(Duration.ofSeconds(20)).until(() -> size(logfile) >= expected);
  }

  private static long size(Path file) throws IOException {
    return Files.exists(file) ? Files.size(file) : 0;
  }
}
