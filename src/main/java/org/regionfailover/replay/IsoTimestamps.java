package org.regionfailover.replay;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The log's {@code @timestamp} to epoch nanoseconds and back. The Logstash encoder writes
 * {@code 2026-11-22T06:03:13.113388114Z}; that shape is parsed by hand from the line's own
 * bytes (no String, no regex: it runs once per line, millions of times), with the day of
 * the last date kept since a log's lines share theirs for hours; any other ISO-8601 time
 * with an offset goes through {@link OffsetDateTime}. One instance per input.
 */
final class IsoTimestamps {
  /** Returned for text that is not a timestamp. */
  static final long INVALID = Long.MIN_VALUE;
  private static final int DATE = 10;
  private static final long NANOS = 1_000_000_000L;

  private final byte[] lastDate = new byte[DATE];
  private long lastDay = INVALID;
  private byte[] ascii = new byte[64];

  /** Epoch nanoseconds of {@code b[off, off+len)}, or {@link #INVALID}. */
  long epochNanos(byte[] b, int off, int len) {
    long fast = fast(b, off, len);
    if (fast != INVALID) {
      return fast;
    }
    return slow(new String(b, off, len, StandardCharsets.ISO_8859_1));
  }

  /** The same for characters (from the general parser). */
  long epochNanos(char[] c, int off, int len) {
    if (len > ascii.length) {
      return slow(new String(c, off, len));
    }
    for (int i = 0; i < len; i++) {
      char ch = c[off + i];
      if (ch > 0x7f) {
        return slow(new String(c, off, len));
      }
      ascii[i] = (byte) ch;
    }
    return epochNanos(ascii, 0, len);
  }

  private static long slow(String text) {
    try {
      Instant i = OffsetDateTime.parse(text).toInstant();
      return Math.addExact(Math.multiplyExact(i.getEpochSecond(), NANOS), i.getNano());
    } catch (DateTimeParseException | ArithmeticException e) {
      return INVALID;
    }
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, or {@link #INVALID} for the slow path to try. */
  private long fast(byte[] c, int off, int len) {
    if (len < 20 || c[off + 10] != 'T' || c[off + 13] != ':' || c[off + 16] != ':'
        || c[off + len - 1] != 'Z') {
      return INVALID;
    }
    long day = day(c, off);
    int hour = digits(c, off + 11, 2);
    int minute = digits(c, off + 14, 2);
    int second = digits(c, off + 17, 2);
    if (day == INVALID || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
        || second > 59) {
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
    return (day * 86_400L + hour * 3600L + minute * 60L + second) * NANOS + nanos;
  }

  /** Days since 1970 of the {@code yyyy-MM-dd} at {@code off}; the last one is kept. */
  private long day(byte[] c, int off) {
    boolean same = lastDay != INVALID;
    for (int i = 0; same && i < DATE; i++) {
      same = c[off + i] == lastDate[i];
    }
    if (same) {
      return lastDay;
    }
    if (c[off + 4] != '-' || c[off + 7] != '-') {
      return INVALID;
    }
    int year = digits(c, off, 4);
    int month = digits(c, off + 5, 2);
    int day = digits(c, off + 8, 2);
    if (year < 1970 || month < 1 || month > 12 || day < 1 || day > monthLength(year, month)) {
      return INVALID;
    }
    System.arraycopy(c, off, lastDate, 0, DATE);
    lastDay = daysFromCivil(year, month, day);
    return lastDay;
  }

  /** Digits as a number, or -1000 (which fails every range check) if any is not a digit. */
  private static int digits(byte[] c, int from, int n) {
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
            Math.floorDiv(epochNanos, NANOS), Math.floorMod(epochNanos, NANOS))
        .atOffset(ZoneOffset.UTC));
  }
}
