package org.regionfailover.report.datadog;

import com.datadog.api.client.v2.model.HTTPLogItem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Ticker;

/**
 * The bounded queue between the logging threads and the sender, and the batching rules: at most
 * 1,000 items and 5 MB (Datadog's per-request limits), sent no later than the flush interval
 * after the first item. {@link #offer} and {@link #wakeUp} never wait; the rest is for the
 * sender thread only.
 */
final class BatchQueue {
  static final int MAX_BATCH_ITEMS = 1_000;
  // Datadog: "maximum content size per payload (uncompressed): 5MB". Decimal megabytes so
  // that the limit holds whichever way the intake counts.
  static final long MAX_BATCH_BYTES = 5_000_000;
  // Put in the queue by wakeUp() for a sender that is waiting for the first item.
  private static final HTTPLogItem WAKE_UP = new HTTPLogItem();

  private final LinkedBlockingQueue<HTTPLogItem> queue;
  private final ShipperCounts counts;
  private final EventLog localLog;
  private final Ticker ticker;
  private final long flushNanos;
  private final ObjectMapper sizer = new ObjectMapper();
  // An item that did not fit in the last batch: first in the next one.
  private HTTPLogItem carried;

  BatchQueue(
      int capacity, ShipperCounts counts, EventLog localLog, Ticker ticker, ShipperTuning tuning) {
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.counts = counts;
    this.localLog = localLog;
    this.ticker = ticker;
    this.flushNanos = tuning.flushInterval().toNanos();
  }

  /** Queues an item without waiting; false when the queue is full. */
  boolean offer(HTTPLogItem item) {
    return queue.offer(item);
  }

  /** Ends a wait for the first item (if the queue is full, nobody is waiting for one). */
  void wakeUp() {
    queue.offer(WAKE_UP);
  }

  /** Whether nothing is left to send. */
  boolean drained() {
    return carried == null && queue.isEmpty();
  }

  /** Lets go of what is left; the counts already call it dropped. */
  void clear() {
    queue.clear();
  }

  /**
   * The next batch: up to the item and byte limits, or what came within the flush interval.
   * Once {@code draining} holds (the stop; read at every item, as it can start during a wait),
   * it takes only what is already queued, without waiting.
   */
  List<HTTPLogItem> next(BooleanSupplier draining) throws InterruptedException {
    List<HTTPLogItem> batch = new ArrayList<>();
    long bytes = 2; // the enclosing [ and ]
    long flushAt = 0;
    while (batch.size() < MAX_BATCH_ITEMS) {
      HTTPLogItem next = take(batch.isEmpty(), flushAt, draining.getAsBoolean());
      if (next == null) {
        break;
      }
      if (next == WAKE_UP) {
        continue;
      }
      long size = sizeOf(next) + 1; // plus the separating comma
      if (size + 2 > MAX_BATCH_BYTES) {
        counts.refused(1);
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
        flushAt = ticker.read() + flushNanos;
      }
      batch.add(next);
      bytes += size;
    }
    return batch;
  }

  /** The next item, or null when the batch should go now. */
  private HTTPLogItem take(boolean first, long flushAt, boolean draining)
      throws InterruptedException {
    if (carried != null) {
      HTTPLogItem next = carried;
      carried = null;
      return next;
    }
    if (draining) {
      return queue.poll();
    }
    if (first) {
      // Idle: wake up now and then so that drop counts get logged during a lull.
      return queue.poll(flushNanos, TimeUnit.NANOSECONDS);
    }
    long left = flushAt - ticker.read();
    return left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
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
