package org.regionfailover.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The runbook names every event the code emits; the Datadog monitor is what the docs show. */
class OperationsDocsTest {
  /** {@code Event.warn("probe_late", ...)}, and the shipper's own {@code synthetic(Level.WARN, "datadog_dropped", ...)} items. */
  private static final Pattern EVENT =
      Pattern.compile("Event\\.(?:info|warn|error)\\(\\s*\"([a-z_]+)\"|synthetic\\(\\s*Level\\.[A-Z]+,\\s*\"([a-z_]+)\"");

  @Test
  void runbook_andReadme_nameEveryEmittedEvent() throws Exception {
    Set<String> events = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = EVENT.matcher(Files.readString(f, StandardCharsets.UTF_8));
        while (m.find()) {
          events.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
      }
    }
    assertThat(events).contains("failover", "probe", "startup", "datadog_dropped");
    String runbook = Files.readString(Path.of("docs/operations.md"), StandardCharsets.UTF_8);
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    for (String event : events) {
      assertThat(runbook).as("docs/operations.md documents event " + event)
          .contains("`" + event + "`");
      assertThat(readme).as("README lists event " + event).contains("`" + event + "`");
    }
  }

  @Test
  void datadogMonitor_isAValidLogAlertOnFailovers_andShownVerbatimInTheDocs() throws Exception {
    String json = Files.readString(Path.of("docs/datadog-monitor.json"), StandardCharsets.UTF_8);
    JsonNode monitor = new ObjectMapper().readTree(json);
    assertThat(monitor.path("type").asText()).isEqualTo("log alert");
    assertThat(monitor.path("name").asText()).isNotBlank();
    assertThat(monitor.path("message").asText()).isNotBlank();
    assertThat(monitor.path("tags").isArray()).isTrue();
    String query = monitor.path("query").asText();
    assertThat(query).startsWith("logs(\"service:region-failover @event:failover\").index(\"*\")")
        .contains(".rollup(\"count\")").contains(".last(\"5m\")").endsWith("> 0");
    // Datadog rejects a monitor whose critical threshold differs from the query's.
    assertThat(monitor.path("options").path("thresholds").path("critical").asDouble()).isZero();
    assertThat(Files.readString(Path.of("docs/datadog.md"), StandardCharsets.UTF_8))
        .contains(json.strip());
  }
}
