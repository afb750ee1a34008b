package org.regionfailover.report.datadog;

/**
 * What became of the log events offered to Datadog so far: a read-only view for metrics,
 * safe to read from any thread. Every event ends up shipped or dropped; the difference to
 * offered is what is still queued or in flight.
 */
public interface DatadogCounts {
  /** Events handed to the shipper since it started. */
  long offeredCount();

  /** Events the intake accepted. */
  long shippedCount();

  /** Events lost for any reason: a full queue, refused by the intake, left at the stop. */
  long droppedCount();

  /**
   * Why the last post to the intake failed, while posts fail (the shipper is backing off);
   * null when the last post was accepted or none failed yet.
   */
  String trouble();
}
