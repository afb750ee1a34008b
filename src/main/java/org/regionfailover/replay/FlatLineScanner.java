package org.regionfailover.replay;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.regionfailover.config.Region;

/**
 * The fast path for the loop's own lines: one flat JSON object of ASCII strings without
 * escapes, numbers and literals, read straight from the bytes. Anything else (an escape, a
 * non-ASCII byte, a nested array, a syntax error) makes it give up on the line, which then
 * goes to Jackson: this scanner only ever accepts well-formed JSON, and the general parser
 * keeps the last word on everything else. A year of probes is 1.6 GB of lines; a general
 * tokenizer spent most of the replay's time on it (see scripts/bench-replay.sh).
 */
final class FlatLineScanner {
  private static final byte[] TIMESTAMP = ascii("@timestamp");
  private static final byte[] EVENT = ascii("event");
  private static final byte[] REGION = ascii("region");
  private static final byte[] HEALTHY = ascii("healthy");
  private static final byte[] LATENCY = ascii("latency_ms");
  private static final byte[] STATUS = ascii("status");
  private static final byte[] REASON = ascii("reason");
  private static final byte[] DECIDED_AT = ascii(org.regionfailover.report.Event.DECIDED_AT);
  private static final byte[] TO_REGION = ascii("to_region");
  private static final byte[] FULL_RESTART = ascii("full_restart");
  private static final byte[] FLEET = ascii("fleet");
  private static final byte[] EPOCH = ascii("epoch");
  private static final byte[] USER = ascii("user");
  private static final byte[] OK = ascii("ok");
  private static final byte[] UNREACHABLE = ascii("unreachable");
  private static final byte[] SOURCE = ascii("source");
  private static final byte[] SET = ascii(org.regionfailover.report.SetEventLog.FIELD);
  /** Every event name a replay reads, with its kind at the same index of {@link #KINDS}. */
  private static final byte[][] EVENTS;
  private static final RecordedInput.Kind[] KINDS;
  private static final String[] NAMES;

  static {
    java.util.List<byte[]> names = new java.util.ArrayList<>();
    java.util.List<RecordedInput.Kind> kinds = new java.util.ArrayList<>();
    java.util.List<String> texts = new java.util.ArrayList<>();
    for (RecordedInput.Kind k : RecordedInput.Kind.values()) {
      for (String e : k.events) {
        names.add(ascii(e));
        kinds.add(k);
        texts.add(e);
      }
    }
    EVENTS = names.toArray(byte[][]::new);
    KINDS = kinds.toArray(RecordedInput.Kind[]::new);
    NAMES = texts.toArray(String[]::new);
  }
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");
  private static final byte[] NULL = ascii("null");
  private static final int MAX_DIGITS = 18;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final byte[][] regions;
  private final SetFilter sets;
  private final IsoTimestamps times = new IsoTimestamps();
  private String lastReason = "";
  private byte[] b;
  private int p;
  private int end;
  /** Bounds of the last string read, without its quotes. */
  private int strFrom;
  private int strTo;
  /** The last integer read, or {@link Long#MIN_VALUE} for a number with a fraction. */
  private long number;

  FlatLineScanner(List<Region> order) {
    this(order, SetFilter.firstSeen());
  }

