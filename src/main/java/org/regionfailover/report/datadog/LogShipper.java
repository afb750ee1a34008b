package org.regionfailover.report.datadog;

import ch.qos.logback.classic.Level;
import com.datadog.api.client.v2.model.HTTPLogItem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Ticker;

/**
 * A bounded queue of log items and the one thread that posts them to the intake in batches.
 *
 * <p>{@link #offer} never waits: when the queue is full the item is dropped and counted, because
 * a dead Datadog must cost log lines, never a late failover. The sender thread posts batches of
 * at most 1,000 items and 5 MB (Datadog's per-request limits), sends a batch no later than the
 * flush interval after its first item, retries 429/5xx/network failures of the same batch with
 * jittered backoff, and reports its own trouble once per episode on the local (stdout) log.
 */
final class LogShipper implements Closeable {
  static final int MAX_BATCH_ITEMS = 1_000;
  // Datadog: "maximum content size per payload (uncompressed): 5MB". Decimal megabytes so
  // that the limit holds whichever way the intake counts.
  static final long MAX_BATCH_BYTES = 5_000_000;
  // Slack for close(): an in-flight post may still be reading its response at the deadline.
  private static final Duration JOIN_GRACE = Duration.ofMillis(250);
  // Pause after an unexpected exception so a bug cannot become a hot loop.
  private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);
  // Put in the queue by close() to wake a sender that is waiting for the first item.
  private static final HTTPLogItem WAKE_UP = new HTTPLogItem();

  private final LinkedBlockingQueue<HTTPLogItem> queue;
  private final LogsIntake intake;
  private final LogItemConverter converter;
  private final EventLog localLog;
  private final Ticker ticker;
  private final ShipperTuning tuning;
  private final DoubleSupplier random;
  private final Duration flushTimeout;
  private final Thread thread;
  private final ObjectMapper sizer = new ObjectMapper();
  private final Object signal = new Object();

  private final AtomicLong overflowDrops = new AtomicLong();
  private final AtomicLong discarded = new AtomicLong();
  private final AtomicLong shipped = new AtomicLong();
  private volatile long stopDeadline;
  private volatile boolean stopping;

  // Sender-thread state, never touched by other threads.
  private HTTPLogItem carried;
  private long dropsShipped;
  private long dropsLogged;
  private long lastDropLog;
  private int consecutiveFailures;
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
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.intake = intake;
    this.converter = converter;
    this.localLog = localLog;
    this.ticker = ticker;
    this.tuning = tuning;
    this.random = random;
    this.flushTimeout = flushTimeout;
    this.thread = new Thread(this::run, "datadog-shipper");
    // Daemon: a JVM that exits without close() must not hang on a retrying shipper.
    this.thread.setDaemon(true);
  }

  /** Starts the sender thread. */
  void start() {
    thread.start();
  }

  /** Queues an item without waiting; returns false (and counts a drop) when the queue is full. */
  boolean offer(HTTPLogItem item) {
    if (queue.offer(item)) {
      return true;
    }
    overflowDrops.incrementAndGet();
    return false;
  }

  /** Counts an event that could not even be converted as dropped. */
  void countDrop() {
    overflowDrops.incrementAndGet();
  }

  /** Events dropped because the queue was full. */
  long dropped() {
    return overflowDrops.get();
  }

  /** Events the intake refused for good, or that were still queued when close() gave up. */
  long discarded() {
    return discarded.get();
  }

  /** Events the intake accepted. */
  long shipped() {
    return shipped.get();
  }

  /** Whether {@code thread} is the sender thread (whose own logging must not be shipped). */
  boolean isSenderThread(Thread candidate) {
    return candidate == thread;
  }

  /**
   * Ships what is queued, waiting at most the flush timeout, then stops the sender thread.
   */
  @Override
  public void close() {
    if (stopping) {
      return;
    }
    stopDeadline = ticker.read() + flushTimeout.toNanos();
    stopping = true;
    queue.offer(WAKE_UP); // if the queue is full the sender is not waiting for an item anyway
    synchronized (signal) {
      signal.notifyAll();
    }
    try {
      thread.join(Math.max(1, flushTimeout.plus(JOIN_GRACE).toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      // Stuck in a post past its deadline; it is a daemon, so it cannot hold up the exit.
      thread.interrupt();
    }
  }

  private void run() {
    lastDropLog = ticker.read() - tuning.dropLogInterval().toNanos();
    try {
      while (true) {
        try {
          logDropsIfDue(false);
          if (stopping && pastStopDeadline()) {
            abandonQueue();
            break;
          }
          List<HTTPLogItem> batch = nextBatch();
          if (!batch.isEmpty()) {
            send(batch);
          } else if (stopping && carried == null && queue.isEmpty()) {
            break;
          }
        } catch (InterruptedException e) {
          abandonQueue();
          break;
        } catch (RuntimeException e) {
          // Catch and carry on: a sender thread that dies silently stops all shipping.
          localLog.emit(
              Event.error("datadog_shipper_error", "Datadog shipper hit an unexpected error")
                  .with("error", e.getClass().getName())
                  .with("reason", e.getMessage()));
          pause(ERROR_PAUSE);
        }
      }
    } catch (InterruptedException e) {
      abandonQueue();
    }
    logDropsIfDue(true);
    localLog.emit(
        Event.info("datadog_stopped", "Datadog shipper stopped")
            .with("shipped", shipped.get())
            .with("dropped", overflowDrops.get())
            .with("discarded", discarded.get()));
  }

  /** Collects the next batch: up to the item and byte limits, or what came within the interval. */
  private List<HTTPLogItem> nextBatch() throws InterruptedException {
    List<HTTPLogItem> batch = new ArrayList<>();
    long bytes = 2; // the enclosing [ and ]
    long flushAt = 0;
    while (batch.size() < MAX_BATCH_ITEMS) {
      HTTPLogItem next;
      if (carried != null) {
        next = carried;
        carried = null;
      } else if (stopping) {
        next = queue.poll();
      } else if (batch.isEmpty()) {
        // Idle: wake up now and then so that drop counts get logged during a lull.
        next = queue.poll(tuning.flushInterval().toNanos(), TimeUnit.NANOSECONDS);
      } else {
        long left = flushAt - ticker.read();
        if (left <= 0) {
          break;
        }
        next = queue.poll(left, TimeUnit.NANOSECONDS);
      }
      if (next == null) {
        break;
      }
      if (next == WAKE_UP) {
        continue;
      }
      long size = sizeOf(next) + 1; // plus the separating comma
      if (size + 2 > MAX_BATCH_BYTES) {
        discarded.incrementAndGet();
        localLog.emit(
            Event.error("datadog_item_too_large", "A log event is larger than a Datadog batch")
                .with("bytes", size));
        continue;
      }
      if (bytes + size > MAX_BATCH_BYTES) {
        carried = next;
        break;
      }
      if (batch.isEmpty()) {
        flushAt = ticker.read() + tuning.flushInterval().toNanos();
      }
      batch.add(next);
      bytes += size;
    }
    return batch;
  }

  /** Posts one batch until it is accepted, refused for good, or the stop deadline passes. */
  private void send(List<HTTPLogItem> batch) throws InterruptedException {
    while (true) {
      IntakeResult result = intake.submit(batch);
      if (result instanceof IntakeResult.Accepted) {
        shipped.addAndGet(batch.size());
        onSuccess();
        return;
      }
      reportTroubleOnce(result);
      Duration delay = delayAfter(result);
      consecutiveFailures++;
      if (result instanceof IntakeResult.Rejected rejected && !rejected.keyProblem()) {
        // The same payload would be refused again: drop it, but still back off so that a
        // stream of bad payloads cannot hammer the intake.
        discarded.addAndGet(batch.size());
        pause(delay);
        return;
      }
      logDropsIfDue(false);
      pause(delay);
      if (stopping && pastStopDeadline()) {
        discarded.addAndGet(batch.size());
        return;
      }
    }
  }

  /** The wait before the next post: jittered backoff, and never less than a 429's reset time. */
  Duration delayAfter(IntakeResult result) {
    Duration backoff = tuning.backoff().delay(consecutiveFailures, random);
    if (result instanceof IntakeResult.Retry retry && retry.notBefore().isPresent()) {
      Duration reset = retry.notBefore().get();
      return reset.compareTo(backoff) > 0 ? reset : backoff;
    }
    return backoff;
  }

  private void onSuccess() {
    if (troubleReported) {
      localLog.emit(
          Event.info("datadog_recovered", "Datadog intake accepts logs again")
              .with("failed_attempts", consecutiveFailures));
    }
    troubleReported = false;
    consecutiveFailures = 0;
    shipDropCount();
  }

  /** After a success, tells Datadog how many events it never got; retried after the next one. */
  private void shipDropCount() {
    long total = overflowDrops.get();
    long pending = total - dropsShipped;
    if (pending <= 0) {
      return;
    }
    HTTPLogItem report =
        converter.synthetic(
            Level.WARN,
            "datadog_dropped",
            "Dropped " + pending + " log events because the Datadog queue was full",
            Map.of("dropped", pending, "dropped_total", total));
    if (intake.submit(List.of(report)) instanceof IntakeResult.Accepted) {
      dropsShipped = total;
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

  /** Logs locally how many events were dropped since the last such line, at most once a period. */
  private void logDropsIfDue(boolean force) {
    long total = overflowDrops.get();
    long now = ticker.read();
    if (total == dropsLogged
        || (!force && now - lastDropLog < tuning.dropLogInterval().toNanos())) {
      return;
    }
    localLog.emit(
        Event.warn("datadog_queue_full", "Datadog queue is full; log events were dropped")
            .with("dropped", total - dropsLogged)
            .with("dropped_total", total));
    dropsLogged = total;
    lastDropLog = now;
  }

  private void abandonQueue() {
    List<HTTPLogItem> left = new ArrayList<>();
    queue.drainTo(left);
    left.removeIf(item -> item == WAKE_UP);
    long lost = left.size() + (carried == null ? 0 : 1);
    carried = null;
    discarded.addAndGet(lost);
  }

  private boolean pastStopDeadline() {
    return ticker.read() - stopDeadline >= 0;
  }

  /** Waits for {@code delay}, cut short by the stop deadline once close() has been called. */
  private void pause(Duration delay) throws InterruptedException {
    long until = ticker.read() + delay.toNanos();
    synchronized (signal) {
      while (true) {
        long end = stopping && stopDeadline - until < 0 ? stopDeadline : until;
        long left = end - ticker.read();
        if (left <= 0) {
          return;
        }
        TimeUnit.NANOSECONDS.timedWait(signal, left);
      }
    }
  }

  private long sizeOf(HTTPLogItem item) {
    try {
      return sizer.writeValueAsBytes(item).length;
    } catch (JsonProcessingException e) {
      // Unmeasurable means unsendable: the intake's serializer would fail the same way.
      return MAX_BATCH_BYTES;
    }
  }
}
