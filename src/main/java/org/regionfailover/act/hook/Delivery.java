package org.regionfailover.act.hook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.regionfailover.report.Event;

/**
 * One event as the hooks and the webhook get it: its sequence number (0 for a hook run
 * outside the outbox: pre-switch, post-switch without a notify sink) and its JSON line,
 * {@code seq}, {@code event}, {@code time}, {@code level}, {@code message} and the event's
 * fields. The line is what the outbox keeps, the hook reads on stdin and the webhook posts;
 * the hook's {@code RF_*} variables are read back from it, so a delivery after a restart
 * is the same delivery.
 */
public record Delivery(long seq, String line) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public Delivery {
    Objects.requireNonNull(line, "line");
  }

  /** {@code event}, numbered {@code seq}, at {@code time}. */
  public static Delivery of(long seq, Event event, Instant time) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("seq", seq);
    out.put("event", event.name());
    out.put("time", time.toString());
    out.put("level", event.level().name());
    out.put("message", event.message());
    event.fields().forEach(out::putIfAbsent);
    try {
      return new Delivery(seq, JSON.writeValueAsString(out));
    } catch (JsonProcessingException e) {
      // A field Jackson cannot write: its text rather than no delivery.
      Map<String, Object> flat = new LinkedHashMap<>();
      out.forEach((k, v) -> flat.put(k, v instanceof Number || v instanceof Boolean ? v
          : String.valueOf(v)));
      try {
        return new Delivery(seq, JSON.writeValueAsString(flat));
      } catch (JsonProcessingException again) {
        throw new UncheckedIOException(again);
      }
    }
  }

  /** The line parsed back (a line this class wrote). */
  JsonNode json() {
    try {
      return JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The event's name, as in the line. */
  public String event() {
    return json().path("event").asText();
  }

  /**
   * The context a hook gets in its environment: {@code RF_EVENT}, {@code RF_SEQ},
   * {@code RF_SET}, {@code RF_REGION}, {@code RF_FROM}, {@code RF_TO}, {@code RF_REASON},
   * {@code RF_EPOCH} (a fleet's) and {@code RF_TIME}; those the event has no field for are
   * left out, all but {@code RF_SEQ} (empty for a hook run outside the outbox).
   */
  public Map<String, String> variables() {
    JsonNode j = json();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("RF_EVENT", j.path("event").asText());
    env.put("RF_SEQ", seq > 0 ? Long.toString(seq) : "");
    put(env, "RF_SET", j, "set");
    put(env, "RF_REGION", j, "region");
    put(env, "RF_FROM", j, "from_region");
    put(env, "RF_TO", j, "to_region");
    put(env, "RF_REASON", j, "reason");
    put(env, "RF_EPOCH", j, "epoch");
    put(env, "RF_TIME", j, "time");
    return env;
  }

  private static void put(Map<String, String> env, String name, JsonNode j, String field) {
    JsonNode v = j.get(field);
    if (v != null && !v.isNull()) {
      // The kernel cannot pass a NUL in an environment variable.
      env.put(name, (v.isValueNode() ? v.asText() : v.toString()).replace('\0', ' '));
    }
  }
}
