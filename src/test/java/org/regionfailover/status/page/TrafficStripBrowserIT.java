package org.regionfailover.status.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.TrafficRules;
import org.regionfailover.status.TrafficSeries;

/**
 * Issue 27, point 5, in a real Chromium: with a traffic source on, each region's plot has
 * a "calls failing" strip under its latency, drawn from the applications' reports (the
 * real policy and recorder in zero wall time), the last interval's share and volume in
 * its caption and tooltip; with no source, no strip and no key, the page as before.
 */
class TrafficStripBrowserIT {
  private static StatusPageDriver page;

  @BeforeAll
  static void startBrowser() {
    page = StatusPageDriver.start();
  }

  @AfterAll
  static void quitBrowser() {
    if (page != null) {
      page.close();
    }
  }

  @Test
  void trafficOn_eachRegionHasAStrip_theActiveOneWithTheShareOfItsCalls() throws Exception {
    // 15 simulated minutes that end about now: 5 % of EU's calls failing for 10, then 25 %
    // (below the failure ratio: the host stays).
    FailoverSimulation sim = new FailoverSimulation(Instant.now().minus(Duration.ofMinutes(15)),
        new TrafficRules(true, 20, 0.5, true));
    sim.setCalls(190, 10);
    sim.run(Duration.ofMinutes(10));
    sim.setCalls(150, 50);
    sim.run(Duration.ofMinutes(5));
    TrafficSeries eu = sim.snapshot().regions().get(FailoverSimulation.EU).trafficHistory();
    assertThat(eu.size()).isEqualTo(90);

    try (StatusHarness server = new StatusHarness(sim, "anna", "pw")) {
      page.open(server.page());
      List<Map<String, Object>> strips = page.awaitStrips("EU's 90 intervals",
          s -> s.size() == 3 && number(s.get(0), "points") == eu.size());
      assertThat(strips).extracting(s -> s.get("region")).containsExactly("EU", "NAM", "APAC");
      assertThat(strips).allSatisfy(s -> {
        assertThat(s.get("shown")).isEqualTo(true);
        assertThat(s.get("alignedX")).as("on the latency's time axis").isEqualTo(true);
      });
      Map<String, Object> onEu = strips.get(0);
      assertThat(((Number) onEu.get("lastPercent")).doubleValue()).isEqualTo(25.0);
      assertThat(number(onEu, "lastVolume")).isEqualTo(200);
      assertThat(onEu.get("caption").toString()).startsWith(
          "calls failing \u2013 last interval: 25 % of 200 calls (50 unreachable), ");
      assertThat(onEu.get("title").toString())
          .startsWith("calls failing through EU, last interval: 25 % of 200 calls");
      assertThat(number(onEu, "ink")).as("the share drawn in the strip's colour")
          .isGreaterThan(300);
      assertThat(strips.subList(1, 3)).allSatisfy(s -> {
        assertThat(number(s, "points")).as("no call went through " + s.get("region")).isZero();
        assertThat(s.get("caption").toString()).contains("no report through");
        assertThat(number(s, "ink")).isZero();
      });
      assertThat(page.displayed("key-traffic")).isTrue();
      assertThat(page.text("key-traffic")).startsWith("calls failing");
      page.screenshot(Path.of("target", "status-page-traffic.png"));
      assertThat(page.screenshotAtWidth(390, Path.of("target", "status-page-traffic-phone.png")))
          .as("pixels of sideways scrolling at a phone's width").isZero();
      assertThat(page.strips()).as("the strips follow the plots' width").allSatisfy(s ->
          assertThat(s.get("alignedX")).isEqualTo(true));
      assertThat(page.browserErrors()).as("errors in the browser's console").isEmpty();
    }
  }

  @Test
  void trafficOff_noStripAndNoKey() throws Exception {
    FailoverSimulation sim = new FailoverSimulation(Instant.now().minus(Duration.ofMinutes(10)));
    sim.run(Duration.ofMinutes(10));

    try (StatusHarness server = new StatusHarness(sim, "anna", "pw")) {
      page.open(server.page());
      List<Map<String, Object>> plots = page.awaitPlots("the chain's probes",
          p -> p.size() == 3 && ((Number) p.get(0).get("chain")).longValue() == 60);
      assertThat(plots).hasSize(3);
      assertThat(page.strips()).allSatisfy(s -> assertThat(s.get("shown")).isEqualTo(false));
      assertThat(page.displayed("key-traffic")).isFalse();
      assertThat(page.browserErrors()).as("errors in the browser's console").isEmpty();
    }
  }

  private static long number(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).longValue();
  }
}
