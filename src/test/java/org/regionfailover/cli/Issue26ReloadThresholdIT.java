package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.FakeCloud;
import org.regionfailover.SupervisordFixture;

/**
 * Issue 26, acceptance: a real supervisord, a 0.5 s interval and a 3 s threshold, run as
 * an operator runs it ({@code bin/region-failover --config FILE}). A SIGHUP 2 s into an
 * outage that raises the threshold to 4 s gives a failover 4 s after the outage began
 * (within one interval): the outage clock carries over the reload; it is neither restarted
 * by it (6 s) nor left on the old rule (3 s). The reload restarts no program.
 *
 * <p>Every time compared is the program's own: the {@code decided_at} of its probes and of
 * its failover.
 */
class Issue26ReloadThresholdIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration INTERVAL = Duration.ofMillis(500);

  @TempDir Path dir;
  SupervisordFixture supervisord;
  FakeCloud cloud;
  ChildHost host;

  @AfterEach
  void stopAll() throws Exception {
    if (host != null) {
      host.stop();
    }
    if (supervisord != null) {
      supervisord.close();
    }
    if (cloud != null) {
      cloud.close();
    }
  }

  private String settings(String threshold) {
    return String.join("\n",
        "# process-wide",
        "SUPERVISOR_SERVER_URL=" + supervisord.url(),
        "SUPERVISOR_TIMEOUT=20s",
        "FAILOVER_LISTEN=127.0.0.1:0",
        "# the set",
        "EXT_CLOUD_FAILOVER_LIST=" + FakeCloud.EU_NAM_APAC,
        "FAILOVER_REGION=EU",
        "CONNECTION_KEEPALIVE_ORG_ID=org",
        "EXT_CLOUD_LOOKUP_URL=" + cloud.chainUrl(),
        "EXT_CLOUD_ENV_FILE=" + supervisord.envFile(),
        "FAILOVER_INTERVAL=" + INTERVAL.toMillis() + "ms",
        "FAILOVER_OUTAGE_THRESHOLD=" + threshold,
        "FAILOVER_PROBE_TIMEOUT=250ms",
        "EXT_CLOUD_REGION_PROBE=none",
        "FAILOVER_FAILBACK=off", "");
  }

  /** Replaces {@code file} at once, as an editor or a configuration tool would. */
  static void write(Path file, String content) throws Exception {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static Instant decidedAt(JsonNode event) {
    return Instant.parse(event.get("decided_at").asText());
  }

  /** The probes after the {@code index}-th event. */
  static List<JsonNode> probesAfter(ChildHost host, int index) {
    List<JsonNode> events = host.events();
    return events.subList(Math.min(index + 1, events.size()), events.size()).stream()
        .filter(e -> e.get("event").asText().equals("probe")).toList();
  }

  @Test
  void thresholdRaisedTwoSecondsIntoAnOutage_failsOverFourSecondsAfterItBegan()
      throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.writeRegion("EU");
    supervisord.start();
    cloud = new FakeCloud();
    Path file = dir.resolve("region-failover.env");
    write(file, settings("3s"));
    host = new ChildHost("host", List.of("--config", file.toString()), Map.of(),
        dir.resolve("stderr.log"));

    await().atMost(WAIT).untilAsserted(() -> assertThat(host.count("stack_started"))
        .as(() -> host.names() + "\n" + host.stderrTail()).isOne());
    await().atMost(WAIT).until(() -> probesAfter(host, host.lastIndexOf("stack_started"))
        .stream().filter(p -> p.get("healthy").asBoolean()).count() >= 2);

    // A first reload of the same file, so the reload path runs warm when it matters, and
    // its merging gap (1 s, ReloadRequests.GAP) is over before the outage: 5 probes later.
    host.signal("HUP");
    await().atMost(WAIT).until(() -> host.count("reload_unchanged") == 1);
    await().atMost(WAIT).until(() -> probesAfter(host, host.lastIndexOf("reload_unchanged"))
        .size() >= 5);
    assertThat(host.count("reload_applied")).isZero();
    List<String> recordsBefore = supervisord.records();
    assertThat(recordsBefore).as("the stack started once, on EU").hasSize(3)
        .allMatch(r -> r.startsWith("EU "));

    // The outage is what follows: the first probe of a cold JVM may have timed out during
    // the stack's start (no outage is counted then).
    int down = host.events().size();
    host.events().stream().limit(down).filter(e -> e.get("event").asText().equals("probe")
            && !e.get("healthy").asBoolean())
        .forEach(e -> System.out.println("failed before the outage: " + e));
    cloud.chain("EU", 503);
    await().atMost(WAIT).until(() -> host.count("outage_started") == 1);
    JsonNode firstFailed = probesAfter(host, down - 1).stream()
        .filter(p -> !p.get("healthy").asBoolean()).findFirst().orElseThrow();
    Instant began = decidedAt(firstFailed);
    assertThat(decidedAt(host.named("outage_started").get(0))).as("%s", host.events())
        .isEqualTo(began);

    // 2 s into the outage by the program's own clock: its probe at the 2 s mark.
    await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() ->
        host.named("probe").stream().anyMatch(p ->
            !decidedAt(p).isBefore(began.plus(Duration.ofSeconds(2)))));
    JsonNode lastBeforeReload = host.named("probe").get(host.named("probe").size() - 1);
    write(file, settings("4s"));
    host.signal("HUP");
    int recordsAtSignal = supervisord.records().size();

    await().atMost(WAIT).untilAsserted(() -> assertThat(host.count("reload_applied"))
        .as(() -> host.names() + "\n" + host.stderrTail()).isOne());
    JsonNode applied = host.named("reload_applied").get(0);
    System.out.printf("reload_applied logged %s into the outage%n", Duration.between(began,
        Instant.parse(applied.get("@timestamp").asText())));
    assertThat(StreamSupport.stream(applied.get("changed").spliterator(), false)
        .map(c -> tuple(c.get("setting").asText(), c.get("old").asText(),
            c.get("new").asText())).toList())
        .as(applied.toString())
        .containsExactly(tuple("FAILOVER_OUTAGE_THRESHOLD", "3s", "4s"));
    assertThat(host.count("reload_rejected")).isZero();
    assertThat(host.count("reload_partial")).isZero();

    await().atMost(WAIT).untilAsserted(() -> assertThat(host.count("failover_completed"))
        .as(() -> host.names() + "\n" + host.stderrTail()).isOne());
    assertThat(host.count("failover")).isOne();
    JsonNode failover = host.named("failover").get(0);
    Duration detected = Duration.between(began, decidedAt(failover));
    double outageS = failover.get("outage_s").asDouble();
    System.out.printf("SIGHUP after the probe %s into the outage; failover at %s"
            + " (outage_s %s)%n", Duration.between(began, decidedAt(lastBeforeReload)),
        detected, outageS);
    assertThat(host.names().indexOf("reload_applied"))
        .as("the reload was applied before the failover")
        .isLessThan(host.names().indexOf("failover"));
    assertThat(detected).as("the failover came 4 s after the outage began, within one"
            + " interval: not at the old 3 s, not 4 s after the reload (6 s)")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(4))
        .isLessThan(Duration.ofSeconds(4).plus(INTERVAL));
    // outage_s is rounded to 0.1 s: 4.46 s reads 4.5.
    assertThat(outageS).isGreaterThanOrEqualTo(4.0).isLessThanOrEqualTo(4.5);
    assertThat(failover.get("from_region").asText()).isEqualTo("EU");
    assertThat(failover.get("to_region").asText()).isEqualTo("NAM");
    assertThat(failover.get("message").asText()).contains("Waited for 4 s");

    // The env file said EU until the failover rewrote it: a start by the reload would be
    // recorded on EU. Every start since the signal is the failover's, on NAM, in order.
    List<String> records = supervisord.records();
    assertThat(recordsAtSignal).as("nothing started between the outage and the signal")
        .isEqualTo(recordsBefore.size());
    assertThat(records.subList(recordsBefore.size(), records.size()).stream()
        .map(r -> r.split(" ")[0] + " " + r.split(" ")[2]).toList())
        .as("the only starts after the reload are the failover's restart")
        .containsExactly("NAM stunnel", "NAM cloud-client", "NAM application");
    assertThat(host.process.isAlive()).isTrue();
    host.process.destroy();
    assertThat(host.process.waitFor()).as("a clean stop").isZero();
  }

  /**
   * A reload during a switch waits for it: the new rules reach the loop between two of its
   * steps, never in the middle of a switch. The application takes 3 s to count as started,
   * so the failover's restart is still under way when the SIGHUP arrives.
   */
  @Test
  void reloadDuringASwitch_isAppliedOnceTheSwitchEnds() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir).startSecs("application", 3);
    supervisord.writeRegion("EU");
    supervisord.start();
    cloud = new FakeCloud();
    Path file = dir.resolve("region-failover.env");
    write(file, settings("1s"));
    host = new ChildHost("host", List.of("--config", file.toString()), Map.of(),
        dir.resolve("stderr.log"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(host.count("stack_started"))
        .as(() -> host.names() + "\n" + host.stderrTail()).isOne());
    await().atMost(WAIT).until(() -> probesAfter(host, host.lastIndexOf("stack_started"))
        .stream().filter(p -> p.get("healthy").asBoolean()).count() >= 2);
    int recordsBefore = supervisord.records().size();

    cloud.chain("EU", 503);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(5))
        .until(() -> host.count("failover") == 1);
    write(file, settings("2s"));
    host.signal("HUP");
    assertThat(host.count("failover_completed"))
        .as("the signal was sent while the switch ran").isZero();

    await().atMost(WAIT).untilAsserted(() -> assertThat(host.count("reload_applied"))
        .as(() -> host.names() + "\n" + host.stderrTail()).isOne());
    List<String> names = host.names();
    System.out.println("events of the switch: " + names.subList(names.indexOf("failover"),
        names.indexOf("reload_applied") + 1));
    assertThat(names.indexOf("failover_completed")).as("%s", names)
        .isPositive().isLessThan(names.indexOf("reload_applied"));
    assertThat(host.named("reload_applied").get(0).get("changed").get(0).get("new").asText())
        .isEqualTo("2s");
    List<String> records = supervisord.records();
    assertThat(records.subList(recordsBefore, records.size()).stream()
        .map(r -> r.split(" ")[0] + " " + r.split(" ")[2]).toList())
        .as("the failover's restart, whole, and nothing else")
        .containsExactly("NAM stunnel", "NAM cloud-client", "NAM application");
    assertThat(host.process.isAlive()).isTrue();
  }
}
