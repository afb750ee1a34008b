package org.regionfailover.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The settings the loop ran with, from the {@code startup} event it logs when it starts
 * (every setting as {@code setting_<variable>}, secrets masked), found at the head of a log.
 */
public record StartupSettings(long at, Map<String, String> byVariable) {
  /** How far into a log its startup line is looked for: it is among the first lines. */
  static final int HEAD = 1 << 20;
  private static final String PREFIX = "setting_";
  private static final ObjectMapper JSON = new ObjectMapper();

  public StartupSettings {
    byVariable = Map.copyOf(byVariable);
  }

  /**
   * The first startup event in the head of {@code in}, which must support mark and reset
   * (as {@link ProbeLogReader#decoded} returns): it is left where it was.
   */
  public static Optional<StartupSettings> find(InputStream in) throws IOException {
    in.mark(HEAD + 1);
    byte[] head = in.readNBytes(HEAD);
    in.reset();
    String text = new String(head, StandardCharsets.UTF_8);
    for (String line : (Iterable<String>) text.lines()::iterator) {
      if (!line.contains("\"startup\"")) {
        continue;
      }
      JsonNode e;
      try {
        e = JSON.readTree(line);
      } catch (IOException notJson) {
        continue;
      }
      if (!e.path("event").asText().equals("startup")) {
        continue;
      }
      Map<String, String> settings = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (f.getKey().startsWith(PREFIX) && f.getValue().isTextual()) {
          settings.put(f.getKey().substring(PREFIX.length()).toUpperCase(java.util.Locale.ROOT),
              f.getValue().asText());
        }
      }
      long at = new IsoTimestamps().epochNanos(e.path("@timestamp").asText().toCharArray(), 0,
          e.path("@timestamp").asText().length());
      return Optional.of(new StartupSettings(at, settings));
    }
    return Optional.empty();
  }

  /** When the loop logged it, as the log writes times. */
  public String time() {
    return IsoTimestamps.format(at);
  }
}
