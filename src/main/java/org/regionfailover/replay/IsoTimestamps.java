package org.regionfailover.replay;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The log's {@code @timestamp} to epoch nanoseconds and back. The Logstash encoder writes
 * {@code 2026-11-22T06:03:13.113388114Z}; that shape is parsed by hand from the parser's
 * own characters (no String, no regex: it runs once per line, millions of times), anything
 * else ISO-8601 with an offset through {@link OffsetDateTime}.
 */
final class IsoTimestamps {
  /** Returned for text that is not a timestamp. */
  static final long INVALID = Long.MIN_VALUE;

  private IsoTimestamps() {}

  /** Epoch nanoseconds of {@code chars[off, off+len)}, or {@link #INVALID}. */
  static long epochNanos(char[] chars, int off, int len) {
    long fast = fast(chars, off, len);
    if (fast != INVALID) {
      return fast;
    }
    try {
      Instant i = OffsetDateTime.parse(new String(chars, off, len)).toInstant();
      return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
    } catch (DateTimeParseException | ArithmeticException e) {
      return INVALID;
    }
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, or {@link #INVALID} for the slow path to try. */
  private static long fast(char[] c, int off, int len) {
    if (len < 20 || c[off + 4] != '-' || c[off + 7] != '-' || c[off + 10] != 'T'
        || c[off + 13] != ':' || c[off + 16] != ':' || c[off + len - 1] != 'Z') {
      return INVALID;
    }
    int year = digits(c, off, 4);
    int month = digits(c, off + 5, 2);
    int day = digits(c, off + 8, 2);
    int hour = digits(c, off + 11, 2);
    int minute = digits(c, off + 14, 2);
    int second = digits(c, off + 17, 2);
    if (year < 1970 || month < 1 || month > 12 || day < 1 || day > monthLength(year, month)
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return INVALID;
    }
    long nanos = 0;
    int end = off + len - 1;
    int p = off + 19;
    if (p < end) {
      if (c[p] != '.' || end - p - 1 < 1 || end - p - 1 > 9) {
        return INVALID;
      }
      int scale = 9;
      for (p++; p < end; p++, scale--) {
        int d = c[p] - '0';
        if (d < 0 || d > 9) {
          return INVALID;
        }
        nanos = nanos * 10 + d;
      }
      for (; scale > 0; scale--) {
        nanos *= 10;
      }
    }
    long seconds = daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L
        + second;
    return seconds * 1_000_000_000L + nanos;
  }

  /** Digits as a number, or -1000 (which fails every range check) if any is not a digit. */
  private static int digits(char[] c, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      int d = c[i] - '0';
      if (d < 0 || d > 9) {
        return -1000;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static int monthLength(int year, int month) {
    if (month == 2) {
      boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
      return leap ? 29 : 28;
    }
    return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
  static long daysFromCivil(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = y / 400;
    int yoe = y - era * 400;
    int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097L + doe - 719_468L;
  }

  /** The loop's own form, UTC: {@code 2026-11-22T06:03:13.113388114Z}. */
  static String format(long epochNanos) {
    // ISO_OFFSET_DATE_TIME drops trailing zeros of the fraction, as the encoder does.
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.ofEpochSecond(
            Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L))
        .atOffset(ZoneOffset.UTC));
  }
}
