package org.regionfailover.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.regionfailover.report.Event;
import org.regionfailover.report.Slf4jEventLog;

/**
 * Writes an event as the loop's stdout does (the Logstash encoder, see JsonLogConfigurator):
 * {@code @timestamp}, {@code message}, {@code logger_name}, {@code level}, {@code event},
 * the event's fields in order, {@code service}, one object a line. The time is the recorded
 * one, never the wall clock, and a {@code replay: true} field marks the line as simulated,
 * so that the same input always gives the same bytes and no one takes it for a real event.
 */
public final class EventLineWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OutputStream out;
  private final String service;
  private final boolean marked;

  /** Writes to {@code out}, with {@code service} as the loop's logback config names it. */
  public EventLineWriter(OutputStream out, String service) {
    this(out, service, true);
  }

  /**
   * As above; {@code marked} false writes real events as the loop's stdout has them, without
   * the replay marker (a demo host's own log).
   */
  public EventLineWriter(OutputStream out, String service, boolean marked) {
    this.out = out;
    this.service = service;
    this.marked = marked;
  }

  /** One line for {@code event}, stamped with the recorded time {@code atEpochNanos}. */
  public void write(Event event, long atEpochNanos) throws IOException {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("@timestamp", IsoTimestamps.format(atEpochNanos));
    line.put("message", event.message());
    line.put("logger_name", Slf4jEventLog.LOGGER);
    line.put("level", event.level().name().toUpperCase(Locale.ROOT));
    line.put("event", event.name());
    line.putAll(event.fields());
    if (marked) {
      line.put("replay", true);
    }
    line.put("service", service);
    out.write(JSON.writeValueAsBytes(line));
    out.write('\n');
  }
}
