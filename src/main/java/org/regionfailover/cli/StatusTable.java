package org.regionfailover.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code /status} document as a person reads it in a terminal, one table per failover
 * set when there are several: one line for where the set is and why, the hold, outage,
 * budget and fail-back lines, then the regions, the components and the last transitions as
 * short tables.
 */
final class StatusTable {
  private static final int TRANSITIONS_SHOWN = 10;

  private final DateTimeFormatter time;

  StatusTable(ZoneId zone) {
    this.time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(zone);
  }

  /**
   * The whole {@code /status} document: as {@link #render} when the process runs one set,
   * else one table per set under a heading {@code set NAME}.
   */
  String renderSets(JsonNode doc) {
    JsonNode sets = doc.path("sets");
    if (doc.path("active_region").isTextual() || !sets.isArray()) {
      return render(doc);
    }
    StringBuilder b = new StringBuilder();
    b.append(doc.path("hostname").isTextual() ? doc.path("hostname").asText() + ": " : "")
        .append("region-failover ").append(doc.path("version").asText()).append(": ")
        .append(sets.size()).append(" failover sets").append(doc.path("healthy").asBoolean()
            ? ", all healthy" : ", NOT all healthy").append('\n');
    for (JsonNode set : sets) {
      b.append("\n=== set ").append(set.path("set").asText()).append(" ===\n");
      b.append(set.path("active_region").isTextual()
          ? render(set, "/set/" + set.path("set").asText() + "/")
          : set.path("state").asText() + ": " + set.path("state_reason").asText() + "\n");
    }
    return b.toString();
  }

  /** The document of a process with one set. */
  String render(JsonNode s) {
    return render(s, "/");
  }

  /**
   * One set's document (today's {@code /status}, or one element of its {@code sets}), whose
   * commands are POSTed under {@code commands}.
   */
  private String render(JsonNode s, String commands) {
    Instant now = Instant.parse(s.path("generated_at").asText());
    StringBuilder b = new StringBuilder();
    b.append(s.path("hostname").isTextual() ? s.path("hostname").asText() + ": " : "")
        .append("region-failover ").append(s.path("version").asText()).append(": on ")
        .append(s.path("active_region").asText()).append(" (")
        .append(s.path("active_host").asText()).append("), ")
        .append(s.path("state").asText().toUpperCase(Locale.ROOT)).append(" since ")
        .append(when(s.path("state_since"), now)).append(s.path("healthy").asBoolean()
            ? ", healthy" : ", NOT healthy").append('\n');
    b.append("  ").append(s.path("state_reason").asText()).append('\n');
    for (JsonNode w : s.path("maintenance")) {
      b.append("MAINTENANCE ").append(w.path("region").asText()).append(' ')
          .append(w.path("start").asText()).append(" to ").append(w.path("end").asText())
          .append(" (").append(w.path("state").asText().replace('_', ' ')).append(", id ")
          .append(w.path("id").asText()).append("): ").append(w.path("reason").asText())
          .append('\n');
    }
    JsonNode hold = s.path("hold");
    if (hold.isObject()) {
      b.append("HELD by ").append(hold.path("by").asText()).append(" since ")
          .append(when(hold.path("since"), now)).append(hold.path("until").isTextual()
              ? " until " + when(hold.path("until"), now) : " until released")
          .append(": ").append(hold.path("reason").asText()).append('\n');
    }
    JsonNode outage = s.path("outage");
    if (outage.isObject()) {
      b.append(String.format(Locale.ROOT, "outage: %.0f s of the %d s threshold (%s)%n",
          outage.path("seconds").asDouble(), outage.path("threshold_s").asLong(),
          outage.path("reason").asText()));
    }
    b.append(budget(s.path("budget"), now)).append('\n');
    b.append(failback(s.path("failback"), now, commands)).append('\n');
    b.append('\n').append(regions(s.path("regions")));
    b.append('\n').append(components(s.path("components"), now));
    b.append('\n').append(transitions(s.path("transitions")));
    return b.toString();
  }

  private String budget(JsonNode budget, Instant now) {
    if (budget.path("max").asInt() == 0) {
      return "budget: no limit";
    }
    String line = "budget: " + budget.path("used").asInt() + " of " + budget.path("max").asInt()
        + " transitions in " + human(Duration.ofSeconds(budget.path("window_s").asLong()));
    return budget.path("free_at").isTextual()
        ? line + "; used up, a slot frees " + when(budget.path("free_at"), now) : line;
  }

  private String failback(JsonNode f, Instant now, String commands) {
    String mode = f.path("mode").asText();
    if (!f.path("target").isTextual()) {
      return "fail-back: " + mode + ", none due";
    }
    if (f.path("waiting_for_operator").asBoolean()) {
      return "fail-back: " + f.path("target").asText()
          + " is up; fail-back WAITS FOR AN OPERATOR (POST " + commands + "failback)";
    }
    return "fail-back: " + mode + ", to " + f.path("target").asText() + " "
        + when(f.path("at"), now);
  }

  private String regions(JsonNode regions) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"REGION", "HOST", "ACTIVE", "DIRECT", "LATENCY", "CHAIN"});
    for (JsonNode r : regions) {
      JsonNode d = r.path("direct");
      JsonNode c = r.path("chain");
      rows.add(new String[] {r.path("name").asText(), r.path("host").asText(),
          r.path("active").asBoolean() ? "*" : "", d.path("health").asText()
              + (d.path("reason").isTextual() ? " (" + d.path("reason").asText() + ")" : ""),
          d.has("latency_ms") ? d.path("latency_ms").asLong() + " ms" : "-",
          c.isObject() ? (c.path("healthy").asBoolean() ? "ok " : "FAILED ")
              + c.path("latency_ms").asLong() + " ms" : "-"});
    }
    return table(rows);
  }

  private String components(JsonNode components, Instant now) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"COMPONENT", "STATUS", "SINCE", "REASON"});
    for (JsonNode c : components) {
      rows.add(new String[] {c.path("name").asText(), c.path("status").asText(),
          when(c.path("since"), now), c.path("reason").asText()});
    }
    return table(rows);
  }

  private String transitions(JsonNode transitions) {
    if (transitions.isEmpty()) {
      return "no transitions since start-up\n";
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"AT", "KIND", "FROM", "TO", "OUTCOME", "BY", "REASON"});
    int n = 0;
    for (JsonNode t : transitions) {
      if (n++ == TRANSITIONS_SHOWN) {
        break;
      }
      rows.add(new String[] {time.format(Instant.parse(t.path("at").asText())),
          t.path("kind").asText(), t.path("from").asText("-"), t.path("to").asText("-"),
          t.path("outcome").asText() + (t.has("took_ms")
              ? " in " + t.path("took_ms").asLong() + " ms" : ""),
          t.path("by").asText("-"), t.path("reason").asText("")});
    }
    return table(rows);
  }

  /** A time and how far from now it is, e.g. {@code 03:05:10 (2m 5s ago)}. */
  private String when(JsonNode iso, Instant now) {
    if (!iso.isTextual()) {
      return "-";
    }
    Instant at = Instant.parse(iso.asText());
    Duration d = Duration.between(now, at);
    String rel = d.isNegative() ? human(d.negated()) + " ago" : "in " + human(d);
    return time.format(at) + " (" + rel + ")";
  }

  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m " + s % 60 + "s";
    }
    return s / 3600 + "h " + s % 3600 / 60 + "m";
  }

  private static String table(List<String[]> rows) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < cols; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        line.append(i == cols - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }
}
