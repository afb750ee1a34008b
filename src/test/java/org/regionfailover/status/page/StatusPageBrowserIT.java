package org.regionfailover.status.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.regionfailover.status.LatencySeries;
import org.regionfailover.status.RegionStatus;
import org.regionfailover.status.StatusSnapshot;

/**
 * The status page in a real Chromium while the real policy fails a host over from EU to
 * NAM (simulated in zero wall time): the page follows without a reload, plots every
 * region's probes and marks the failover, and "Fail back now" goes through the browser's
 * login prompt to an authenticated POST that moves the host back. Screenshots go to
 * {@code target/}.
 */
class StatusPageBrowserIT {
  private static final String USER = "anna";
  private static final String PASSWORD = "correct horse battery";
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

  /** Issue 28: the windows ahead in a card, the one under way as a band on its plot. */
  @Test
  void maintenanceWindows_showInTheirCard() throws Exception {
    FailoverSimulation sim = new FailoverSimulation(Instant.now().minus(Duration.ofMinutes(10)));
    sim.run(Duration.ofMinutes(9));
    Instant start = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(
        java.time.temporal.ChronoUnit.SECONDS);
    sim.schedule(List.of(new org.regionfailover.config.MaintenanceWindow("APAC", start,
        Duration.ofHours(1), "cloud maintenance"), new org.regionfailover.config
        .MaintenanceWindow("EU", start.plus(Duration.ofHours(3)), Duration.ofHours(1),
        "kernel upgrade")), Duration.ofMinutes(10));
    try (StatusHarness server = new StatusHarness(sim, USER, PASSWORD)) {
      page.open(server.page());
      assertThat(page.awaitText("maintenance-text", t -> t.startsWith("APAC")))
          .isEqualTo("APAC under way");
      assertThat(page.text("maintenance-detail")).contains("cloud maintenance", "1 more");
      page.screenshot(Path.of("target", "status-page-maintenance.png"));
    }
  }

  @Test
  void failover_followedLive_thenFailBackThroughTheLoginPrompt() throws Exception {
    // 33 simulated minutes that end about now: 20 healthy, EU down from 20 to 28 (failover
    // at 24), EU up again for the last 5 (the fail-back is due 10 minutes after).
    FailoverSimulation sim = new FailoverSimulation(Instant.now().minus(Duration.ofMinutes(33)));
    sim.run(Duration.ofMinutes(20));
    sim.setDown(FailoverSimulation.EU, true);
    sim.run(Duration.ofMinutes(2));

    try (StatusHarness server = new StatusHarness(sim, USER, PASSWORD)) {
      page.open(server.page());
      String down = page.awaitBanner("EU down", t -> t.contains("DOWN"));
      assertThat(down).contains("EU").contains("fails over in");
      page.screenshot(Path.of("target", "status-page-down.png"));
      // Nobody answers the login prompt (cancelled): the operator reads the 401.
      assertThat(page.command("btn-release")).contains("401").contains("credentials required")
          .contains("not authorised");
      page.dismissAnswer();
      page.answerLogins(server.page(), USER, PASSWORD);

      sim.run(Duration.ofMinutes(6));
      sim.setDown(FailoverSimulation.EU, false);
      sim.run(Duration.ofMinutes(5));
      assertThat(sim.active()).isEqualTo("NAM");
      String onNam = page.awaitBanner("NAM watching", t -> t.contains("NAM")
          && t.contains("WATCHING"));
      assertThat(onNam).contains("preferred: EU");
      assertThat(page.text("failback-text")).matches("fail-back to EU in \\d+m \\d+s");

      StatusSnapshot s = sim.snapshot();
      List<Map<String, Object>> plots = page.awaitPlots("every probe of the simulation",
          p -> p.size() == 3 && p.stream().allMatch(r -> matches(r, region(s, r))));
      Map<String, Object> eu = plots.get(0);
      Map<String, Object> nam = plots.get(1);
      Map<String, Object> apac = plots.get(2);
      assertThat(plots).extracting(r -> r.get("region")).containsExactly("EU", "NAM", "APAC");
      assertThat(plots).allSatisfy(r -> assertThat(ink(r, "inkDirect")).isGreaterThan(200));
      assertThat(ink(eu, "inkChain")).isGreaterThan(200);
      assertThat(ink(nam, "inkChain")).isGreaterThan(200);
      // The transition markers cross every plot alike; what EU has more of is its failures.
      assertThat(ink(eu, "inkFail") - ink(apac, "inkFail")).isGreaterThan(300);
      assertThat(page.markers()).contains("failover EU \u2192 NAM");
      List<List<String>> rows = page.transitionRows();
      assertThat(rows).first().satisfies(r -> assertThat(r).contains("failover", "EU \u2192 NAM"));
      page.screenshot(Path.of("target", "status-page.png"));

      String[] failback = page.commandWithConfirm("btn-failback");
      assertThat(failback[0]).as("the confirm dialog").contains("from NAM to EU");
      assertThat(failback[1]).as("the answer shown").contains("200")
          .contains("moving from NAM to EU");
      // The browser's own sequence: the POST without credentials, the server's 401 with
      // WWW-Authenticate, the login prompt answered, the POST again with them.
      assertThat(server.posts()).extracting(StatusHarness.Post::path,
              StatusHarness.Post::user, StatusHarness.Post::status)
          .containsExactly(tuple("/release", null, 401), tuple("/failback", null, 401),
              tuple("/failback", USER, 200));
      assertThat(page.loginsAnswered()).isEqualTo(1);
      assertThat(sim.active()).isEqualTo("EU");
      page.awaitBanner("back on EU", t -> t.contains("EU") && t.contains("WATCHING")
          && t.contains("preferred region"));
      assertThat(page.transitionRows()).first().satisfies(r ->
          assertThat(r).contains("manual", "NAM \u2192 EU", USER));
      page.screenshot(Path.of("target", "status-page-after-failback.png"));

      assertThat(page.enabled("btn-failback")).as("fail back from the preferred region").isFalse();
      assertThat(page.displayed("btn-failback")).as("\"Fail back now to EU\" while on EU")
          .isFalse();

      // Hold, release, and release again: the refusal's sentence reaches the operator. The
      // browser now sends the credentials it was given without waiting for another 401.
      page.type("hold-reason", "tunnel maintenance");
      page.select("hold-for", "30m");
      assertThat(page.command("btn-hold")).contains("200").contains("held");
      assertThat(page.awaitBanner("held", t -> t.contains("HELD")))
          .contains("Held by anna (tunnel maintenance) until");
      assertThat(page.text("hold-text")).isEqualTo("held by anna");
      assertThat(page.command("btn-release")).contains("200").contains("released");
      assertThat(page.command("btn-release")).contains("409").contains("the host is not held");
      assertThat(server.posts()).extracting(StatusHarness.Post::path, StatusHarness.Post::query,
              StatusHarness.Post::body, StatusHarness.Post::user, StatusHarness.Post::status)
          .endsWith(tuple("/hold", "for=30m", "reason=tunnel+maintenance", USER, 200),
              tuple("/release", null, "", USER, 200), tuple("/release", null, "", USER, 409));
      assertThat(page.loginsAnswered()).isEqualTo(1);
      assertThat(page.screenshotAtWidth(390, Path.of("target", "status-page-phone.png")))
          .as("pixels of sideways scrolling at a phone's width").isZero();
      assertThat(page.browserErrors()).as("errors in the browser's console").isEmpty();
      // The page did all this under its content security policy: an inline script is
      // refused, and the refusal is reported, so no report above means none was needed.
      assertThat(page.inlineScriptRuns()).isFalse();
      assertThat(page.awaitBrowserErrors()).singleElement().asString()
          .contains("content security policy").contains("script-src");
    }
  }

