package org.regionfailover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The loop's and replay's JSON log lines, read for comparison. */
public final class JsonLines {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonLines() {}

  /** Each line of {@code text} as a JSON tree. */
  public static List<JsonNode> of(String text) {
    return text.lines().map(l -> {
      try {
        return JSON.readTree(l);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).toList();
  }

  /**
   * Every field of {@code e} but the time the line was written and replay's marker: what a
   * replayed decision must share with the loop's.
   */
  public static JsonNode withoutLineTime(JsonNode e) {
    ObjectNode copy = e.deepCopy();
    copy.remove(List.of("@timestamp", "replay"));
    return copy;
  }
}
