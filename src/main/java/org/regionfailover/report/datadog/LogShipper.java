package org.regionfailover.report.datadog;

import com.datadog.api.client.v2.model.HTTPLogItem;
import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.NamedThreads;
import org.regionfailover.time.Ticker;

/**
 * A bounded queue of log items and the one thread that posts them to the intake in batches.
 *
 * <p>{@link #offer} never waits: when the queue is full the item is dropped and counted, because
 * a dead Datadog must cost log lines, never a late failover. The sender thread posts the batches
 * of a {@link BatchQueue}, retries 429/5xx/network failures of the same batch with jittered
 * backoff, and reports its own trouble once per episode on the local (stdout) log.
 *
 * <p>Every offered event ends up shipped or counted as dropped ({@link ShipperCounts}). At
 * {@link #close} each batch left gets one attempt, even in the middle of a backoff; what is not
 * shipped by the flush deadline, including a batch whose post hangs, is dropped, and a final
 * {@code datadog_stopped} with the counts is always logged locally.
 */
final class LogShipper implements Closeable {
  // Slack for close(): after the deadline the sender still counts and reports, which takes
  // milliseconds; past this close() does it for the sender rather than wait.
  private static final Duration JOIN_GRACE = Duration.ofMillis(250);
  // Pause after an unexpected exception so a bug cannot become a hot loop.
  private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);
  // Floor of the wake-ups that report drops during a wait: tests use a drop-log interval of
  // zero, which must not turn a backoff into a busy loop.
  private static final Duration MIN_DROP_CHECK = Duration.ofMillis(50);

  private final BatchQueue queue;
  private final EventLog localLog;
  private final Ticker ticker;
  private final ShipperTuning tuning;
  private final DoubleSupplier random;
  private final Duration flushTimeout;
  private final long dropCheckNanos;
  private final Thread thread;
  private final Object signal = new Object();
  private final ShipperCounts counts = new ShipperCounts();
  private final DropReporter drops;
  private final PostThread posts;
  private final AtomicBoolean finished = new AtomicBoolean();

  private volatile long stopDeadline;
  private volatile boolean stopping;
  private volatile boolean postAbandoned;

  // Sender-thread state, never touched by other threads.
  private int consecutiveFailures;
  /** Why posts fail, for the status page; null while they succeed. */
  private volatile String trouble;
  private boolean troubleReported;

  LogShipper(
      int capacity,
      LogsIntake intake,
      LogItemConverter converter,
      EventLog localLog,
      Ticker ticker,
      ShipperTuning tuning,
      DoubleSupplier random,
      Duration flushTimeout) {
    this.queue = new BatchQueue(capacity, counts, localLog, ticker, tuning);
    this.localLog = localLog;
    this.ticker = ticker;
    this.tuning = tuning;
    this.random = random;
    this.flushTimeout = flushTimeout;
    this.drops = new DropReporter(counts, converter, localLog, ticker, tuning.dropLogInterval());
    this.dropCheckNanos = max(tuning.dropLogInterval(), MIN_DROP_CHECK).toNanos();
    this.posts = new PostThread(intake, this::wakeSender);
    // Daemon: a JVM that exits without close() must not hang on a retrying shipper.
    this.thread = NamedThreads.daemon("datadog-shipper", this::run);
  }

  /** Starts the sender thread. */
  void start() {
    thread.start();
  }

  /** Queues an item without waiting; returns false (and counts a drop) when the queue is full. */
  boolean offer(HTTPLogItem item) {
    counts.offered();
    if (queue.offer(item)) {
      return true;
    }
    counts.queueFull();
    return false;
  }

  /** Counts an event that could not even be converted as offered and dropped. */
  void countDrop() {
    counts.offered();
    counts.queueFull();
  }

  /** What became of the events offered so far. */
  ShipperCounts.Snapshot counts() {
    return counts.snapshot();
  }

  /** Whether {@code candidate} is a shipper thread (whose own logging must not be shipped). */
  boolean isShipperThread(Thread candidate) {
    return candidate == thread || posts.isPostThread(candidate);
  }

  /**
   * Ships what is queued, one attempt per batch, within the flush timeout; then stops, counting
   * what was not shipped as dropped, and logs {@code datadog_stopped}. Returns within about the
   * flush timeout even when a post hangs.
   */
  @Override
  public void close() {
    synchronized (signal) {
      if (stopping) {
        return;
      }
      stopDeadline = ticker.read() + flushTimeout.toNanos();
      stopping = true;
      signal.notifyAll(); // ends a backoff at once: the final attempt is made now
    }
    queue.wakeUp();
    try {
      thread.join(Math.max(1, flushTimeout.plus(JOIN_GRACE).toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      // The sender overran the deadline (a starved CPU, or a bug). Settle the counts and report
      // for it: the stop must stay bounded and still say what was lost.
      thread.interrupt();
      finish();
    }
    posts.close();
  }

  private void run() {
    try {
      while (!finished.get()) {
        try {
          if (!shipOnce()) {
            break;
          }
        } catch (RuntimeException e) {
          // Catch and carry on: a sender thread that dies silently stops all shipping.
          localLog.emit(
              Event.error("datadog_shipper_error", "Datadog shipper hit an unexpected error")
                  .with("error", e.getClass().getName())
                  .with("reason", e.getMessage()));
          if (stopping) {
            break; // no time for a second chance, and a repeating bug must not flood the log
          }
          pause(ERROR_PAUSE);
        }
      }
    } catch (InterruptedException e) {
      // Only close() interrupts, once it has stopped waiting for us: finish at once.
    }
    if (!finished.get()) {
      drops.logQueueFullIfDue(true);
    }
    finish();
  }

  /** Collects and sends one batch; false once there is nothing more to do before finishing. */
  private boolean shipOnce() throws InterruptedException {
    if (stopping && (postAbandoned || pastStopDeadline())) {
      return false;
    }
    drops.logQueueFullIfDue(false);
    List<HTTPLogItem> batch = queue.next(() -> stopping);
    if (!batch.isEmpty()) {
      return send(batch);
    }
    return !(stopping && queue.drained());
  }

  /** Settles the counts and logs the final report; the first caller (sender or close) wins. */
  private void finish() {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    ShipperCounts.Snapshot last = counts.stop();
    queue.clear();
    String message =
        "Datadog shipper stopped: shipped " + last.shipped() + " of " + last.offered()
            + " log events, dropped " + last.dropped();
    Event.Builder stopped =
        last.dropped() == 0
            ? Event.info("datadog_stopped", message)
            : Event.warn("datadog_stopped", message);
    localLog.emit(
        stopped
            .with("offered", last.offered())
            .with("shipped", last.shipped())
            .with("dropped", last.dropped())
            .with("dropped_queue_full", last.queueFull())
            .with("dropped_refused", last.refused())
            .with("dropped_at_stop", last.atStop())
            // Also true when close() finishes for a sender still waiting on its post.
            .with("post_abandoned", postAbandoned || posts.busy()));
  }

  /**
   * Posts one batch until it is accepted or refused for good. Once stopping, a batch gets one
   * more attempt and no backoff. Returns false when shipping must end: that final attempt
   * failed, or its post was abandoned at the deadline (the batch then counts as dropped).
   */
  private boolean send(List<HTTPLogItem> batch) throws InterruptedException {
    while (true) {
      boolean finalAttempt = stopping;
      Optional<IntakeResult> answer = post(batch);
      if (answer.isEmpty()) {
        return false;
      }
      IntakeResult result = answer.get();
      if (result instanceof IntakeResult.Accepted) {
        counts.shipped(batch.size());
        onSuccess();
        return true;
      }
      reportTroubleOnce(result);
      trouble = result instanceof IntakeResult.Rejected r ? "intake refused: HTTP " + r.status()
          + " " + r.reason() : ((IntakeResult.Retry) result).reason();
      Duration delay = delayAfter(result);
      consecutiveFailures++;
      if (result instanceof IntakeResult.Rejected rejected && !rejected.keyProblem()) {
        // The same payload would be refused again: drop it, but still back off so that a
        // stream of bad payloads cannot hammer the intake.
        counts.refused(batch.size());
        pause(delay);
        return true;
      }
      if (finalAttempt) {
        return false;
      }
      pause(delay);
    }
  }

  /**
   * Posts on the post thread and waits for the answer, however long, until close(); then at
   * most until the stop deadline. Empty when the deadline came first: the post is abandoned.
   */
  private Optional<IntakeResult> post(List<HTTPLogItem> batch) throws InterruptedException {
    CompletableFuture<IntakeResult> answer = posts.submit(batch);
    waitUntil(answer::isDone, () -> stopping ? stopDeadline - ticker.read() : Long.MAX_VALUE);
    if (!answer.isDone()) {
      postAbandoned = true;
      return Optional.empty();
    }
    return Optional.of(answer.join());
  }

  /** Why posts to the intake fail now, or null when the last one was accepted. */
  String trouble() {
    return trouble;
  }

  /** The wait before the next post: jittered backoff, and never less than a 429's reset time. */
  Duration delayAfter(IntakeResult result) {
    Duration backoff = tuning.backoff().delay(consecutiveFailures, random);
    if (result instanceof IntakeResult.Retry retry && retry.notBefore().isPresent()) {
      return max(retry.notBefore().get(), backoff);
    }
    return backoff;
  }

  private void onSuccess() throws InterruptedException {
    if (troubleReported) {
      localLog.emit(
          Event.info("datadog_recovered", "Datadog intake accepts logs again")
              .with("failed_attempts", consecutiveFailures));
    }
    troubleReported = false;
    trouble = null;
    consecutiveFailures = 0;
    shipDropReport();
  }

  /** After a success, tells Datadog how many events it never got; retried after the next one. */
  private void shipDropReport() throws InterruptedException {
    Optional<DropReporter.Report> report = drops.pending();
    if (report.isEmpty()) {
      return;
    }
    Optional<IntakeResult> answer = post(List.of(report.get().item()));
    if (answer.isPresent() && answer.get() instanceof IntakeResult.Accepted) {
      drops.told(report.get());
    }
  }

  private void reportTroubleOnce(IntakeResult result) {
    if (troubleReported) {
      return;
    }
    troubleReported = true;
    if (result instanceof IntakeResult.Rejected rejected) {
      localLog.emit(
          Event.error(
                  "datadog_rejected",
                  rejected.keyProblem()
                      ? "Datadog rejected the API key; logs are held and retried with backoff"
                      : "Datadog rejected a batch of logs; it was dropped")
              .with("status", rejected.status())
              .with("reason", rejected.reason()));
    } else if (result instanceof IntakeResult.Retry retry) {
      localLog.emit(
          Event.warn("datadog_unreachable", "Datadog intake failed; retrying with backoff")
              .with("reason", retry.reason()));
    }
  }

  private boolean pastStopDeadline() {
    return ticker.read() - stopDeadline >= 0;
  }

  /** Waits for {@code delay}; close() ends the wait at once so the final attempt is not late. */
  private void pause(Duration delay) throws InterruptedException {
    long until = ticker.read() + delay.toNanos();
    waitUntil(() -> stopping, () -> until - ticker.read());
  }

  /**
   * Waits until {@code done} holds or {@code remaining} (nanoseconds, re-read at each wake-up)
   * runs out. Wakes at least once per drop-log interval to log queue drops: a backoff or a hung
   * post can last minutes, and the operator must still see the queue overflowing.
   */
  private void waitUntil(BooleanSupplier done, LongSupplier remaining) throws InterruptedException {
    while (!done.getAsBoolean()) {
      drops.logQueueFullIfDue(false);
      long left = remaining.getAsLong();
      if (left <= 0) {
        return;
      }
      synchronized (signal) {
        // Checked again under the lock: close() and the post thread notify under it.
        if (!done.getAsBoolean()) {
          TimeUnit.NANOSECONDS.timedWait(signal, Math.min(left, dropCheckNanos));
        }
      }
    }
  }

  private void wakeSender() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
