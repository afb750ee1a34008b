package org.regionfailover.report;

import java.util.LinkedHashMap;
import java.util.Map;
import net.logstash.logback.marker.Markers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Logs events through SLF4J with their fields as structured JSON entries, so that the
 * Logstash encoder writes each as a real JSON field (never string-formatted into the
 * message, where a quote would break the line).
 */
public final class Slf4jEventLog implements EventLog {
  /** The logger every event goes through; appenders (stdout, Datadog) hang off it. */
  public static final String LOGGER = "region-failover";

  private volatile Logger logger;

  /**
   * Logs through {@link #LOGGER}, looked up on the first event: starting logging costs about
   * 60 ms, which a command that never logs need not pay, and the loop pays off its main path.
   */
  public Slf4jEventLog() {
    this.logger = null;
  }

  public Slf4jEventLog(Logger logger) {
    this.logger = logger;
  }

  @Override
  public void emit(Event event) {
    try {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("event", event.name());
      fields.putAll(event.fields());
      logger().atLevel(level(event.level()))
          .addMarker(Markers.appendEntries(fields))
          .log(event.message());
    } catch (RuntimeException e) {
      // Reporting must never break the loop; a broken appender costs a line, not a probe.
    }
  }

  private Logger logger() {
    Logger l = logger;
    if (l == null) {
      l = LoggerFactory.getLogger(LOGGER); // the same instance on every call: a race is harmless
      logger = l;
    }
    return l;
  }

  private static Level level(Event.Level l) {
    return switch (l) {
      case DEBUG -> Level.DEBUG;
      case INFO -> Level.INFO;
      case WARN -> Level.WARN;
      case ERROR -> Level.ERROR;
    };
  }
}
