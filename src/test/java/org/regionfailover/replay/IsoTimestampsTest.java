package org.regionfailover.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written timestamp parser agrees with java.time, and refuses what is not a time. */
class IsoTimestampsTest {
  /** One parser for every case, as for the lines of a log: its kept date must not leak. */
  private static final IsoTimestamps PARSER = new IsoTimestamps();

  private static long parse(String s) {
    long fromChars = PARSER.epochNanos(s.toCharArray(), 0, s.length());
    long fromBytes = PARSER.epochNanos(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0,
        s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    assertThat(fromBytes).isEqualTo(fromChars);
    return fromChars;
  }

  private static long javaTime(String s) {
    Instant i = OffsetDateTime.parse(s).toInstant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-11-22T06:03:13.113388114Z", "2026-11-22T06:03:13.38221177Z",
      "2026-11-22T06:03:13Z", "2026-11-22T06:03:13.1Z", "1970-01-01T00:00:00Z",
      "2024-02-29T23:59:59.999999999Z", "2100-03-01T00:00:00.5Z", "2000-12-31T12:00:00.000Z",
      "2026-11-22T07:03:13.113+01:00", "2026-11-22T01:03:13.113-05:00"})
  void epochNanos_agreesWithJavaTime(String timestamp) {
    assertThat(parse(timestamp)).isEqualTo(javaTime(timestamp));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "yesterday", "2026-11-22 06:03:13Z", "2026-13-01T00:00:00Z",
      "2026-02-30T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T06:03:-1Z",
      "2026-11-22T06:03:13.1234567890Z", "2026-11-22T06:0x:13Z", "2026-11-22T06:03:13", "2026-11-2xT06:03:13Z",
      "2026-11-22T06:03:13.5+25:00", "2026-11-22T06:03:13é"})
  void epochNanos_ofWhatIsNotATimestamp_isInvalid(String text) {
    assertThat(parse(text)).isEqualTo(IsoTimestamps.INVALID);
  }

  @Test
  void format_isTheEncodersForm_andRoundTrips() {
    String s = "2026-11-22T06:09:48.38221177Z";
    assertThat(IsoTimestamps.format(parse(s))).isEqualTo(s);
    assertThat(IsoTimestamps.format(parse("2026-11-22T06:09:48Z")))
        .isEqualTo("2026-11-22T06:09:48Z");
  }
}
