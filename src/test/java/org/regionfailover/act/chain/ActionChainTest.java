package org.regionfailover.act.chain;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.Regions.EU;
import static org.regionfailover.Regions.NAM;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.Regions;
import org.regionfailover.config.Region;
import org.regionfailover.report.Event;
import org.regionfailover.time.Backoff;
import org.regionfailover.time.Ticker;
import org.regionfailover.act.Action;
import org.regionfailover.act.ActionException;

/** A failed or throwing step stops the chain, is reported, and the whole chain is retried until done. */
class ActionChainTest {
  /** 1..5 ms keeps retries fast; jitter pinned to the top of the window so delays are exact. */
  private static final Backoff FAST = new Backoff(Duration.ofMillis(1), Duration.ofMillis(5));
  private static final Ticker FROZEN = () -> 42L;

  private final RecordingEventLog log = new RecordingEventLog();
  private final List<String> calls = new CopyOnWriteArrayList<>();

  /** An action that records its calls and fails its first {@code failures} calls. */
  private Action action(String name, int failures, boolean runtime) {
    AtomicInteger n = new AtomicInteger();
    return new Action() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void apply(Region target) throws ActionException {
        int call = n.incrementAndGet();
        calls.add(name + "#" + call);
        if (call <= failures) {
          if (runtime) {
            throw new IllegalStateException(name + " blew up on call " + call);
          }
          throw new ActionException(name + " failed on call " + call);
        }
      }
    };
  }

  @Test
  void submit_secondActionFailsTwice_retriesTheChainInOrderAndAcknowledgesOnce() throws Exception {
    AtomicInteger done = new AtomicInteger();
    CountDownLatch doneLatch = new CountDownLatch(1);
    ActionChain chain = new ActionChain(
        List.of(action("env_file", 0, false), action("restart", 2, false)), FAST, log, FROZEN,
        () -> 1.0);

    chain.submit(NAM, () -> {
      done.incrementAndGet();
      doneLatch.countDown();
    });

    assertThat(doneLatch.await(10, SECONDS)).as("chain completes").isTrue();
    chain.close(); // waits for the act thread, so nothing can run after the asserts below
    assertThat(done).as("onDone runs exactly once").hasValue(1);
    assertThat(calls).containsExactly(
        "env_file#1", "restart#1", "env_file#2", "restart#2", "env_file#3", "restart#3");

    List<Event> failed = log.named("action_failed");
    assertThat(failed).hasSize(2);
    assertThat(failed).extracting(e -> e.fields().get("action")).containsOnly("restart");
    assertThat(failed).extracting(e -> e.fields().get("region")).containsOnly("NAM");
    assertThat(failed).extracting(e -> e.fields().get("attempt")).containsExactly(1, 2);
    assertThat(failed).extracting(e -> e.fields().get("retry_in_ms")).containsExactly(1L, 2L);
    assertThat(failed.get(0).fields().get("reason")).isEqualTo("restart failed on call 1");
    assertThat(failed.get(0).level()).isEqualTo(Event.Level.ERROR);
    assertThat(log.named("action_completed")).extracting(e -> e.fields().get("action"))
        .containsExactly("env_file", "env_file", "env_file", "restart");
  }

  @Test
  void submit_actionThrowsRuntimeException_isRetriedLikeAFailure() throws Exception {
    CountDownLatch doneLatch = new CountDownLatch(1);
    ActionChain chain = new ActionChain(List.of(action("restart", 1, true)), FAST, log, FROZEN,
        () -> 1.0);

    chain.submit(EU, doneLatch::countDown);

    assertThat(doneLatch.await(10, SECONDS))
        .as("the act thread survives the exception and the retry completes").isTrue();
    chain.close();
    assertThat(calls).containsExactly("restart#1", "restart#2");
    assertThat(log.named("action_failed")).singleElement().satisfies(e -> {
      assertThat(e.fields()).containsEntry("attempt", 1)
          .containsEntry("reason", "restart blew up on call 1");
    });
  }

  @Test
  void close_retryPending_retryNeverRuns() throws Exception {
    // The retry is due 300 ms after the failure: soon enough that a close which waited for
    // it (instead of dropping it) would run it, far enough that close comes first.
    Backoff slow = new Backoff(Duration.ofMillis(300), Duration.ofMillis(300));
    CountDownLatch idle = new CountDownLatch(1);
    CountDownLatch retried = new CountDownLatch(1);
    AtomicInteger euCalls = new AtomicInteger();
    Action failsForEu = new Action() {
      @Override
      public String name() {
        return "restart";
      }

      @Override
      public void apply(Region target) throws ActionException {
        if (target.equals(NAM)) {
          idle.countDown();
          return;
        }
        if (euCalls.incrementAndGet() > 1) {
          retried.countDown();
        }
        throw new ActionException("restart failed");
      }
    };
    AtomicInteger done = new AtomicInteger();
    ActionChain chain = new ActionChain(List.of(failsForEu), slow, log, FROZEN, () -> 1.0);

    chain.submit(EU, done::incrementAndGet);
    // The act thread runs one task at a time in order: once this second switch runs, the
    // failed first attempt has returned, so its retry is scheduled and pending.
    chain.submit(NAM, () -> {});
    assertThat(idle.await(10, SECONDS)).isTrue();
    chain.close(Duration.ofSeconds(5));

    assertThat(retried.await(1, SECONDS)).as("a retry ran after close").isFalse();
    assertThat(euCalls).hasValue(1);
    assertThat(done).hasValue(0);
    assertThat(log.named("action_failed")).singleElement()
        .satisfies(e -> assertThat(e.fields()).containsEntry("retry_in_ms", 300L));
  }

  /**
   * The chain reports every failed attempt and retries until cancelled; giving up is the
   * decide stage's call, carried out by cancel().
   */
  @Test
  void submit_failingUntilCancelled_reportsEachAttemptThenStopsRetrying() throws Exception {
    RecordingEventLog events = new RecordingEventLog();
    java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
    Action alwaysFails = new Action() {
      @Override
      public String name() {
        return "restart";
      }

      @Override
      public void apply(Region target) throws ActionException {
        attempts.incrementAndGet();
        throw new ActionException("SPAWN_ERROR app:application");
      }
    };
    java.util.concurrent.CountDownLatch fourFailures = new java.util.concurrent.CountDownLatch(4);
    java.util.List<String> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ActionChain chain = new ActionChain(java.util.List.of(alwaysFails),
        new org.regionfailover.time.Backoff(java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(2)),
        events, () -> 0L, () -> 0.0)) {
      chain.submit(NAM, () -> {
        throw new AssertionError("a failing chain must never be acknowledged as done");
      }, reason -> {
        reasons.add(reason);
        fourFailures.countDown();
      });
      assertThat(fourFailures.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      chain.cancel("failing for one outage threshold");
      int afterCancel = attempts.get();
      // One more retry may have been in hand when cancel ran; none is scheduled after it.
      java.util.concurrent.CountDownLatch probeRun = new java.util.concurrent.CountDownLatch(1);
      chain.submit(Regions.APAC, java.util.List.of(), probeRun::countDown,
          r -> { });
      assertThat(probeRun.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(attempts.get()).isLessThanOrEqualTo(afterCancel + 1);
    }
    assertThat(reasons).allMatch("restart: SPAWN_ERROR app:application"::equals);
    assertThat(events.named("switch_abandoned")).singleElement().satisfies(e -> assertThat(
        e.fields()).containsEntry("region", "NAM").containsEntry("reason",
            "restart: SPAWN_ERROR app:application"));
  }
}
