package org.regionfailover.status.page;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.HtpasswdTool;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.cli.Cli;

/**
 * The status page's rough edges (issue 29), in a real Chromium against the demos a newcomer
 * runs, in-process with their real loops, simulated regions and (when installed) a real
 * supervisord: a fresh process's time axis spans its data with labels that never repeat,
 * the chain drawn above the direct line; the failures reach the plot within one /status
 * of the banner turning DOWN; the components heading says what /health says; without an
 * htpasswd file every command is shown disabled with the reason, and clicking opens no
 * dialog; with {@code demo --htpasswd} a command goes through and the fail-back to a region
 * that is down is greyed until forced; {@code demo --fleet 3 --stay --htpasswd} keeps the
 * hosts' pages up, each with its Fleet panel and commands; a favicon is served.
 */
class DemoPageIT {
  private static final String USER = "newcomer";
  private static final String PASSWORD = "try it out";
  private static final Duration WAIT = Duration.ofSeconds(90);
  /** The page's primary blue (--plot-chain), which a button that cannot be used must not wear. */
  private static final String PRIMARY_BLUE = "rgb(28, 91, 214)";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  final RecordingEventLog events = new RecordingEventLog();
  final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  final CountDownLatch stop = new CountDownLatch(1);
  StatusPageDriver page;
  Thread demo;

  @AfterEach
  void stopAll() throws Exception {
    if (page != null) {
      page.close();
    }
    stop.countDown();
    if (demo != null) {
      demo.join(60_000);
    }
  }

  private void startDemo(String... args) {
    Cli cli = new Cli(Map.of("PATH", System.getenv("PATH")),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(stderr, true, StandardCharsets.UTF_8), stop, events);
    demo = new Thread(() -> cli.run(args), "demo-under-test");
    demo.start();
  }

  private void await(String what, Callable<Boolean> condition) {
    Awaitility.await().atMost(WAIT).ignoreExceptions()
        .untilAsserted(() -> assertThat(condition.call()).as(() -> what + "; events: "
            + events.names()).isTrue());
  }

  private URI firstPage() {
    await("listening", () -> !events.named("listening").isEmpty());
    return URI.create((String) events.named("listening").get(0).fields().get("url"));
  }

  @Test
  void demo_withoutHtpasswd_freshAxis_failuresWithTheBanner_healthAgrees_commandsShownOff()
      throws Exception {
    page = StatusPageDriver.start();
    startDemo("demo", "--stay");
    URI url = firstPage();
    page.open(url);

    // A fresh process: the axis spans its data (at least a minute), not the hour.
    List<Map<String, Object>> axes = awaitAxes("half a minute of probes",
        a -> number(a, "last") - number(a, "first") >= 30);
    for (Map<String, Object> a : axes) {
      double span = number(a, "max") - number(a, "min");
      double data = number(a, "max") - number(a, "first");
      assertThat(span).as(a.get("region") + ": the axis's span in s").isLessThan(120);
      assertThat(data / span).as(a.get("region") + ": the share of the axis with data")
          .isGreaterThan(0.45);
      assertUniqueLabels(a);
      List<?> series = (List<?>) a.get("series");
      assertThat(series.indexOf("chain")).as("the chain is drawn after (above) the direct line")
          .isGreaterThan(series.indexOf("direct"));
    }

    await("the scenario complete", () -> !events.named("demo_finished").isEmpty());
    assertFailuresWithinOneStatusOfTheBanner(page.timeline());
    page.awaitBanner("on APAC", t -> t.contains("APAC") && t.contains("WATCHING"));
    assertUniqueLabels(page.timeAxes().get(0));

    // The heading says what /health says; the regions not in use are listed apart.
    JsonNode health = JSON.readTree(get(url.resolve("health?verbose")));
    List<List<String>> rows = page.awaitRows("components", r -> r.stream()
        .anyMatch(row -> row.get(0).startsWith("Not counted in /health")));
    assertThat(page.text("health-word")).isEqualTo(health.get("status").asText());
    int apart = indexOfApart(rows);
    for (JsonNode c : health.get("components")) {
      int at = indexOfComponent(rows, c.get("name").asText());
      assertThat(at).as(c.get("name") + " shown").isNotNegative();
      assertThat(at > apart).as(c.get("name") + " listed apart from what /health counts")
          .isEqualTo(!c.get("aggregated").asBoolean());
    }
    assertThat(health.get("components")).anySatisfy(c -> {
      assertThat(c.get("aggregated").asBoolean()).isFalse();
      assertThat(c.get("status").asText()).isEqualTo("FAIL");
    });

    // Manual control off: said above the buttons, every one disabled, and none opens a dialog.
    JsonNode status = JSON.readTree(get(url.resolve("status")));
    assertThat(status.get("manual_control").asBoolean()).isFalse();
    assertThat(page.awaitText("commands-off", t -> !t.isEmpty()))
        .contains("Manual control is off").contains("--htpasswd");
    List<Map<String, Object>> buttons = page.commandButtons();
    assertThat(buttons).extracting(b -> b.get("text")).contains("Hold", "Release",
        "Move to EU", "Move to NAM");
    assertThat(buttons).allSatisfy(b -> assertThat(b.get("disabled")).as(b.get("text") + "")
        .isEqualTo(true));
    page.click("btn-failback");
    page.click("btn-hold");
    assertThat(page.dialogOpen()).as("a confirm dialog").isFalse();
    assertThat(page.displayed("answer-box")).as("an answer to a command sent").isFalse();

    Map<String, Object> favicon = page.browserGet("favicon.ico");
    assertThat(favicon).containsEntry("status", 200L).containsEntry("type", "image/svg+xml")
        .containsEntry("cache", "no-cache");
    assertThat((String) favicon.get("etag")).isNotEmpty();
    page.screenshot(Path.of("target", "status-page-demo-no-htpasswd.png"));
    assertThat(page.browserErrors()).as("errors in the browser's console").isEmpty();
  }

