package org.regionfailover.probe;

import java.util.List;

/**
 * A source of evidence from the applications' own calls (issue 27): {@code endpoint} (the
 * applications POST their counts to the status server) or {@code log:PROGRAM} (a program's
 * own log read through supervisord). The loop drains every source once per interval, off
 * its own thread, and posts one input per region seen; a source never blocks a probe.
 */
public interface TrafficSource extends AutoCloseable {
  /** {@code endpoint} or {@code log:PROGRAM}, as the setting names it. */
  String name();

  /**
   * What was seen since the last drain, one entry per region reported (empty: nothing).
   * Must return quickly (no network call on the caller's thread beyond a bounded one).
   */
  List<TrafficCounts> drain();

  /**
   * The reports dropped since the last drain, taken (zeroed) without draining anything
   * else and without any call out: for a stop, so that no drop goes untold.
   */
  default long takeDropped() {
    return 0;
  }

  @Override
  default void close() {}
}
