package org.regionfailover.status.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.ClusterHosts;
import org.regionfailover.Ensembles;
import org.regionfailover.HtpasswdTool;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.cli.Cli;
import org.regionfailover.report.EventLog;
import org.regionfailover.report.Slf4jEventLog;

/**
 * The status page of a fleet host in a real Chromium: two hosts run by the command line
 * in-process, each with its real supervisord, against a real ZooKeeper. The page of host
 * {@code a} draws the fleet (hosts, their views, the decision, who applied it) and says
 * that the fleet, not the host, moves on an outage; EU down for both moves the fleet and
 * the page follows it. "Fail back now" on host {@code b}'s page says it moves the fleet,
 * and both hosts go back to EU on one operator decision.
 */
class FleetStatusPageIT {
  private static final String USER = "oncall";
  private static final String PASSWORD = "fleet-s3cret";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  ClusterHosts cluster;
  StatusPageDriver page;
  final List<Host> hosts = new ArrayList<>();

  /** One host: its supervisord, the command line on a thread, its events. */
  private static final class Host {
    final String id;
    final SupervisordFixture supervisord;
    final RecordingEventLog events = new RecordingEventLog();
    final CountDownLatch stop = new CountDownLatch(1);
    Thread loop;

    Host(String id, SupervisordFixture supervisord) {
      this.id = id;
      this.supervisord = supervisord;
    }

    URI url() {
      return URI.create((String) events.named("listening").get(0).fields().get("url"));
    }

    boolean applied(int epoch) {
      return events.named("fleet_decision_applied").stream()
          .anyMatch(e -> Integer.valueOf(epoch).equals(e.fields().get("epoch")));
    }
  }

