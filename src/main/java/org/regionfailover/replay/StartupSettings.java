package org.regionfailover.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings the loop ran with, from the {@code startup} event it logs when it starts
 * (every setting as {@code setting_<variable>}, secrets masked), logged at {@code time}, by
 * failover set {@code set} (null: a line of no set, from before sets) of the process's
 * {@code sets} (empty: one set).
 */
public record StartupSettings(String time, Map<String, String> byVariable, String set,
    List<String> sets) {
  /**
   * What the head of a log says: its startup lines in order, and every set a line of it
   * names (its {@code set} field, or a startup line's {@code sets}), sorted.
   */
  public record Head(List<StartupSettings> startups, SortedSet<String> sets) {
    /**
     * The startup line of set {@code name}: its first, or, in a log whose startup lines name
     * no set, the first; null {@code name}: the first of any.
     */
    public Optional<StartupSettings> startup(String name) {
      return startups.stream().filter(s -> name == null || name.equals(s.set())).findFirst()
          .or(() -> startups.stream().filter(s -> s.set() == null).findFirst());
    }
  }

  /** A line's {@code set} field and its value (a set's name has no quote nor escape). */
  private static final Pattern SET_FIELD = Pattern.compile("\"set\"\\s*:\\s*\"([^\"\\\\]+)\"");
  /** How far into a log its startup line is looked for: it is among the first lines. */
  static final int HEAD = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The first startup event in the head of {@code in}, which must support mark and reset
   * (as {@link ProbeLogReader#decoded} returns): it is left where it was.
   */
  public static Optional<StartupSettings> find(InputStream in) throws IOException {
    return head(in).startup(null);
  }

  /** The startup lines and sets of the head of {@code in}, left where it was (see find). */
  public static Head head(InputStream in) throws IOException {
    in.mark(HEAD + 1);
    String head = new String(in.readNBytes(HEAD), StandardCharsets.UTF_8);
    in.reset();
    List<StartupSettings> startups = new ArrayList<>();
    SortedSet<String> sets = new TreeSet<>();
    head.lines().forEach(line -> {
      Matcher m = SET_FIELD.matcher(line);
      while (m.find()) {
        sets.add(m.group(1));
      }
      if (line.contains("\"startup\"")) {
        parse(line).ifPresent(s -> {
          startups.add(s);
          sets.addAll(s.sets());
        });
      }
    });
    return new Head(List.copyOf(startups), Collections.unmodifiableSortedSet(sets));
  }

  private static Optional<StartupSettings> parse(String line) {
    try {
      JsonNode e = JSON.readTree(line);
      Instant.parse(e.path("@timestamp").asText()); // a time, or not the loop's line
      if (!e.path("event").asText().equals("startup")) {
        return Optional.empty();
      }
      Map<String, String> settings = new HashMap<>();
      e.fields().forEachRemaining(f -> {
        if (f.getKey().startsWith("setting_") && f.getValue().isTextual()) {
          settings.put(f.getKey().substring(8).toUpperCase(Locale.ROOT), f.getValue().asText());
        }
      });
      List<String> sets = new ArrayList<>();
      e.path("sets").forEach(n -> sets.add(n.asText()));
      String set = e.path("set").isTextual() ? e.path("set").asText() : null;
      return Optional.of(new StartupSettings(e.path("@timestamp").asText(), Map.copyOf(settings),
          set, List.copyOf(sets)));
    } catch (IOException | java.time.DateTimeException notTheLoops) {
      return Optional.empty();
    }
  }

  /** When it was logged. */
  public Instant at() {
    return Instant.parse(time);
  }
}
