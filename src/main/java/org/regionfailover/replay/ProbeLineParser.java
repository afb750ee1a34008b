package org.regionfailover.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.regionfailover.config.Region;
import org.regionfailover.probe.ProbeResult;

/**
 * One line of the loop's stdout to a {@link RecordedInput} (the kinds of line a replay
 * reads are listed in {@link RecordedInput.Kind}). The loop's own flat lines go
 * through {@link FlatLineScanner}; whatever it is not sure of goes through a Jackson
 * streaming parser (a malformed line then costs that line only), field names compared by
 * identity (Jackson interns them), values the replay does not need never decoded.
 */
final class ProbeLineParser {
  /** What a line was. */
  enum Outcome { INPUT, OTHER_EVENT, MALFORMED, UNKNOWN_REGION, OTHER_SET }

  private static final String TIMESTAMP = "@timestamp";
  private static final String EVENT = "event";
  private static final String REGION = "region";
  private static final String HEALTHY = "healthy";
  private static final String LATENCY = "latency_ms";
  private static final String STATUS = "status";
  private static final String REASON = "reason";
  private static final String DECIDED_AT = org.regionfailover.report.Event.DECIDED_AT;
  private static final String TO_REGION = "to_region";
  private static final String FULL_RESTART = "full_restart";
  private static final String FLEET = "fleet";
  private static final String EPOCH = "epoch";
  private static final String USER = "user";
  private static final String SET = org.regionfailover.report.SetEventLog.FIELD;
  private static final String CHANGED = "changed";
  private static final String OK = "ok";
  private static final String UNREACHABLE = "unreachable";
  private static final String SOURCE = "source";
  private static final String ERRORS = "errors";
  /** Healthy results are shared by latency: most lines of a log are one of a few hundred. */
  private static final int CACHED_LATENCIES = 2048;

  private final JsonFactory json;
  private final FlatLineScanner scanner;
  private final SetFilter sets;
  private final char[][] regions;
  private final LineFields fields = new LineFields();
  private final IsoTimestamps times = new IsoTimestamps();
  private final ProbeResult[] healthy200 = new ProbeResult[CACHED_LATENCIES];
  private final OptionalInt[] statuses = new OptionalInt[600];

  ProbeLineParser(JsonFactory json, List<Region> order) {
    this(json, order, SetFilter.firstSeen());
  }

  /** {@code sets}: which set's lines are read (shared by the readers of one replay). */
  ProbeLineParser(JsonFactory json, List<Region> order, SetFilter sets) {
    this.json = json;
    this.sets = sets;
    this.scanner = new FlatLineScanner(order, sets);
    this.regions = new char[order.size()][];
    for (int i = 0; i < regions.length; i++) {
      regions[i] = order.get(i).name().toCharArray();
    }
  }

  /** Parses {@code buf[off, off+len)} into {@code into} when it is a line replay reads. */
  Outcome parse(byte[] buf, int off, int len, RecordedInput into) {
    fields.reset();
    if (!scanner.scan(buf, off, len, fields) && !general(buf, off, len, fields)) {
      return Outcome.MALFORMED;
    }
    try {
      return conclude(fields, into);
    } catch (IllegalArgumentException e) {
      return Outcome.MALFORMED; // a negative latency
    }
  }

  /** The general path, Jackson's: false when the line is not one JSON object. */
  boolean general(byte[] buf, int off, int len, LineFields f) {
    f.reset();
    try (JsonParser p = json.createParser(buf, off, len)) {
      return parse(p, f);
    } catch (IOException | RuntimeException e) {
      return false; // not JSON, or a number out of range
    }
  }

