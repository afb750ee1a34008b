package org.regionfailover.act.envfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.decide.TransitionHistory;

/** Issue 10, budget: the history of transitions survives a restart of the supervisor. */
class TransitionHistoryFileTest {
  private static final long S = 1_000_000_000L;
  @TempDir Path dir;

  @Test
  void save_thenLoadInANewProcess_keepsEachTransitionsAgeOnTheNewTicker() throws Exception {
    Path env = dir.resolve("ext_cloud.env");
    Instant wall = Instant.parse("2026-11-22T10:00:00Z");
    AtomicLong ticker = new AtomicLong(Long.MAX_VALUE - 10 * S); // wraps while it runs
    var first = new TransitionHistoryFile(env, Clock.fixed(wall, ZoneOffset.UTC), ticker::get);
    long t0 = ticker.get();
    first.save(TransitionHistory.of(t0 - 600 * S, t0 - 60 * S));
    assertThat(Files.readAllLines(first.file())).containsExactly(
        Long.toString(wall.toEpochMilli() - 600_000), Long.toString(wall.toEpochMilli() - 60_000));

    // The process restarts 30 s later; its ticker starts anywhere.
    AtomicLong restarted = new AtomicLong(-5 * S);
    var second = new TransitionHistoryFile(env,
        Clock.fixed(wall.plusSeconds(30), ZoneOffset.UTC), restarted::get);
    assertThat(second.load().toArray()).containsExactly(-5 * S - 630 * S, -5 * S - 90 * S);
  }

  /** Fault campaign: a 14 MB history file ran the heap out at every start (a crash loop). */
  @Test
  void load_hugeFile_readsACappedNumberOfLinesWithoutLoadingItAll() throws Exception {
    Path env = dir.resolve("ext_cloud.env");
    var file = new TransitionHistoryFile(env, Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"),
        ZoneOffset.UTC), () -> 0L);
    try (var out = Files.newBufferedWriter(file.file())) {
      for (int i = 0; i < 1_000_000; i++) {
        out.write("1763805600000\n");
      }
    }
    assertThat(file.load().size()).isEqualTo(10_000);
  }

  @Test
  void load_timeInTheFuture_countsAsNowSoTheBudgetIsNotEmptied() throws Exception {
    Path env = dir.resolve("ext_cloud.env");
    Instant wall = Instant.parse("2026-11-22T10:00:00Z");
    var file = new TransitionHistoryFile(env, Clock.fixed(wall, ZoneOffset.UTC), () -> 7L);
    Files.writeString(file.file(), (wall.toEpochMilli() + 86_400_000L) + "\n");
    assertThat(file.load().toArray()).containsExactly(7L);
  }

  @Test
  void load_missingOrDamagedFile_isAnEmptyHistory() throws Exception {
    Path env = dir.resolve("ext_cloud.env");
    var file = new TransitionHistoryFile(env, Clock.systemUTC(), () -> 0L);
    assertThat(file.load().size()).isZero();
    Files.writeString(file.file(), "garbage\n\u0000\n99999999999999999999\n");
    assertThat(file.load().size()).isZero();
  }
}