  /**
   * The failures reach the plot as the banner turns DOWN: EU starts failing just after the
   * page drew /history (whose own turn is 10 s away, three /status answers), and stays down
   * short of the threshold; the plot shows the failures at the /status that said DOWN, or
   * the next.
   */
  @Test
  void outage_failuresDrawnWithinOneStatusOfTheBanner() throws Exception {
    FailoverSimulation sim = new FailoverSimulation(Instant.now().minus(Duration.ofMinutes(5)));
    sim.run(Duration.ofMinutes(5));
    try (StatusHarness server = new StatusHarness(sim, USER, PASSWORD)) {
      page.open(server.page());
      page.awaitBanner("EU watching", t -> t.contains("EU") && t.contains("WATCHING"));
      int drawn = historiesDrawn(page.timeline());
      Awaitility.await("a /history drawn").atMost(Duration.ofSeconds(30))
          .until(() -> historiesDrawn(page.timeline()) > drawn);
      sim.setDown(FailoverSimulation.EU, true);
      sim.run(Duration.ofSeconds(30));
      page.awaitBanner("EU down", t -> t.contains("DOWN"));
      List<long[]> outages = Awaitility.await("the failures drawn").atMost(Duration.ofSeconds(30))
          .until(() -> StatusPageDriver.downToFailuresDrawn(page.timeline()),
              o -> o.size() == 1 && o.get(0)[1] >= 0);
      assertThat(outages.get(0)[1] - outages.get(0)[0])
          .as("/status answers between the banner's DOWN and the failures on the plot; timeline "
              + page.timeline()).isLessThanOrEqualTo(1);
    }
  }

  private static int historiesDrawn(List<Map<String, Object>> timeline) {
    return (int) timeline.stream().filter(e -> "history".equals(e.get("what"))).count();
  }

  private static RegionStatus region(StatusSnapshot s, Map<String, Object> plot) {
    return s.regions().stream().filter(r -> r.name().equals(plot.get("region"))).findFirst()
        .orElseThrow();
  }

  /** The plot holds exactly the snapshot's probes of that region, failures apart. */
  private static boolean matches(Map<String, Object> plot, RegionStatus r) {
    return count(plot, "chain") == healthy(r.chainHistory(), true)
        && count(plot, "chainFailed") == healthy(r.chainHistory(), false)
        && count(plot, "direct") == healthy(r.directHistory(), true)
        && count(plot, "directFailed") == healthy(r.directHistory(), false);
  }

  private static long healthy(LatencySeries series, boolean ok) {
    long n = 0;
    for (int i = 0; i < series.size(); i++) {
      n += series.ok(i) == ok ? 1 : 0;
    }
    return n;
  }

  private static long count(Map<String, Object> plot, String key) {
    return ((Number) plot.get(key)).longValue();
  }

  private static long ink(Map<String, Object> plot, String key) {
    return count(plot, key);
  }
}
