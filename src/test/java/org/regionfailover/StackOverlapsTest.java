package org.regionfailover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The split-brain counter reads supervisord's real log lines, stops included (WARN). */
class StackOverlapsTest {
  @TempDir Path dir;

  private Path log(String name, String... lines) throws Exception {
    return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
  }

  @Test
  void aStopLoggedAsWarnEndsTheProgramsRun() throws Exception {
    Path a = log("a.log",
        "2026-11-22 21:49:19,437 INFO spawned: 'app' with pid 9209",
        "2026-11-22 21:49:20,439 INFO success: app entered RUNNING state, process has stayed up",
        "2026-11-22 21:49:20,639 INFO waiting for app to stop",
        "2026-11-22 21:49:20,641 WARN stopped: app (terminated by SIGTERM)");
    Path b = log("b.log", "2026-11-22 21:49:21,000 INFO spawned: 'app' with pid 9300");
    List<StackOverlaps.Change> changes = StackOverlaps.changes(List.of(a, b));
    assertThat(changes).extracting(StackOverlaps.Change::up).containsExactly(true, false, true);
    assertThat(StackOverlaps.of(changes, 2)).isEmpty();
  }

  @Test
  void countsAnOverlapThatEndsAndOneStillOpenAtTheEnd() throws Exception {
    Path a = log("a.log",
        "2026-11-22 21:49:19,000 INFO spawned: 'app' with pid 1",
        "2026-11-22 21:49:22,000 INFO exited: app (exit status 0; not expected)",
        "2026-11-22 21:49:30,000 INFO spawned: 'app' with pid 3");
    Path b = log("b.log", "2026-11-22 21:49:21,000 INFO spawned: 'app' with pid 2");
    List<long[]> overlaps = StackOverlaps.of(StackOverlaps.changes(List.of(a, b)), 2);
    assertThat(overlaps).hasSize(2);
    assertThat(overlaps.get(0)[1] - overlaps.get(0)[0]).isEqualTo(1000);
    assertThat(overlaps.get(1)[1]).isEqualTo(Long.MAX_VALUE);
  }
}
