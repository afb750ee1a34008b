package org.regionfailover.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import org.regionfailover.config.Region;
import org.regionfailover.probe.ProbeResult;

/**
 * One line of the loop's stdout to a {@link RecordedProbe}. A streaming parser per line (a
 * malformed line then costs that line only), field names compared by identity (Jackson
 * interns them), and values the replay does not need (the message, the host) never decoded.
 */
final class ProbeLineParser {
  /** What a line was. */
  enum Outcome { PROBE, OTHER_EVENT, MALFORMED, UNKNOWN_REGION }

  private static final String TIMESTAMP = "@timestamp";
  private static final String EVENT = "event";
  private static final String REGION = "region";
  private static final String HEALTHY = "healthy";
  private static final String LATENCY = "latency_ms";
  private static final String STATUS = "status";
  private static final String REASON = "reason";
  private static final char[] PROBE = "probe".toCharArray();
  private static final char[] REGION_PROBE = "region_probe".toCharArray();
  private static final int UNSET = -1;
  private static final int UNKNOWN = -2;
  /** Healthy results are shared by latency: most lines of a log are one of a few hundred. */
  private static final int CACHED_LATENCIES = 2048;

  private final JsonFactory json;
  private final char[][] regions;
  private final ProbeResult[] healthy200 = new ProbeResult[CACHED_LATENCIES];
  private final OptionalInt[] statuses = new OptionalInt[600];
  /** The last failure reason read: an outage repeats its reason probe after probe. */
  private String lastReason = "";

  ProbeLineParser(JsonFactory json, List<Region> order) {
    this.json = json;
    this.regions = new char[order.size()][];
    for (int i = 0; i < regions.length; i++) {
      regions[i] = order.get(i).name().toCharArray();
    }
  }

  /** Parses {@code buf[off, off+len)} into {@code into} when it is a probe event. */
  Outcome parse(byte[] buf, int off, int len, RecordedProbe into) {
    try (JsonParser p = json.createParser(buf, off, len)) {
      return parse(p, into);
    } catch (IOException | RuntimeException e) {
      // Not JSON, or a value of the wrong type (a negative latency, a number too large).
      return Outcome.MALFORMED;
    }
  }

  private Outcome parse(JsonParser p, RecordedProbe into) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return Outcome.MALFORMED;
    }
    long at = IsoTimestamps.INVALID;
    int kind = UNSET; // 0 chain, 1 direct, 2 another event
    int region = UNSET;
    int healthy = UNSET;
    long latency = 0;
    int status = UNSET;
    String reason = null;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
        p.skipChildren();
      } else if (name == TIMESTAMP && v == JsonToken.VALUE_STRING) {
        at = IsoTimestamps.epochNanos(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
      } else if (name == EVENT && v == JsonToken.VALUE_STRING) {
        kind = is(p, PROBE) ? 0 : is(p, REGION_PROBE) ? 1 : 2;
      } else if (name == REGION && v == JsonToken.VALUE_STRING) {
        region = regionIndex(p);
      } else if (name == HEALTHY && v.isBoolean()) {
        healthy = v == JsonToken.VALUE_TRUE ? 1 : 0;
      } else if (name == LATENCY && v == JsonToken.VALUE_NUMBER_INT) {
        latency = p.getLongValue();
      } else if (name == STATUS && v == JsonToken.VALUE_NUMBER_INT) {
        status = p.getIntValue();
      } else if (name == REASON && v == JsonToken.VALUE_STRING) {
        reason = reason(p);
      }
    }
    if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
      return Outcome.MALFORMED;
    }
    if (kind == UNSET || kind == 2) {
      return kind == UNSET ? Outcome.MALFORMED : Outcome.OTHER_EVENT;
    }
    if (at == IsoTimestamps.INVALID || healthy == UNSET || region == UNSET) {
      return Outcome.MALFORMED;
    }
    if (region == UNKNOWN) {
      return Outcome.UNKNOWN_REGION;
    }
    into.direct = kind == 1;
    into.region = region;
    into.at = at;
    into.result = result(healthy == 1, latency, status, reason);
    return Outcome.PROBE;
  }

  private ProbeResult result(boolean ok, long latency, int status, String reason) {
    if (ok && status == 200 && latency >= 0 && latency < CACHED_LATENCIES) {
      ProbeResult r = healthy200[(int) latency];
      if (r == null) {
        r = ProbeResult.healthy(latency, 200);
        healthy200[(int) latency] = r;
      }
      return r;
    }
    return new ProbeResult(ok, latency, status(status), ok ? "ok" : reason == null ? "failed" : reason);
  }

  private OptionalInt status(int status) {
    if (status < 0) {
      return OptionalInt.empty();
    }
    if (status >= statuses.length) {
      return OptionalInt.of(status);
    }
    OptionalInt s = statuses[status];
    if (s == null) {
      s = OptionalInt.of(status);
      statuses[status] = s;
    }
    return s;
  }

  private String reason(JsonParser p) throws IOException {
    char[] c = p.getTextCharacters();
    int off = p.getTextOffset();
    int len = p.getTextLength();
    boolean same = lastReason.length() == len;
    for (int i = 0; same && i < len; i++) {
      same = lastReason.charAt(i) == c[off + i];
    }
    if (!same) {
      lastReason = new String(c, off, len);
    }
    return lastReason;
  }

  private int regionIndex(JsonParser p) throws IOException {
    for (int i = 0; i < regions.length; i++) {
      if (is(p, regions[i])) {
        return i;
      }
    }
    return UNKNOWN;
  }

  private static boolean is(JsonParser p, char[] want) throws IOException {
    if (p.getTextLength() != want.length) {
      return false;
    }
    char[] c = p.getTextCharacters();
    int off = p.getTextOffset();
    for (int i = 0; i < want.length; i++) {
      if (c[off + i] != want[i]) {
        return false;
      }
    }
    return true;
  }
}
