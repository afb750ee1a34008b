package org.regionfailover.replay;

import org.regionfailover.probe.ProbeResult;

/**
 * One probe read from a recorded log: a chain probe ({@code probe} event) or a direct one
 * ({@code region_probe}), of region {@code region} (index in the replay's order), logged at
 * {@code at} (epoch nanoseconds). Mutable and reused line after line, so that reading a
 * year of probes allocates nothing per line but the result itself.
 */
public final class RecordedInput {
  boolean direct;
  int region;
  long at;
  ProbeResult result;

  /** Whether this was a direct probe of the region's host ({@code region_probe}). */
  public boolean direct() {
    return direct;
  }

  /** Index of the probed region in the replay's failover order. */
  public int region() {
    return region;
  }

  /** The recorded {@code @timestamp}, epoch nanoseconds. */
  public long at() {
    return at;
  }

  public ProbeResult result() {
    return result;
  }

  void copyFrom(RecordedInput other) {
    direct = other.direct;
    region = other.region;
    at = other.at;
    result = other.result;
  }
}
