package org.regionfailover.report.datadog;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What became of every event offered to the shipper: shipped, dropped for a full queue, refused
 * by the intake, or still pending. {@link #stop()} turns whatever is pending (queued, in a batch
 * being sent, in a post that hangs) into "dropped at stop", so that from then on
 * {@code shipped + dropped == offered} holds by construction, whichever thread got stuck where.
 *
 * <p>Counting outcomes instead of tracking items is what makes the stop safe: the thread that
 * finishes the shipper never needs to see the batch another thread holds.
 */
final class ShipperCounts {
  private final AtomicLong offered = new AtomicLong();
  private final AtomicLong shipped = new AtomicLong();
  private final AtomicLong queueFull = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile boolean stopped;

  /** One event handed to the shipper; counted before it is queued so shipped never exceeds it. */
  void offered() {
    offered.incrementAndGet();
  }

  /** One offered event that found the queue full (or could not be converted). */
  void queueFull() {
    queueFull.incrementAndGet();
  }

  /**
   * {@code n} events the intake accepted. Ignored after {@link #stop()}: a post that answers
   * after the deadline was already reported as dropped, and the report must stay true.
   */
  void shipped(long n) {
    if (!stopped) {
      shipped.addAndGet(n);
    }
  }

  /** {@code n} events the intake refused for good, or too large to send; ignored after stop. */
  void refused(long n) {
    if (!stopped) {
      refused.addAndGet(n);
    }
  }

  /** Settles every pending event as dropped at stop and returns the final counts. */
  Snapshot stop() {
    stopped = true;
    return snapshot();
  }

  /** The counts now; before stop, pending events are in neither shipped nor dropped. */
  Snapshot snapshot() {
    long s = shipped.get();
    long q = queueFull.get();
    long r = refused.get();
    // Read last: an event offered meanwhile is then pending (or, after stop, dropped at stop)
    // rather than missing from the sum.
    long o = offered.get();
    return new Snapshot(o, s, q, r, stopped ? o - s - q - r : 0);
  }

  /** Counts at one moment; {@code atStop} is zero until the shipper has stopped. */
  record Snapshot(long offered, long shipped, long queueFull, long refused, long atStop) {
    /** Every event lost, whatever the reason. */
    long dropped() {
      return queueFull + refused + atStop;
    }
  }
}
