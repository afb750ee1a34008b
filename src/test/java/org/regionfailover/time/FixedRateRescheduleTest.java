package org.regionfailover.time;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.regionfailover.FakeTicker;
import org.regionfailover.RecordingEventLog;

/**
 * Issue 26: a reload changes a runner's cadence in place. Each run moves the fake ticker to
 * its slot (plus a test-chosen lateness), so slots are exact and the real waits are the
 * intervals themselves; the reschedule is asked for from within a run, as if a reload
 * came during it.
 */
class FixedRateRescheduleTest {
  private static final long MS = 1_000_000L;

  private final FakeTicker ticker = new FakeTicker();
  private final long origin = ticker.read();
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final CountDownLatch enough = new CountDownLatch(6);
  private FixedRateRunner runner;

  @AfterEach
  void close() {
    runner.close();
  }

  /**
   * A runner every {@code fromMs} whose third run asks for {@code toMs}, that run ending
   * {@code overrunMs} after its slot; the first six runs, in ms after the origin.
   */
  private List<String> cadence(long fromMs, long toMs, long overrunMs) throws Exception {
    runner = new FixedRateRunner(slot -> {
      ticker.advance(Duration.ofNanos(slot - ticker.read()));
      seen.add("run " + (slot - origin) / MS);
      if (seen.stream().filter(s -> s.startsWith("run")).count() == 3) {
        runner.reschedule(Duration.ofMillis(toMs), () -> seen.add("afterwards"));
        ticker.advance(Duration.ofMillis(overrunMs));
      }
      enough.countDown();
    }, Duration.ofMillis(fromMs), ticker, new RecordingEventLog()::tickFailed);
    runner.start();
    assertThat(enough.await(10, SECONDS)).as("six runs").isTrue();
    runner.close();
    return seen.stream().limit(7).toList();
  }

  @Test
  void shorterInterval_startsOneNewIntervalAfterTheLastSlot() throws Exception {
    assertThat(cadence(40, 10, 0)).containsExactly("run 0", "run 40", "run 80", "afterwards",
        "run 90", "run 100", "run 110");
  }

  @Test
  void longerInterval_keepsTheSlotThatWasDueNext() throws Exception {
    assertThat(cadence(10, 40, 0)).containsExactly("run 0", "run 10", "run 20", "afterwards",
        "run 30", "run 70", "run 110");
  }

  @Test
  void firstNewSlotAlreadyPast_runsAtOnce() throws Exception {
    assertThat(cadence(40, 10, 25)).containsExactly("run 0", "run 40", "run 80", "afterwards",
        "run 105", "run 115", "run 125");
  }

  @Test
  void sameInterval_keepsTheGrid_andStillRunsAfterwardsOnTheRunnersThread() throws Exception {
    assertThat(cadence(20, 20, 0)).containsExactly("run 0", "run 20", "run 40", "afterwards",
        "run 60", "run 80", "run 100");
  }

  @Test
  void closedRunner_onlyRunsAfterwards() {
    runner = new FixedRateRunner(slot -> seen.add("run"), Duration.ofHours(1), ticker,
        new RecordingEventLog()::tickFailed);
    runner.close(Duration.ZERO);

    runner.reschedule(Duration.ofMillis(1), () -> seen.add("afterwards"));

    assertThat(seen).containsExactly("afterwards");
  }
}