  @Test
  void demo_withHtpasswd_commandsGoThrough_failBackToADownRegionGreyedUntilForced()
      throws Exception {
    Path htpasswd = dir.resolve("htpasswd");
    HtpasswdTool.add(htpasswd, USER, PASSWORD, "-B", "-C", "5");
    page = StatusPageDriver.start();
    startDemo("demo", "--stay", "--htpasswd", htpasswd.toString());
    URI url = firstPage();
    page.answerLogins(url, USER, PASSWORD);
    page.open(url);
    await("the scenario complete", () -> !events.named("demo_finished").isEmpty());
    page.awaitBanner("on APAC", t -> t.contains("APAC") && t.contains("WATCHING"));

    assertThat(page.displayed("commands-off")).isFalse();
    // EU, the preferred region, is down: its fail-back is offered greyed, not in blue.
    page.awaitText("btn-failback", t -> t.equals("Fail back now to EU (down)"));
    assertThat(page.enabled("btn-failback")).isFalse();
    assertThat(failbackBackground()).isNotEqualTo(PRIMARY_BLUE);
    page.click("force");
    page.awaitText("btn-failback", t -> t.equals("Fail back now to EU (down: forced)"));
    assertThat(page.enabled("btn-failback")).isTrue();
    page.click("force");
    page.awaitText("btn-failback", t -> t.equals("Fail back now to EU (down)"));

    page.type("hold-reason", "trying the page");
    assertThat(page.command("btn-hold")).contains("held");
    page.awaitBanner("held", t -> t.contains("HELD"));
    assertThat(page.command("btn-release")).contains("released");
    assertThat(events.named("manual_command")).extracting(e -> e.fields().get("user"))
        .containsExactly(USER, USER);
    assertThat(page.loginsAnswered()).isEqualTo(1);
    page.screenshot(Path.of("target", "status-page-demo-htpasswd.png"));
    assertThat(page.browserErrors()).as("errors in the browser's console").isEmpty();
  }

