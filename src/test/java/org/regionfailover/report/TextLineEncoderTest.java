package org.regionfailover.report;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import net.logstash.logback.marker.Markers;
import org.junit.jupiter.api.Test;

class TextLineEncoderTest {
  private static final Instant AT = Instant.parse("2026-12-08T00:36:36.457Z");
  private final LoggerContext ctx = new LoggerContext();

  private String encode(TextLineEncoder encoder, String logger, Level level, String message,
      Map<String, Object> fields) {
    Logger l = ctx.getLogger(logger);
    LoggingEvent e = new LoggingEvent(Logger.FQCN, l, level, message, null, null);
    e.setTimeStamp(AT.toEpochMilli());
    if (!fields.isEmpty()) {
      e.addMarker(Markers.appendEntries(fields));
    }
    byte[] bytes = encoder.encode(e);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private String event(TextLineEncoder encoder, Level level, String message, Object... kv) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      fields.put((String) kv[i], kv[i + 1]);
    }
    return encode(encoder, Slf4jEventLog.LOGGER, level, message, fields);
  }

  private static TextLineEncoder plain() {
    return new TextLineEncoder(false, new ProbeFolding(false), ZoneOffset.UTC);
  }

  @Test
  void encode_event_timeLevelEventRegionMessage_oneLine() {
    String line = event(plain(), Level.WARN, "outage of EU (cloud.eu.ext.com) started: status 503",
        "event", "outage_started", "set", "default", "region", "EU", "reason", "status 503");

    assertThat(line).isEqualTo("00:36:36 WARN  outage_started      EU       outage of EU"
        + " (cloud.eu.ext.com) started: status 503\n");
  }

  @Test
  void encode_move_showsFromAndTo_andASetOtherThanTheDefault() {
    String line = event(plain(), Level.ERROR, "failing over", "event", "failover",
        "set", "payments", "region", "EU", "from_region", "EU", "to_region", "NAM");

    assertThat(line).startsWith("00:36:36 ERROR failover            payments/EU->NAM failing over");
  }

  @Test
  void encode_colour_levelOnlyInAnsiColour() {
    TextLineEncoder colour = new TextLineEncoder(true, new ProbeFolding(false), ZoneOffset.UTC);

    assertThat(event(colour, Level.ERROR, "m", "event", "failover", "region", "EU"))
        .startsWith("00:36:36 \u001b[1;31mERROR\u001b[0m failover ");
    assertThat(event(colour, Level.WARN, "m", "event", "x", "region", "EU"))
        .startsWith("00:36:36 \u001b[33mWARN\u001b[0m  x ");
    assertThat(event(plain(), Level.ERROR, "m", "event", "failover")).doesNotContain("\u001b");
  }

  @Test
  void encode_controlCharacters_escaped_soALineStaysOneLineAndCannotDrive() {
    String line = event(plain(), Level.WARN, "found 'x\ny\u001b[2J'", "event",
        "region_adopted", "region", "EU\t");

    assertThat(line).endsWith("found 'x\\ny\\u001B[2J'\n").contains("EU\\t").doesNotContain("\u001b");
    assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
  }

  @Test
  void encode_foldedProbe_isNothing() {
    TextLineEncoder encoder = plain();
    Object[] probe = {"event", "probe", "set", "default", "region", "EU", "healthy", true};

    assertThat(event(encoder, Level.INFO, "probe EU ok in 3 ms", probe))
        .contains("probe               EU       probe EU ok in 3 ms");
    assertThat(event(encoder, Level.INFO, "probe EU ok in 2 ms", probe)).isEmpty();
  }

  @Test
  void encode_librarysLine_namesItsLogger() {
    String line = encode(plain(), "org.apache.zookeeper.server.ServerCnxnFactory", Level.WARN,
        "maxCnxns is not configured, using default value 0.", Map.of());

    assertThat(line).isEqualTo("00:36:36 WARN  ServerCnxnFactory: maxCnxns is not configured,"
        + " using default value 0.\n");
  }

  @Test
  void where_regionOrDash() {
    assertThat(TextLineEncoder.where(Map.of("region", "APAC"))).isEqualTo("APAC");
    assertThat(TextLineEncoder.where(Map.of())).isEqualTo("-");
    assertThat(TextLineEncoder.where(Map.of("set", "default", "region", "EU"))).isEqualTo("EU");
  }
}
