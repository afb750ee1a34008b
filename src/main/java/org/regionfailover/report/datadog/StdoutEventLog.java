package org.regionfailover.report.datadog;

import java.util.LinkedHashMap;
import java.util.Map;
import net.logstash.logback.marker.Markers;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the shipper reports on itself: the ordinary logback pipeline, under a logger name that
 * {@link DatadogAppender} ignores. The lines reach stdout but never the Datadog queue, so a
 * failing intake cannot feed its own error reports back into itself.
 */
final class StdoutEventLog implements EventLog {
  static final String LOGGER_NAME = "org.regionfailover.report.datadog.shipper";

  private final Logger logger;

  StdoutEventLog(Logger logger) {
    this.logger = logger;
  }

  /** Logs through the process-wide logger factory. */
  static StdoutEventLog standard() {
    return new StdoutEventLog(LoggerFactory.getLogger(LOGGER_NAME));
  }

  @Override
  public void emit(Event event) {
    try {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("event", event.name());
      fields.putAll(event.fields());
      var marker = Markers.appendEntries(fields);
      switch (event.level()) {
        case ERROR -> logger.error(marker, event.message());
        case WARN -> logger.warn(marker, event.message());
        case INFO -> logger.info(marker, event.message());
        case DEBUG -> logger.debug(marker, event.message());
      }
    } catch (RuntimeException e) {
      // EventLog must never throw; a broken stdout has nowhere left to report to.
    }
  }
}
