package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.ReloadOutcome;

/**
 * Requests to reload are merged: however many arrive while a reload runs, at most one
 * more follows; and requests made before the reloader starts give one reload when it
 * does. Deterministic: the reload under way is held on a latch, nothing sleeps.
 */
class ReloadRequestsTest {
  private final ReloadRequests requests = new ReloadRequests(Duration.ZERO, d -> { });
  private final List<ReloadRequests.Batch> batches = new CopyOnWriteArrayList<>();
  private final List<String> threads = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    requests.close();
  }

  private static ReloadOutcome unchanged() {
    return new ReloadOutcome(ReloadOutcome.Kind.UNCHANGED, Optional.empty(), List.of(),
        List.of(), List.of(), List.of(), List.of());
  }

  /** A reload that records its batch, says it began, and waits for {@code release}. */
  private void startHeld(CountDownLatch began, CountDownLatch release) {
    requests.start(batch -> {
      batches.add(batch);
      threads.add(Thread.currentThread().getName());
      began.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return unchanged();
    });
  }

  @Test
  void hundredRequestsDuringAReload_causeOneMoreReload_onTheReloadThread() throws Exception {
    CountDownLatch began = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    startHeld(began, release);
    CompletableFuture<ReloadOutcome> first = requests.request(ReloadRequests.Trigger.signal());
    assertThat(began.await(30, TimeUnit.SECONDS)).isTrue();

    List<CompletableFuture<ReloadOutcome>> during = new java.util.ArrayList<>();
    for (int i = 0; i < 99; i++) {
      during.add(requests.request(ReloadRequests.Trigger.signal()));
    }
    during.add(requests.request(ReloadRequests.Trigger.http("alice")));
    assertThat(during).as("all answered by the one reload to come").allSatisfy(f ->
        assertThat(f).isSameAs(during.get(0)).isNotDone());
    release.countDown();

    first.get(30, TimeUnit.SECONDS);
    during.get(0).get(30, TimeUnit.SECONDS);
    assertThat(batches).hasSize(2);
    assertThat(batches.get(0).requests()).isEqualTo(1);
    assertThat(batches.get(1).requests()).isEqualTo(100);
    assertThat(batches.get(1).triggers()).containsExactly(ReloadRequests.Trigger.signal(),
        ReloadRequests.Trigger.http("alice"));
    assertThat(threads).containsOnly("reload");
  }

  @Test
  void requestsInTheGapAfterAReload_areOneReload() throws Exception {
    CountDownLatch pausing = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    List<Duration> pauses = new CopyOnWriteArrayList<>();
    ReloadRequests gapped = new ReloadRequests(Duration.ofSeconds(1), d -> {
      pauses.add(d);
      if (pauses.size() == 1) {
        pausing.countDown();
        resume.await();
      }
    });
    try {
      gapped.start(batch -> {
        batches.add(batch);
        return unchanged();
      });
      gapped.request(ReloadRequests.Trigger.signal()).get(30, TimeUnit.SECONDS);
      assertThat(pausing.await(30, TimeUnit.SECONDS)).isTrue();

      CompletableFuture<ReloadOutcome> next = null;
      for (int i = 0; i < 50; i++) {
        next = gapped.request(ReloadRequests.Trigger.signal());
      }
      assertThat(next).as("waiting for the gap to pass").isNotDone();
      resume.countDown();
      next.get(30, TimeUnit.SECONDS);

      assertThat(batches).extracting(ReloadRequests.Batch::requests).containsExactly(1, 50);
      assertThat(pauses).first().isEqualTo(Duration.ofSeconds(1));
    } finally {
      gapped.close();
    }
  }

  @Test
  void requestsBeforeStart_areKept_andGiveOneReloadWhenItStarts() throws Exception {
    CompletableFuture<ReloadOutcome> a = requests.request(ReloadRequests.Trigger.signal());
    CompletableFuture<ReloadOutcome> b = requests.request(ReloadRequests.Trigger.signal());
    assertThat(requests.running()).isFalse();
    assertThat(a).isSameAs(b).isNotDone();

    CountDownLatch began = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    release.countDown();
    startHeld(began, release);

    a.get(30, TimeUnit.SECONDS);
    assertThat(batches).hasSize(1);
    assertThat(batches.get(0).requests()).isEqualTo(2);
    // The next request is a reload of its own: none is pending any more.
    requests.request(ReloadRequests.Trigger.signal()).get(30, TimeUnit.SECONDS);
    assertThat(batches).hasSize(2);
  }

  @Test
  void aReloadThatThrows_failsItsRequests_andTheNextOneStillRuns() throws Exception {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    requests.start(batch -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("boom");
      }
      return unchanged();
    });
    CompletableFuture<ReloadOutcome> failed = requests.request(ReloadRequests.Trigger.signal());
    assertThat(failed).failsWithin(30, TimeUnit.SECONDS);
    assertThat(requests.request(ReloadRequests.Trigger.signal()).get(30, TimeUnit.SECONDS)
        .kind()).isEqualTo(ReloadOutcome.Kind.UNCHANGED);
  }

  @Test
  void aCommandThatNeverReloads_runsItsActionInstead() {
    CountDownLatch stop = new CountDownLatch(1);
    requests.instead(stop::countDown);

    assertThat(requests.request(ReloadRequests.Trigger.signal())).isCompletedExceptionally();
    assertThat(stop.getCount()).isZero();
  }

  @Test
  void afterClose_aRequestFails_andAPendingOneIsFailed() {
    CompletableFuture<ReloadOutcome> pending = requests.request(ReloadRequests.Trigger.signal());
    requests.close();
    assertThat(pending).isCompletedExceptionally();
    assertThat(requests.request(ReloadRequests.Trigger.signal())).isCompletedExceptionally();
  }
}
