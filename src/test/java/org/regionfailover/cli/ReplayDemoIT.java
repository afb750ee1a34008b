package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.JsonLines;
import org.regionfailover.report.Event;

/**
 * Issue 25, replay equals the loop: {@code bin/region-failover demo} as a user runs it (with
 * supervisord's real restarts where it is installed, in dry run where not), then
 * {@code replay} of its stdout with no settings. Every decision the loop logged comes out
 * of the replay, field by field, at the time the loop decided it; nothing else does.
 */
class ReplayDemoIT {
  /** The inputs themselves: the replay reads them and does not echo them. */
  private static final Set<String> INPUTS = Set.of("probe", "region_probe");

  @TempDir Path dir;

  @Test
  void replayOfTheDemosStdout_withNoSettings_givesTheLoopsDecisionsAtTheLoopsTimes()
      throws Exception {
    Path stdout = dir.resolve("demo.log");
    Path stderr = dir.resolve("demo.err");
    Process demo = new ProcessBuilder("bin/region-failover", "demo")
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    boolean exited = demo.waitFor(120, TimeUnit.SECONDS); // generous: a busy machine is slower
    if (!exited) {
      demo.destroyForcibly();
    }
    assertThat(exited && demo.exitValue() == 0).as(Files.readString(stderr)).isTrue();

    ReplayCommandTest.Run replay = ReplayCommandTest.run(Map.of(), new byte[0], "replay",
        stdout.toString());
    String summary = replay.stderr();
    assertThat(replay.exit()).as(summary).isZero();
    assertThat(summary).contains("settings: from the log's startup line at ");

    List<JsonNode> loop = JsonLines.of(Files.readString(stdout, StandardCharsets.UTF_8));
    List<JsonNode> replayed = JsonLines.of(replay.stdout());
    List<JsonNode> decisions = loop.stream().filter(e -> e.has(Event.DECIDED_AT)
        && !INPUTS.contains(e.path("event").asText())).map(JsonLines::withoutLineTime)
        .toList();

    assertThat(decisions).extracting(e -> e.path("event").asText())
        .as("the demo's failovers, logged with decided_at").contains("outage_started",
            "failover", "failover_completed");
    assertThat(replayed).allSatisfy(e -> {
      assertThat(e.path("replay").asBoolean()).as("the replay marker").isTrue();
      assertThat(Instant.parse(e.path("@timestamp").asText()))
          .isEqualTo(Instant.parse(e.path(Event.DECIDED_AT).asText()));
    });
    assertThat(replayed.stream().map(JsonLines::withoutLineTime).toList())
        .as("replay's decisions; the loop's:%n%s%nreplay's summary:%n%s", decisions, summary)
        .isEqualTo(decisions);
  }

  /**
   * The same for each host of {@code demo --fleet 3}, from its own stdout: the fleet's
   * failover comes in as the fleet's move (fleet, epoch) and is replayed as the loop took
   * it, with the host's own probes deciding nothing alone.
   */
  @Test
  void replayOfEachFleetDemoHostsStdout_withNoSettings_givesItsLoopsDecisions()
      throws Exception {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    boolean done = new org.regionfailover.demo.FleetDemo(3, new java.io.PrintStream(err, true,
        StandardCharsets.UTF_8), new org.regionfailover.RecordingEventLog(),
        HostAssembler::fleetDemoHost).run(dir);
    assertThat(done).as(err.toString(StandardCharsets.UTF_8)).isTrue();

    for (int host = 1; host <= 3; host++) {
      Path stdout = dir.resolve("host-" + host)
          .resolve(org.regionfailover.demo.FleetDemoHost.STDOUT);
      ReplayCommandTest.Run replay = ReplayCommandTest.run(Map.of(), new byte[0], "replay",
          stdout.toString());
      String summary = replay.stderr();
      assertThat(replay.exit()).as(summary).isZero();
      assertThat(summary).contains("settings: from the log's startup line at ",
          "a fleet member");
      List<JsonNode> decisions = JsonLines.of(Files.readString(stdout, StandardCharsets.UTF_8))
          .stream().filter(e -> e.has(Event.DECIDED_AT)
              && !INPUTS.contains(e.path("event").asText())).map(JsonLines::withoutLineTime)
          .toList();
      assertThat(decisions).as("host-%d's failover is the fleet's", host)
          .filteredOn(e -> e.path("event").asText().equals("failover")).singleElement()
          .satisfies(e -> assertThat(e.path("fleet").asBoolean()).isTrue());
      assertThat(JsonLines.of(replay.stdout()).stream().map(JsonLines::withoutLineTime).toList())
          .as("host-%d: replay's decisions; the loop's:%n%s%nreplay's summary:%n%s", host,
              decisions, summary)
          .isEqualTo(decisions);
    }
  }
}
