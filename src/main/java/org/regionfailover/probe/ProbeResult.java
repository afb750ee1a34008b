package org.regionfailover.probe;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * What one probe saw: healthy or not, how long it took (milliseconds, monotonic clock, to
 * the response headers or to the failure), the HTTP status if one came back, and why it
 * failed.
 */
public record ProbeResult(boolean healthy, long latencyMs, OptionalInt status, String reason) {
  public ProbeResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    if (latencyMs < 0) {
      throw new IllegalArgumentException("latency cannot be negative: " + latencyMs);
    }
  }

  public static ProbeResult healthy(long latencyMs, int status) {
    return new ProbeResult(true, latencyMs, OptionalInt.of(status), "ok");
  }

  public static ProbeResult failed(long latencyMs, String reason) {
    return new ProbeResult(false, latencyMs, OptionalInt.empty(), reason);
  }

  public static ProbeResult failedWithStatus(long latencyMs, int status) {
    return new ProbeResult(false, latencyMs, OptionalInt.of(status), "status " + status);
  }
}
