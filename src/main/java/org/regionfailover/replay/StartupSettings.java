package org.regionfailover.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The settings the loop ran with, from the {@code startup} event it logs when it starts
 * (every setting as {@code setting_<variable>}, secrets masked), logged at {@code time}.
 */
public record StartupSettings(String time, Map<String, String> byVariable) {
  /** How far into a log its startup line is looked for: it is among the first lines. */
  static final int HEAD = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The first startup event in the head of {@code in}, which must support mark and reset
   * (as {@link ProbeLogReader#decoded} returns): it is left where it was.
   */
  public static Optional<StartupSettings> find(InputStream in) throws IOException {
    in.mark(HEAD + 1);
    String head = new String(in.readNBytes(HEAD), StandardCharsets.UTF_8);
    in.reset();
    return head.lines().filter(l -> l.contains("\"startup\"")).map(StartupSettings::parse)
        .flatMap(Optional::stream).findFirst();
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
      return Optional.of(new StartupSettings(e.path("@timestamp").asText(), Map.copyOf(settings)));
    } catch (IOException | java.time.DateTimeException notTheLoops) {
      return Optional.empty();
    }
  }

  /** When it was logged. */
  public Instant at() {
    return Instant.parse(time);
  }
}