  FlatLineScanner(List<Region> order, SetFilter sets) {
    this.sets = sets;
    regions = new byte[order.size()][];
    for (int i = 0; i < regions.length; i++) {
      regions[i] = ascii(order.get(i).name());
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Fills {@code f} from {@code buf[off, off+len)}; false: not sure, ask Jackson. A line of
   * another set is left at its {@code set} field: nothing else of it is read.
   */
  boolean scan(byte[] buf, int off, int len, LineFields f) {
    b = buf;
    p = off;
    end = off + len;
    skipSpace();
    if (!take('{')) {
      return false;
    }
    skipSpace();
    if (take('}')) {
      return atEnd();
    }
    while (true) {
      if (!string()) {
        return false;
      }
      int keyFrom = strFrom;
      int keyLen = strTo - strFrom;
      skipSpace();
      if (!take(':')) {
        return false;
      }
      skipSpace();
      if (!value(keyFrom, keyLen, f)) {
        return false;
      }
      if (f.set == 0) {
        return true;
      }
      skipSpace();
      if (take(',')) {
        skipSpace();
      } else if (take('}')) {
        return atEnd();
      } else {
        return false;
      }
    }
  }

  private boolean value(int keyFrom, int keyLen, LineFields f) {
    if (p >= end) {
      return false;
    }
    byte c = b[p];
    if (c == '"') {
      if (!string()) {
        return false;
      }
      if (key(keyFrom, keyLen, TIMESTAMP)) {
        f.at = timestamp();
      } else if (key(keyFrom, keyLen, DECIDED_AT)) {
        f.decided = timestamp();
      } else if (key(keyFrom, keyLen, EVENT)) {
        f.event = true;
        f.kind = null;
        for (int i = 0; i < EVENTS.length && f.kind == null; i++) {
          f.kind = is(EVENTS[i]) ? KINDS[i] : null;
          f.eventName = f.kind != null ? NAMES[i] : null;
        }
      } else if (key(keyFrom, keyLen, SET)) {
        f.set = sets.matches(b, strFrom, strTo - strFrom) ? 1 : 0;
      } else if (key(keyFrom, keyLen, REGION)) {
        f.region = region();
      } else if (key(keyFrom, keyLen, TO_REGION)) {
        f.toRegion = region();
      } else if (key(keyFrom, keyLen, REASON)) {
        f.reason = reason();
      } else if (key(keyFrom, keyLen, USER)) {
        f.user = new String(b, strFrom, strTo - strFrom, StandardCharsets.US_ASCII);
      } else if (key(keyFrom, keyLen, SOURCE)) {
        f.source = new String(b, strFrom, strTo - strFrom, StandardCharsets.US_ASCII);
      }
      return true;
    }
    if (c == 't' || c == 'f') {
      boolean yes = c == 't';
      if (!literal(yes ? TRUE : FALSE)) {
        return false;
      }
      if (key(keyFrom, keyLen, HEALTHY)) {
        f.healthy = yes ? 1 : 0;
      } else if (key(keyFrom, keyLen, FULL_RESTART)) {
        f.fullRestart = yes ? 1 : 0;
      } else if (key(keyFrom, keyLen, FLEET)) {
        f.fleet = yes ? 1 : 0;
      }
      return true;
    }
    if (c == 'n') {
      return literal(NULL);
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      if (!number()) {
        return false;
      }
      if (number != Long.MIN_VALUE && key(keyFrom, keyLen, LATENCY)) {
        f.latency = number;
      } else if (number != Long.MIN_VALUE && key(keyFrom, keyLen, EPOCH)) {
        f.epoch = number;
      } else if (number != Long.MIN_VALUE && key(keyFrom, keyLen, OK)) {
        f.ok = number;
      } else if (number != Long.MIN_VALUE && key(keyFrom, keyLen, UNREACHABLE)) {
        f.unreachable = number;
      } else if (number != Long.MIN_VALUE && key(keyFrom, keyLen, STATUS)) {
        if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
          return false;
        }
        f.status = (int) number;
      }
      return true;
    }
    // An object, an array, or not JSON: Jackson's call. A traffic line's errors by class
    // are an object, so each traffic line goes to Jackson: one a line per interval.
    return false;
  }

  /** A string of printable ASCII without escapes; its bounds in strFrom/strTo. */
  private boolean string() {
    if (!take('"')) {
      return false;
    }
    strFrom = p;
    p = special(b, p, end);
    if (p < end && b[p] == '"') {
      strTo = p++;
      return true;
    }
    return false; // an escape, a control character, a non-ASCII byte, or no end
  }

  /**
   * The first byte from {@code i} that ends a simple string: a quote, a backslash, a
   * control character or a non-ASCII byte; eight bytes at a time. Each mask is the classic
   * "has zero byte" / "has byte less than" test, whose lowest mark is exact.
   */
  static int special(byte[] b, int i, int end) {
    for (; i + 8 <= end; i += 8) {
      long x = (long) LONGS.get(b, i);
      long quote = x ^ 0x2222222222222222L;
      long backslash = x ^ 0x5C5C5C5C5C5C5C5CL;
      long marks = ((quote - 0x0101010101010101L) & ~quote)
          | ((backslash - 0x0101010101010101L) & ~backslash)
          | ((x - 0x2020202020202020L) & ~x)
          | x;
      marks &= 0x8080808080808080L;
      if (marks != 0) {
        return i + (Long.numberOfTrailingZeros(marks) >>> 3);
      }
    }
    for (; i < end; i++) {
      byte c = b[i];
      if (c == '"' || c == '\\' || c < 0x20) {
        return i;
      }
    }
    return end;
  }

  /** An integer, or with a fraction or exponent ({@code number} then MIN_VALUE), JSON's grammar. */
  private boolean number() {
    boolean negative = take('-');
    int first = p;
    long v = 0;
    while (p < end && b[p] >= '0' && b[p] <= '9') {
      v = v * 10 + (b[p] - '0');
      p++;
    }
    int digits = p - first;
    if (digits == 0 || digits > MAX_DIGITS || (digits > 1 && b[first] == '0')) {
      return false;
    }
    number = negative ? -v : v;
    if (p < end && b[p] == '.') {
      p++;
      if (!someDigits()) {
        return false;
      }
      number = Long.MIN_VALUE;
    }
    if (p < end && (b[p] == 'e' || b[p] == 'E')) {
      p++;
      if (p < end && (b[p] == '+' || b[p] == '-')) {
        p++;
      }
      if (!someDigits()) {
        return false;
      }
      number = Long.MIN_VALUE;
    }
    return p >= end || !isWordByte(b[p]);
  }

  private boolean someDigits() {
    int first = p;
    while (p < end && b[p] >= '0' && b[p] <= '9') {
      p++;
    }
    return p > first;
  }

  private boolean literal(byte[] word) {
    if (end - p < word.length) {
      return false;
    }
    for (int i = 0; i < word.length; i++) {
      if (b[p + i] != word[i]) {
        return false;
      }
    }
    p += word.length;
    return p >= end || !isWordByte(b[p]);
  }

  private static boolean isWordByte(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '_' || c == '.' || c == '-' || c == '+';
  }

  private boolean key(int from, int len, byte[] want) {
    if (len != want.length) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (b[from + i] != want[i]) {
        return false;
      }
    }
    return true;
  }

  private boolean is(byte[] want) {
    return key(strFrom, strTo - strFrom, want);
  }

  /** The index in the order of the region named by the last string read, or UNKNOWN. */
  private int region() {
    for (int i = 0; i < regions.length; i++) {
      if (is(regions[i])) {
        return i;
      }
    }
    return LineFields.UNKNOWN;
  }

  private long timestamp() {
    return times.epochNanos(b, strFrom, strTo - strFrom);
  }

  /** An outage repeats its reason probe after probe: the same String is kept. */
  private String reason() {
    int len = strTo - strFrom;
    boolean same = lastReason.length() == len;
    for (int i = 0; same && i < len; i++) {
      same = lastReason.charAt(i) == b[strFrom + i];
    }
    if (!same) {
      lastReason = new String(b, strFrom, len, StandardCharsets.US_ASCII);
    }
    return lastReason;
  }

  private boolean take(char c) {
    if (p < end && b[p] == c) {
      p++;
      return true;
    }
    return false;
  }

  private void skipSpace() {
    while (p < end && (b[p] == ' ' || b[p] == '\t' || b[p] == '\r' || b[p] == '\n')) {
      p++;
    }
  }

  private boolean atEnd() {
    skipSpace();
    return p == end;
  }
}
