package org.regionfailover.report.datadog;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import com.datadog.api.client.v2.model.HTTPLogItem;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.regionfailover.config.DatadogSettings;
import org.regionfailover.report.StructuredFields;

/**
 * Turns a logback event into the item Datadog's HTTP intake takes: the fixed attributes
 * (ddsource, service, hostname, ddtags, status, message) plus every structured field.
 *
 * <p>Runs on the logging thread, so it reads the active region at the moment of the event: a
 * line logged just before a failover is tagged with the region it was about.
 */
final class LogItemConverter {
  static final String SOURCE = "region-failover";
  // Datadog cuts single logs at 1 MB; a bounded message also keeps one huge stack trace
  // from filling a 5 MB batch on its own.
  static final int MAX_TEXT_CHARS = 256 * 1024;

  // Attributes the converter sets itself; a structured field with one of these names is
  // shipped as "fields.<name>" so that it cannot overwrite them.
  private static final Set<String> RESERVED =
      Set.of("ddsource", "ddtags", "hostname", "message", "service", "status", "timestamp");

  private final DatadogSettings settings;
  private final Supplier<String> activeRegion;
  private final String fixedTags;
  private final StructuredFields structuredFields = new StructuredFields();

  private final Clock wallClock;

  LogItemConverter(DatadogSettings settings, Supplier<String> activeRegion) {
    this(settings, activeRegion, Clock.systemUTC());
  }

  /** {@code wallClock} stamps the shipper's own items; Datadog indexes by wall time. */
  LogItemConverter(DatadogSettings settings, Supplier<String> activeRegion, Clock wallClock) {
    this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.activeRegion = Objects.requireNonNull(activeRegion, "activeRegion");
    List<String> tags = new ArrayList<>(settings.tags());
    if (settings.env() != null) {
      tags.add("env:" + settings.env());
    }
    this.fixedTags = String.join(",", tags);
  }

  /** The intake item for {@code event}. */
  HTTPLogItem convert(ILoggingEvent event) {
    // The event's own time: a batch that waited out an outage must not be stamped "now".
    HTTPLogItem item = item(truncate(event.getFormattedMessage()), event.getLevel(),
        event.getTimeStamp(), event.getLoggerName());
    Map<String, Object> fields;
    try {
      fields = structuredFields.of(event);
    } catch (Exception e) {
      // A field that cannot be written must not cost the whole line.
      fields = Map.of("fields_error", e.getClass().getSimpleName());
    }
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      String key = RESERVED.contains(field.getKey()) ? "fields." + field.getKey() : field.getKey();
      item.putAdditionalProperty(key, field.getValue());
    }
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      // Datadog's standard error attributes, so the error tracking view picks them up.
      item.putAdditionalProperty("error.kind", thrown.getClassName());
      item.putAdditionalProperty("error.message", truncate(thrown.getMessage()));
      item.putAdditionalProperty("error.stack", truncate(ThrowableProxyUtil.asString(thrown)));
    }
    return item;
  }

  private HTTPLogItem item(String message, Level level, long timestamp, String logger) {
    HTTPLogItem item = new HTTPLogItem()
        .ddsource(SOURCE)
        .service(settings.service())
        .hostname(settings.hostname())
        .ddtags(tags())
        .message(message);
    item.putAdditionalProperty("status", status(level));
    item.putAdditionalProperty("timestamp", timestamp);
    item.putAdditionalProperty("logger.name", logger);
    return item;
  }

  /** An item the shipper writes about itself (e.g. {@code datadog_dropped}), tagged like the rest. */
  HTTPLogItem synthetic(Level level, String event, String message, Map<String, Object> fields) {
    // Wall-clock time is what Datadog indexes by; the ticker is monotonic and has no epoch.
    HTTPLogItem item = item(message, level, wallClock.millis(), LogShipper.class.getName());
    item.putAdditionalProperty("event", event);
    fields.forEach(item::putAdditionalProperty);
    return item;
  }

  private String tags() {
    String region = activeRegion.get();
    String regionTag = "region:" + (region == null || region.isBlank() ? "none" : region);
    return fixedTags.isEmpty() ? regionTag : fixedTags + "," + regionTag;
  }

  /** Datadog's status names for the logback levels. */
  static String status(Level level) {
    if (level.isGreaterOrEqual(Level.ERROR)) {
      return "error";
    }
    if (level.isGreaterOrEqual(Level.WARN)) {
      return "warn";
    }
    if (level.isGreaterOrEqual(Level.INFO)) {
      return "info";
    }
    return "debug";
  }

  private static String truncate(String text) {
    if (text == null || text.length() <= MAX_TEXT_CHARS) {
      return text;
    }
    return text.substring(0, MAX_TEXT_CHARS) + "...[truncated]";
  }
}
