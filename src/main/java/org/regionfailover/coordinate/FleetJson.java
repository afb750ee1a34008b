package org.regionfailover.coordinate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.regionfailover.decide.Operator;
import org.regionfailover.decide.RegionView.Health;
import org.regionfailover.decide.fleet.FleetCommand;
import org.regionfailover.decide.fleet.FleetHold;
import org.regionfailover.decide.fleet.HostView;

/**
 * The JSON of every node the cluster keeps, written and read field by field: a node written
 * by another version (or by hand) is read as far as it makes sense, and a damaged one is an
 * {@link IOException}, never a crash of the loop that reads it.
 */
final class FleetJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FleetJson() {}

  static byte[] view(HostView v) {
    ObjectNode o = JSON.createObjectNode().put("host", v.host()).put("region", v.region())
        .put("phase", v.phase()).put("down_for_ms", v.downForMillis())
        .put("applied_epoch", v.appliedEpoch());
    ObjectNode direct = o.putObject("direct");
    v.direct().forEach((r, h) -> direct.put(r, h.name().toLowerCase(Locale.ROOT)));
    return bytes(o);
  }

  static HostView view(byte[] data) throws IOException {
    JsonNode o = tree(data);
    Map<String, Health> direct = new LinkedHashMap<>();
    o.path("direct").fields().forEachRemaining(e -> direct.put(e.getKey(),
        health(e.getValue().asText())));
    return new HostView(text(o, "host"), text(o, "region"), text(o, "phase"),
        o.path("down_for_ms").asLong(-1), direct, o.path("applied_epoch").asLong(-1));
  }

  static byte[] decision(FleetDecision d) {
    return bytes(JSON.createObjectNode().put("region", d.region()).put("kind", d.kind())
        .put("reason", d.reason()).put("decider", d.decider()).put("at_ms", d.atMillis())
        .put("user", d.by().user()).put("address", d.by().address()));
  }

  static FleetDecision decision(byte[] data) throws IOException {
    JsonNode o = tree(data);
    String decider = o.path("decider").asText("unknown");
    return new FleetDecision(text(o, "region"), o.path("kind").asText("unknown"),
        o.path("reason").asText(""), decider, o.path("at_ms").asLong(0),
        new Operator(o.path("user").asText(FleetDecision.FLEET_USER),
            o.path("address").asText(decider)));
  }

  /** The fleet's history (epoch millis) and hold (wall millis; until 0: until released). */
  record Persisted(long[] historyMillis, FleetHold holdMillis) {}

  static byte[] fleetState(long[] historyMillis, FleetHold holdMillis) {
    ObjectNode o = JSON.createObjectNode();
    ArrayNode h = o.putArray("transitions_ms");
    for (long t : historyMillis) {
      h.add(t);
    }
    if (holdMillis != null) {
      o.putObject("hold").put("user", holdMillis.user()).put("reason", holdMillis.reason())
          .put("since_ms", holdMillis.since()).put("until_ms", holdMillis.until());
    }
    return bytes(o);
  }

  static Persisted fleetState(byte[] data) throws IOException {
    JsonNode o = tree(data);
    JsonNode h = o.path("transitions_ms");
    long[] times = new long[h.size()];
    for (int i = 0; i < times.length; i++) {
      times[i] = h.get(i).asLong();
    }
    JsonNode hold = o.path("hold");
    FleetHold fh = hold.isObject() ? new FleetHold(hold.path("user").asText("unknown"),
        hold.path("reason").asText(""), hold.path("since_ms").asLong(),
        hold.path("until_ms").asLong()) : null;
    return new Persisted(times, fh);
  }

  static byte[] command(FleetCommand c) {
    ObjectNode o = JSON.createObjectNode().put("id", c.id()).put("name", c.name())
        .put("target", c.target()).put("force", c.force()).put("user", c.user())
        .put("address", c.address()).put("host", c.host());
    if (c.duration() != null) {
      o.put("duration_ms", c.duration().toMillis());
    }
    if (c.reason() != null) {
      o.put("reason", c.reason());
    }
    return bytes(o);
  }

  static FleetCommand command(byte[] data) throws IOException {
    JsonNode o = tree(data);
    return new FleetCommand(text(o, "id"), text(o, "name"), o.path("target").asInt(-1),
        o.path("force").asBoolean(false),
        o.has("duration_ms") ? Duration.ofMillis(o.get("duration_ms").asLong()) : null,
        o.has("reason") ? o.get("reason").asText() : null, text(o, "user"),
        text(o, "address"), text(o, "host"));
  }

  /** A command's answer: accepted or refused, why, and the epoch it made (-1: none). */
  record Answer(boolean accepted, String outcome, int epoch) {}

  static byte[] answer(Answer a) {
    return bytes(JSON.createObjectNode().put("accepted", a.accepted())
        .put("outcome", a.outcome()).put("epoch", a.epoch()));
  }

  static Answer answer(byte[] data) throws IOException {
    JsonNode o = tree(data);
    return new Answer(o.path("accepted").asBoolean(false), o.path("outcome").asText(""),
        o.path("epoch").asInt(-1));
  }

  private static Health health(String s) {
    try {
      return Health.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Health.UNKNOWN;
    }
  }

  private static String text(JsonNode o, String field) throws IOException {
    JsonNode v = o.get(field);
    if (v == null || !v.isValueNode()) {
      throw new IOException("no field " + field);
    }
    return v.asText();
  }

  private static JsonNode tree(byte[] data) throws IOException {
    if (data == null || data.length == 0) {
      throw new IOException("empty node");
    }
    JsonNode o = JSON.readTree(data);
    if (o == null || !o.isObject()) {
      throw new IOException("not a JSON object");
    }
    return o;
  }

  private static byte[] bytes(JsonNode o) {
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }
}