  /** As {@link FlatLineScanner#scan}, a line of another set is left at its {@code set}. */
  private boolean parse(JsonParser p, LineFields f) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return false;
    }
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (name == CHANGED && v == JsonToken.START_ARRAY) {
        f.changes = changes(p);
      } else if (name == ERRORS && v == JsonToken.START_OBJECT) {
        f.errors = errors(p);
      } else if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
        p.skipChildren();
      } else if (name == SET && v == JsonToken.VALUE_STRING) {
        f.set = sets.matches(p.getText()) ? 1 : 0;
        if (f.set == 0) {
          return true;
        }
      } else if (name == TIMESTAMP && v == JsonToken.VALUE_STRING) {
        f.at = times.epochNanos(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
      } else if (name == DECIDED_AT && v == JsonToken.VALUE_STRING) {
        f.decided = times.epochNanos(p.getTextCharacters(), p.getTextOffset(),
            p.getTextLength());
      } else if (name == EVENT && v == JsonToken.VALUE_STRING) {
        f.event = true;
        f.eventName = p.getText();
        f.kind = kind(f.eventName);
      } else if (name == REGION && v == JsonToken.VALUE_STRING) {
        f.region = regionIndex(p);
      } else if (name == TO_REGION && v == JsonToken.VALUE_STRING) {
        f.toRegion = regionIndex(p);
      } else if (name == HEALTHY && v.isBoolean()) {
        f.healthy = v == JsonToken.VALUE_TRUE ? 1 : 0;
      } else if (name == FULL_RESTART && v.isBoolean()) {
        f.fullRestart = v == JsonToken.VALUE_TRUE ? 1 : 0;
      } else if (name == LATENCY && v == JsonToken.VALUE_NUMBER_INT) {
        f.latency = p.getLongValue();
      } else if (name == STATUS && v == JsonToken.VALUE_NUMBER_INT) {
        f.status = p.getIntValue();
      } else if (name == REASON && v == JsonToken.VALUE_STRING) {
        f.reason = p.getText();
      } else if (name == USER && v == JsonToken.VALUE_STRING) {
        f.user = p.getText();
      } else if (name == FLEET && v.isBoolean()) {
        f.fleet = v == JsonToken.VALUE_TRUE ? 1 : 0;
      } else if (name == EPOCH && v == JsonToken.VALUE_NUMBER_INT) {
        f.epoch = p.getLongValue();
      } else if (name == OK && v == JsonToken.VALUE_NUMBER_INT) {
        f.ok = p.getLongValue();
      } else if (name == UNREACHABLE && v == JsonToken.VALUE_NUMBER_INT) {
        f.unreachable = p.getLongValue();
      } else if (name == SOURCE && v == JsonToken.VALUE_STRING) {
        f.source = p.getText();
      }
    }
    return t == JsonToken.END_OBJECT && p.nextToken() == null;
  }

  /**
   * {@code reload_applied}'s {@code changed}: [{set, setting, old, new}], those of the set
   * replayed (or of none) as variable to new value (null: back to its default). Leaves the
   * parser at the array's end.
   */
  private Map<String, String> changes(JsonParser p) throws IOException {
    Map<String, String> changes = new LinkedHashMap<>();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
      String set = null;
      String setting = null;
      String value = null;
      boolean given = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
          p.skipChildren();
        } else if (name.equals(SET) && v == JsonToken.VALUE_STRING) {
          set = p.getText();
        } else if (name.equals("setting") && v == JsonToken.VALUE_STRING) {
          setting = p.getText();
        } else if (name.equals("new") && (v == JsonToken.VALUE_STRING
            || v == JsonToken.VALUE_NULL)) {
          value = v == JsonToken.VALUE_NULL ? null : p.getText();
          given = true;
        }
      }
      if (setting != null && given && (set == null || sets.matches(set))) {
        changes.put(setting, value);
      }
    }
    if (t != JsonToken.END_ARRAY) {
      throw new IOException("changed: a list of objects expected");
    }
    return changes;
  }

  /**
   * A traffic line's {@code errors}: class to count, whole counts only (anything else in it
   * is skipped). Leaves the parser at the object's end.
   */
  private static Map<String, Long> errors(JsonParser p) throws IOException {
    Map<String, Long> errors = new java.util.TreeMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (v == JsonToken.VALUE_NUMBER_INT) {
        errors.put(name, p.getLongValue());
      } else if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
        p.skipChildren();
      }
    }
    return errors;
  }

  private Outcome conclude(LineFields f, RecordedInput into) {
    if (f.set == 0) {
      return Outcome.OTHER_SET;
    }
    if (!f.event) {
      return Outcome.MALFORMED; // not one of the loop's events
    }
    if (f.kind == null) {
      return Outcome.OTHER_EVENT;
    }
    if (f.kind == RecordedInput.Kind.RELOAD) {
      return reload(f, into);
    }
    boolean fleetMove = f.fleet == 1 && f.epoch >= 0 && f.epoch <= Integer.MAX_VALUE;
    if (f.kind == RecordedInput.Kind.FLEET_MOVE && !fleetMove) {
      return Outcome.OTHER_EVENT; // an operator's move of this host: its command is not read
    }
    RecordedInput.Kind kind = fleetMove && f.kind == RecordedInput.Kind.SWITCH_BEGUN
        ? RecordedInput.Kind.FLEET_MOVE : f.kind;
    boolean probe = f.kind == RecordedInput.Kind.CHAIN || f.kind == RecordedInput.Kind.DIRECT;
    boolean traffic = f.kind == RecordedInput.Kind.TRAFFIC;
    // A move names its target in to_region; a restart in place, or a probe, in region.
    int region = f.toRegion != LineFields.UNSET ? f.toRegion : f.region;
    if (f.at == IsoTimestamps.INVALID || region == LineFields.UNSET
        || (probe && f.healthy == LineFields.UNSET)
        || (traffic && (f.ok < 0 || f.unreachable < 0))) {
      return Outcome.MALFORMED;
    }
    if (region == LineFields.UNKNOWN) {
      return Outcome.UNKNOWN_REGION;
    }
    into.kind = kind;
    into.epoch = fleetMove ? (int) f.epoch : -1;
    into.move = fleetMove ? f.eventName : null;
    into.user = f.user;
    into.result = probe ? result(f.healthy == 1, f.latency, f.status, f.reason) : null;
    into.region = region;
    into.decided = f.decided != IsoTimestamps.INVALID;
    into.at = into.decided ? f.decided : f.at;
    into.fullRestart = f.fullRestart == 1;
    into.reason = f.reason;
    into.changes = null;
    into.ok = traffic ? f.ok : 0;
    into.unreachable = traffic ? f.unreachable : 0;
    into.source = traffic ? f.source : null;
    into.byClass = traffic && f.errors != null ? f.errors : null;
    return Outcome.INPUT;
  }

  /** A reload that changed some setting of the set replayed: its new values, from then on. */
  private static Outcome reload(LineFields f, RecordedInput into) {
    if (f.at == IsoTimestamps.INVALID) {
      return Outcome.MALFORMED;
    }
    if (f.changes == null || f.changes.isEmpty()) {
      return Outcome.OTHER_EVENT; // new sets, files read again, or another set's settings
    }
    into.kind = RecordedInput.Kind.RELOAD;
    into.changes = f.changes;
    into.region = LineFields.UNSET;
    into.result = null;
    into.decided = f.decided != IsoTimestamps.INVALID;
    into.at = into.decided ? f.decided : f.at;
    into.reason = null;
    into.move = null;
    into.user = f.user;
    into.epoch = -1;
    into.fullRestart = false;
    return Outcome.INPUT;
  }

  private static RecordedInput.Kind kind(String event) {
    for (RecordedInput.Kind k : RecordedInput.Kind.values()) {
      for (String e : k.events) {
        if (e.equals(event)) {
          return k;
        }
      }
    }
    return null;
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
    return new ProbeResult(ok, latency, status(status),
        ok ? "ok" : reason == null ? "failed" : reason);
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

  private int regionIndex(JsonParser p) throws IOException {
    for (int i = 0; i < regions.length; i++) {
      if (is(p, regions[i])) {
        return i;
      }
    }
    return LineFields.UNKNOWN;
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
