package org.regionfailover.report.datadog;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.datadog.api.client.v2.model.HTTPLogItem;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import net.logstash.logback.argument.StructuredArguments;
import net.logstash.logback.marker.Markers;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.DatadogSettings;

class LogItemConverterTest {
  private final LoggerContext context = new LoggerContext();
  private final Logger logger = context.getLogger("org.regionfailover.loop.Loop");
  private final AtomicReference<String> region = new AtomicReference<>("EU");
  private final DatadogSettings settings =
      new DatadogSettings(
          "key", null, null, "svc", "prod", List.of("team:sre", "tier:1"), "host-1", 0, null);
  private final LogItemConverter converter = new LogItemConverter(settings, region::get);

  @Test
  void convert_eventWithFields_fixedAttributesAndFieldsAsProperties() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("event", "failover_started");
    fields.put("region", "NAM");
    fields.put("latency_ms", 42);
    LoggingEvent event = event(Level.WARN, "moving to NAM");
    event.addMarker(Markers.appendEntries(fields));

    HTTPLogItem item = converter.convert(event);

    assertThat(item.getDdsource()).isEqualTo("region-failover");
    assertThat(item.getService()).isEqualTo("svc");
    assertThat(item.getHostname()).isEqualTo("host-1");
    assertThat(item.getDdtags()).isEqualTo("team:sre,tier:1,env:prod,region:EU");
    assertThat(item.getMessage()).isEqualTo("moving to NAM");
    assertThat(item.getAdditionalProperties())
        .containsEntry("status", "warn")
        .containsEntry("event", "failover_started")
        .containsEntry("region", "NAM")
        .containsEntry("latency_ms", 42)
        .containsEntry("timestamp", event.getTimeStamp())
        .containsEntry("logger.name", "org.regionfailover.loop.Loop");
  }

  @Test
  void convert_regionChangesBetweenEvents_eachTaggedWithRegionAtItsTime() {
    HTTPLogItem before = converter.convert(event(Level.INFO, "a"));
    region.set("APAC");
    HTTPLogItem after = converter.convert(event(Level.INFO, "b"));

    assertThat(before.getDdtags()).endsWith(",region:EU");
    assertThat(after.getDdtags()).endsWith(",region:APAC");
  }

  @Test
  void convert_noTagsNoEnvNoRegion_onlyRegionNoneTag() {
    LogItemConverter bare = new LogItemConverter(DatadogSettings.of("k"), () -> null);

    assertThat(bare.convert(event(Level.INFO, "x")).getDdtags()).isEqualTo("region:none");
  }

  @Test
  void convert_nestedMarkersAndStructuredArguments_allFieldsExtracted() {
    LoggingEvent event = event(Level.INFO, "probe");
    event.addMarker(
        Markers.append("event", "probe_done").and(Markers.append("timeout", Duration.ofSeconds(5))));
    event.setArgumentArray(new Object[] {StructuredArguments.kv("attempt", 3)});

    Map<String, Object> props = converter.convert(event).getAdditionalProperties();

    assertThat(props)
        .containsEntry("event", "probe_done")
        .containsEntry("timeout", "PT5S")
        .containsEntry("attempt", 3);
  }

  @Test
  void convert_fieldNamedLikeReservedAttribute_shippedUnderFieldsPrefix() {
    LoggingEvent event = event(Level.ERROR, "real message");
    event.addMarker(Markers.appendEntries(Map.of("message", "field message", "status", "down")));

    HTTPLogItem item = converter.convert(event);

    assertThat(item.getMessage()).isEqualTo("real message");
    assertThat(item.getAdditionalProperties())
        .containsEntry("status", "error")
        .containsEntry("fields.status", "down")
        .containsEntry("fields.message", "field message");
  }

  @Test
  void convert_throwable_errorAttributes() {
    LoggingEvent event =
        new LoggingEvent(
            "x", logger, Level.ERROR, "boom", new IllegalStateException("bad state"), null);

    Map<String, Object> props = converter.convert(event).getAdditionalProperties();

    assertThat(props)
        .containsEntry("error.kind", "java.lang.IllegalStateException")
        .containsEntry("error.message", "bad state");
    assertThat((String) props.get("error.stack")).contains("LogItemConverterTest");
  }

  @Test
  void status_levels_mapOneToOne() {
    assertThat(LogItemConverter.status(Level.TRACE)).isEqualTo("debug");
    assertThat(LogItemConverter.status(Level.DEBUG)).isEqualTo("debug");
    assertThat(LogItemConverter.status(Level.INFO)).isEqualTo("info");
    assertThat(LogItemConverter.status(Level.WARN)).isEqualTo("warn");
    assertThat(LogItemConverter.status(Level.ERROR)).isEqualTo("error");
  }

  @Test
  void convert_hugeMessage_truncated() {
    String huge = "x".repeat(LogItemConverter.MAX_TEXT_CHARS + 10);

    String shipped = converter.convert(event(Level.INFO, huge)).getMessage();

    assertThat(shipped).hasSize(LogItemConverter.MAX_TEXT_CHARS + "...[truncated]".length());
  }

  private LoggingEvent event(Level level, String message) {
    return new LoggingEvent("x", logger, level, message, null, null);
  }

  @Test
  void synthetic_isStampedByTheInjectedWallClock() {
    java.time.Clock fixed = java.time.Clock.fixed(java.time.Instant.parse("2026-11-21T03:00:00Z"),
        java.time.ZoneOffset.UTC);
    LogItemConverter stamped = new LogItemConverter(DatadogSettings.of("k"), () -> "EU", fixed);

    var item = stamped.synthetic(ch.qos.logback.classic.Level.WARN, "datadog_dropped", "dropped 3",
        java.util.Map.of("dropped", 3));

    assertThat(item.getAdditionalProperties())
        .containsEntry("timestamp", fixed.millis()).containsEntry("event", "datadog_dropped");
  }
}
