package org.regionfailover.replay;

/** The fields of one line that a replay reads, whichever parser read them; reused per line. */
final class LineFields {
  static final int UNSET = -1;
  /** A region name not in the failover order. */
  static final int UNKNOWN = -2;
  static final int CHAIN = 0;
  static final int DIRECT = 1;
  static final int OTHER = 2;

  long at;
  /** {@link #CHAIN} ({@code probe}), {@link #DIRECT} ({@code region_probe}), {@link #OTHER}. */
  int kind;
  /** Index in the order, {@link #UNKNOWN} or {@link #UNSET}. */
  int region;
  /** 1 true, 0 false, or {@link #UNSET}. */
  int healthy;
  long latency;
  int status;
  String reason;

  void reset() {
    at = IsoTimestamps.INVALID;
    kind = UNSET;
    region = UNSET;
    healthy = UNSET;
    latency = 0;
    status = UNSET;
    reason = null;
  }
}
