package org.regionfailover.time;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.regionfailover.RecordingEventLog;

/** Slots stay on the grid, skip what a pause missed, survive overflow; a throwing task never stops the schedule. */
class FixedRateRunnerTest {
  private static final long S = 1_000_000_000L;
  private static final long INTERVAL = 10 * S;

  @Test
  void nextSlot_beforeTheNextSlot_isTheNextSlot() {
    assertThat(FixedRateRunner.nextSlot(0, 3 * S, INTERVAL)).isEqualTo(10 * S);
  }

  @Test
  void nextSlot_taskRanLongButUnderAnInterval_isStillTheNextSlot() {
    assertThat(FixedRateRunner.nextSlot(100, 100 + INTERVAL - 1, INTERVAL)).isEqualTo(100 + INTERVAL);
  }

  @Test
  void nextSlot_nowExactlyOnTheNextSlot_isTheOneAfter() {
    assertThat(FixedRateRunner.nextSlot(0, 10 * S, INTERVAL)).isEqualTo(20 * S);
  }

  @Test
  void nextSlot_afterALongPause_skipsMissedSlotsAndLandsOnTheGridAfterNow() {
    // Paused for 10 min 3 s: 60 slots were missed; the next run is at 610 s, not 10 s.
    assertThat(FixedRateRunner.nextSlot(0, 603 * S, INTERVAL)).isEqualTo(610 * S);
  }

  @Test
  void nextSlot_afterAPauseEndingExactlyOnTheGrid_isStrictlyAfterNow() {
    assertThat(FixedRateRunner.nextSlot(7, 7 + 600 * S, INTERVAL)).isEqualTo(7 + 610 * S);
  }

  @ParameterizedTest(name = "slot {0}")
  @ValueSource(longs = {Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE - 5 * S,
      Long.MAX_VALUE - 10 * S, Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0})
  void nextSlot_nearLongMaxValue_wrapsAndStaysOnTheGrid(long slot) {
    for (long elapsed : new long[] {0, 1, 3 * S, 10 * S - 1, 10 * S, 10 * S + 1, 603 * S,
        600 * S, 3600 * S + 123}) {
      long now = slot + elapsed; // wraps past Long.MAX_VALUE for the slots near it
      long next = FixedRateRunner.nextSlot(slot, now, INTERVAL);
      assertThat(next - now).as("slot %d, %d ns later: strictly after now", slot, elapsed)
          .isPositive().isLessThanOrEqualTo(INTERVAL);
      assertThat(Long.remainderUnsigned(next - slot, INTERVAL))
          .as("slot %d, %d ns later: on the grid", slot, elapsed).isZero();
      assertThat(next - slot).as("slot %d, %d ns later: never a slot in the past", slot, elapsed)
          .isPositive();
    }
  }

  @Test
  void nextSlot_pauseAcrossTheWrap_landsOnTheExpectedSlot() {
    long slot = Long.MAX_VALUE - 5 * S;
    long now = slot + 603 * S;
    assertThat(now).as("the clock wrapped").isNegative();
    assertThat(FixedRateRunner.nextSlot(slot, now, INTERVAL)).isEqualTo(slot + 610 * S);
  }

  @Test
  void start_taskThrowsEveryTime_keepsRunningAndReportsLoopErrors() throws Exception {
    RecordingEventLog log = new RecordingEventLog();
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch threeRuns = new CountDownLatch(3);
    LongConsumer task = slot -> {
      int n = runs.incrementAndGet();
      threeRuns.countDown();
      // An Error too: a supervisor that dies on one is as dead as one that dies on an exception.
      if (n % 2 == 0) {
        throw new AssertionError("error on run " + n);
      }
      throw new IllegalStateException("failure on run " + n);
    };
    FixedRateRunner runner =
        new FixedRateRunner(task, Duration.ofMillis(20), Ticker.system(), log::tickFailed);

    runner.start();
    boolean ranThrice = threeRuns.await(10, SECONDS);
    runner.close(); // waits for a run in progress, so the counts below are final

    assertThat(ranThrice).as("at least 3 runs of a task that always throws").isTrue();
    assertThat(runs.get()).isGreaterThanOrEqualTo(3);
    assertThat(log.named("loop_error")).hasSize(runs.get());
    assertThat(log.named("loop_error").get(0).fields().get("reason"))
        .isEqualTo("java.lang.IllegalStateException: failure on run 1");
    assertThat(log.named("loop_error").get(1).fields().get("reason"))
        .isEqualTo("java.lang.AssertionError: error on run 2");
  }

  @Test
  void runAfter_runsOnceMoreOnTheRunnersThread_andNothingOnceStopped() throws Exception {
    List<String> threads = new CopyOnWriteArrayList<>();
    CountDownLatch twoRuns = new CountDownLatch(2);
    FixedRateRunner runner = new FixedRateRunner(slot -> {
      threads.add(Thread.currentThread().getName());
      twoRuns.countDown();
    }, Duration.ofHours(1), Ticker.system(), new RecordingEventLog()::tickFailed,
        "runner-under-test");

    runner.start();
    Optional<ScheduledFuture<?>> later = runner.runAfter(Duration.ofMillis(10));
    boolean ranTwice = twoRuns.await(10, SECONDS);
    later.orElseThrow().get(10, SECONDS);
    runner.close();

    assertThat(ranTwice).as("the start's run and the one asked for").isTrue();
    assertThat(threads).containsExactly("runner-under-test", "runner-under-test");
    assertThat(runner.runAfter(Duration.ZERO)).as("after close").isEmpty();
  }
}
