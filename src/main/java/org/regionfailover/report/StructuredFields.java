package org.regionfailover.report;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.logstash.logback.argument.StructuredArgument;
import net.logstash.logback.marker.LogstashMarker;
import org.slf4j.Marker;

/**
 * Reads the structured fields of a logging event: Logstash markers ({@code Markers.append},
 * {@code appendEntries}, {@code appendFields}, ...) and structured arguments ({@code kv(...)}).
 *
 * <p>Each marker is asked to write itself with {@link LogstashMarker#writeTo}, the same call the
 * stdout encoder makes, into a Jackson token buffer that is then read back as a map. That is the
 * one interface every Logstash marker type implements, so no marker's private fields are read
 * and the Datadog line and the console's text line carry exactly the fields the JSON line
 * does.
 */
public final class StructuredFields {
  private static final TypeReference<LinkedHashMap<String, Object>> MAP =
      new TypeReference<>() {};

  private final ObjectMapper mapper =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          // Instants and durations as ISO text, the way a person reading the log expects them.
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          // A field holding an object without getters becomes {} instead of losing the event.
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  /** The event's structured fields in the order they were given; empty when it has none. */
  public Map<String, Object> of(ILoggingEvent event) throws IOException {
    List<Marker> markers = event.getMarkerList();
    Object[] arguments = event.getArgumentArray();
    boolean noMarkers = markers == null || markers.isEmpty();
    boolean noArguments = arguments == null || arguments.length == 0;
    if (noMarkers && noArguments) {
      return Map.of();
    }
    try (TokenBuffer buffer = new TokenBuffer(mapper, false)) {
      buffer.writeStartObject();
      if (!noMarkers) {
        for (Marker marker : markers) {
          write(marker, buffer, new ArrayList<>());
        }
      }
      if (!noArguments) {
        for (Object argument : arguments) {
          if (argument instanceof StructuredArgument structured) {
            structured.writeTo(buffer);
          }
        }
      }
      buffer.writeEndObject();
      return mapper.readValue(buffer.asParser(), MAP);
    }
  }

  /** Writes a marker and the markers it references ({@code a.and(b)}), guarding against cycles. */
  private static void write(Marker marker, TokenBuffer buffer, List<Marker> seen)
      throws IOException {
    for (Marker visited : seen) {
      if (visited == marker) {
        return;
      }
    }
    seen.add(marker);
    if (marker instanceof LogstashMarker logstash) {
      logstash.writeTo(buffer);
    }
    Iterator<Marker> references = marker.iterator();
    while (references.hasNext()) {
      write(references.next(), buffer, seen);
    }
  }
}
