package org.regionfailover.status.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.regionfailover.Regions;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.status.Component;
import org.regionfailover.status.StatusSnapshot;
import org.regionfailover.status.metrics.PrometheusMetrics;

/** {@code /health/<component>}: component names in any case, as {@code /region/NAME}. */
class ReadEndpointsTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private final FailoverPolicy policy = new FailoverPolicy(Regions.EU_NAM, Duration.ofSeconds(10),
      Duration.ofMinutes(4));
  private final StatusSnapshot snapshot = new StatusSnapshot(T, "1.2.3",
      policy.initial(0, 0), "watching", T, "", Duration.ofSeconds(10), List.of(), null, null,
      null, null, null, null, List.of(new Component("region/EU", true, "", T, false),
          new Component("region/NAM", false, "down", T, false)), List.of(), null);
  private final ReadEndpoints endpoints = new ReadEndpoints(() -> snapshot,
      new PrometheusMetrics(policy, () -> null, () -> 0, "1.2.3", null),
      Clock.fixed(T, ZoneOffset.UTC));

  private Reply component(String rest) {
    return endpoints.component(new Request("GET", "/health/" + rest, rest, Map.of(), Map.of(),
        "", "127.0.0.1", null));
  }

  @Test
  void component_lowerCaseName_findsTheComponent() {
    assertThat(component("region/eu").status()).isEqualTo(200);
    assertThat(new String(component("region/eu").body(), StandardCharsets.UTF_8)).isEqualTo("OK");
    assertThat(component("Region/Nam").status()).isEqualTo(503);
    assertThat(component("region/EU").status()).isEqualTo(200);
    assertThat(component("region/MARS").status()).isEqualTo(404);
  }
}