  @Test
  void fleetDemo_stay_everyRunningHostsPageUp_withTheFleetPanel_andCommands() throws Exception {
    Path htpasswd = dir.resolve("htpasswd");
    HtpasswdTool.add(htpasswd, USER, PASSWORD, "-B", "-C", "5");
    startDemo("demo", "--fleet", "3", "--stay", "--htpasswd", htpasswd.toString());
    await("the fleet scenario complete", () -> err().contains("scenario complete;"));
    List<URI> pages = new ArrayList<>();
    Matcher m = Pattern.compile("  host-\\d \\(on \\w+\\): (http://\\S+)").matcher(err());
    while (m.find()) {
      pages.add(URI.create(m.group(1)));
    }
    assertThat(pages).as("the pages listed, one per host still running").hasSize(2);
    assertThat(events.named("listening")).hasSize(3);

    page = StatusPageDriver.start();
    for (URI url : pages) {
      page.answerLogins(url, USER, PASSWORD);
      page.open(url);
      page.awaitText("fleet-word", t -> t.equals("2/2 APPLIED"));
      assertThat(page.displayed("fleet")).isTrue();
      assertThat(page.text("fleet-cluster")).isEqualTo("demo");
      assertThat(page.displayed("commands-off")).isFalse();
      assertThat(page.enabled("btn-hold")).isTrue();
      assertAxesZoomed();
    }
    // A fleet command from the last page: the fleet is held by the operator.
    page.type("hold-reason", "fleet walkthrough");
    assertThat(page.command("btn-hold")).contains("held");
    assertThat(page.awaitText("hold-text", t -> t.startsWith("fleet held")))
        .isEqualTo("fleet held by " + USER);
    assertThat(page.command("btn-release")).contains("released");
    page.screenshot(Path.of("target", "status-page-fleet-demo.png"));
    assertThat(page.browserErrors()).as("errors in the browser's console").isEmpty();
  }

  private String err() {
    return stderr.toString(StandardCharsets.UTF_8);
  }

  private String failbackBackground() {
    return page.commandButtons().stream()
        .filter(b -> String.valueOf(b.get("text")).startsWith("Fail back now"))
        .map(b -> String.valueOf(b.get("background"))).findFirst().orElseThrow();
  }

  private void assertAxesZoomed() {
    for (Map<String, Object> a : awaitAxes("plots", x -> true)) {
      double span = number(a, "max") - number(a, "min");
      double data = number(a, "max") - number(a, "first");
      assertThat(span).as(a.get("region") + ": the axis's span in s").isLessThan(
          Math.max(60, data) + 5);
      assertUniqueLabels(a);
    }
  }

  private List<Map<String, Object>> awaitAxes(String what,
      java.util.function.Predicate<Map<String, Object>> check) {
    return Awaitility.await(what).atMost(WAIT).ignoreExceptions().until(page::timeAxes,
        a -> !a.isEmpty() && a.stream().allMatch(x -> x.get("first") != null
            && !((List<?>) x.get("labels")).isEmpty() && check.test(x)));
  }

  private static void assertUniqueLabels(Map<String, Object> axis) {
    List<?> labels = (List<?>) axis.get("labels");
    assertThat(labels).as(axis.get("region") + "'s time labels").hasSizeGreaterThan(1)
        .doesNotHaveDuplicates();
    assertThat(new HashSet<>(labels)).hasSameSizeAs(labels);
  }

  /**
   * Each time the banner turned DOWN while the page watched, the plots drew a new failure
   * at that /status answer or the next: never a banner DOWN over a plot without it.
   */
  private static void assertFailuresWithinOneStatusOfTheBanner(List<Map<String, Object>> t) {
    List<long[]> outages = StatusPageDriver.downToFailuresDrawn(t);
    assertThat(outages).as("outages the page saw begin; timeline " + t).isNotEmpty();
    for (long[] o : outages) {
      assertThat(o[1]).as("the failure drawn after /status #" + o[0] + " said DOWN; timeline "
          + t).isNotNegative();
      assertThat(o[1] - o[0]).as("/status answers between the banner and the plot")
          .isLessThanOrEqualTo(1);
    }
  }

  private static int indexOfApart(List<List<String>> rows) {
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).get(0).startsWith("Not counted in /health")) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOfComponent(List<List<String>> rows, String name) {
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).get(0).equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static double number(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }

  private static String get(URI uri) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
        .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    return r.body();
  }
}