  @AfterEach
  void stopAll() throws Exception {
    if (page != null) {
      page.close();
    }
    for (Host h : hosts) {
      h.stop.countDown();
    }
    for (Host h : hosts) {
      if (h.loop != null) {
        h.loop.join(30_000);
      }
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static void await(Host h, String what, Callable<Boolean> condition) {
    Awaitility.await().atMost(WAIT).ignoreExceptions()
        .untilAsserted(() -> assertThat(condition.call()).as(() -> h.id + ": " + what
            + "; events: " + h.events.names()).isTrue());
  }

  private Host start(String id, Path htpasswd) throws Exception {
    SupervisordFixture s = cluster.supervisord(id);
    Host h = new Host(id, s);
    hosts.add(h);
    Map<String, String> env = cluster.env(s, id, Duration.ofSeconds(4));
    env.put("FAILOVER_INTERVAL", "250ms");
    // Long enough for the page to poll /status a few times while EU is down.
    env.put("FAILOVER_OUTAGE_THRESHOLD", "6s");
    env.put("FAILOVER_PROBE_TIMEOUT", "200ms");
    env.put("FAILOVER_REGION_INTERVAL", "400ms");
    env.put("FAILOVER_FAILBACK", "manual");
    env.put("FAILOVER_HTPASSWD", htpasswd.toString());
    EventLog slf4j = new Slf4jEventLog();
    EventLog tee = e -> {
      h.events.emit(e);
      slf4j.emit(e);
    };
    Cli cli = new Cli(env, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), h.stop, tee);
    h.loop = new Thread(() -> cli.run("--region", "EU"), "cli-" + id);
    h.loop.start();
    return h;
  }

  @Test
  void thePageDrawsTheFleet_followsItsFailover_andFailsTheFleetBack() throws Exception {
    cluster = new ClusterHosts(dir, "shop", Ensembles.oneServer());
    Path htpasswd = dir.resolve("htpasswd");
    HtpasswdTool.add(htpasswd, USER, PASSWORD, "-B", "-C", "5");
    Host a = start("a", htpasswd);
    Host b = start("b", htpasswd);
    for (Host h : hosts) {
      await(h, "listening", () -> !h.events.named("listening").isEmpty());
      await(h, "epoch 0 applied", () -> h.applied(0));
    }

    page = StatusPageDriver.start();
    page.open(a.url());
    assertThat(page.awaitText("fleet-word", t -> t.equals("2/2 APPLIED")))
        .as("the pill (upper-cased by the style sheet)").isNotEmpty();
    assertThat(page.displayed("fleet")).isTrue();
    assertThat(page.text("fleet-cluster")).isEqualTo("shop");
    assertThat(page.text("fleet-decision")).startsWith("Epoch 0: EU (initial");
    assertThat(page.text("fleet-detail")).contains("this host (a) applied epoch 0",
        "quorum majority: 2 of 2 live hosts");
    List<List<String>> rows = page.rows("fleet-hosts");
    assertThat(rows).extracting(r -> r.get(0)).as("hosts by id, this host and the decider"
        + " marked").satisfiesExactly(
            first -> assertThat(first).startsWith("athis host"),
            second -> assertThat(second).startsWith("b").doesNotContain("this host"));
    assertThat(rows).filteredOn(r -> r.get(0).endsWith("decider")).hasSize(1);
    assertThat(rows).allSatisfy(r -> assertThat(r.get(1)).isEqualTo("EU"));
    assertThat(rows).allSatisfy(r -> assertThat(r.get(4)).isEqualTo("epoch 0"));

    cluster.cloud.chain("EU", 503);
    cluster.cloud.direct("EU", 503);
    assertThat(page.awaitText("outage-text", t -> t.contains("the fleet moves when")))
        .contains("EU failing for", "the fleet moves when 2 of 2 live hosts see it down",
            "alone, this host repairs in place")
        .doesNotContain("fails over in");
    for (Host h : hosts) {
      await(h, "the fleet's failover applied", () -> h.applied(1));
    }
    page.awaitText("fleet-decision", t -> t.startsWith("Epoch 1: NAM (failover"));
    page.awaitRows("fleet-hosts", r -> r.size() == 2 && r.stream().allMatch(row ->
        row.get(1).equals("NAM") && row.get(4).equals("epoch 1")
            && row.get(3).equals("EU downNAM upAPAC up")));
    page.awaitText("fleet-word", t -> t.equals("2/2 APPLIED"));
    page.awaitBanner("on NAM", t -> t.contains("NAM") && t.contains("WATCHING"));
    page.screenshot(Path.of("target", "status-page-fleet.png"));

    cluster.cloud.chain("EU", 200);
    cluster.cloud.direct("EU", 200);
    page.answerLogins(b.url(), USER, PASSWORD);
    page.open(b.url());
    page.awaitText("fleet-detail", t -> t.contains("this host (b) applied epoch 1"));
    page.awaitRows("fleet-hosts", r -> r.size() == 2
        && r.stream().allMatch(row -> row.get(3).contains("EU up")));
    String[] failback = page.commandWithConfirm("btn-failback");
    assertThat(failback[0]).as("the confirm dialog").contains("from NAM to EU",
        "a fleet decision: every host of shop (2 live) moves");
    assertThat(failback[1]).as("the answer shown").contains("202");
    for (Host h : hosts) {
      await(h, "the operator's decision applied", () -> h.applied(2));
      assertThat(Files.readString(h.supervisord.envFile())).contains("export EXT_REGION=EU");
    }
    page.awaitText("fleet-decision", t -> t.startsWith("Epoch 2: EU (operator"));
    page.awaitRows("fleet-hosts", r -> r.size() == 2 && r.stream()
        .allMatch(row -> row.get(1).equals("EU") && row.get(4).equals("epoch 2")));
    assertThat(hosts.stream().flatMap(h -> h.events.named("fleet_command").stream()))
        .as("the decider took the command given on b once").singleElement()
        .satisfies(e -> assertThat(e.fields()).containsEntry("user", USER)
            .containsEntry("peer", "b").containsEntry("command", "failback")
            .containsEntry("outcome", "accepted"));

    // A hold given on b's page holds the fleet: a's page shows the fleet's hold, not its own.
    page.type("hold-reason", "tunnel work");
    page.select("hold-for", "30m");
    assertThat(page.command("btn-hold")).contains("200").contains("held: no automatic transition", "[fleet]");
    page.awaitText("hold-text", t -> t.equals("fleet held by " + USER));
    page.open(a.url());
    assertThat(page.awaitText("hold-text", t -> t.equals("fleet held by " + USER)))
        .as("the other host's page").isNotEmpty();
    assertThat(page.awaitBanner("held", t -> t.contains("HELD")))
        .contains("The fleet is held by " + USER + " (tunnel work) until");
    assertThat(page.text("fleet-detail")).contains("fleet held by " + USER);
    assertThat(page.browserErrors()).as("errors in the browser's console").isEmpty();
  }
}
