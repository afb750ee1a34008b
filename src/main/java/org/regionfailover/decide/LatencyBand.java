package org.regionfailover.decide;

import java.time.Duration;
import org.regionfailover.probe.ProbeResult;

/**
 * Optionally a slow answer counts as a failure: a healthy probe slower than {@code enter}
 * fails, and the region stays slow until a probe answers under {@code exit}. Two bounds,
 * so a region hovering at the limit does not flap.
 */
record LatencyBand(Duration enter, Duration exit) {
  static final LatencyBand OFF = new LatencyBand(null, null);

  LatencyBand {
    if ((enter == null) != (exit == null) || enter != null && exit.compareTo(enter) > 0) {
      throw new IllegalArgumentException("need exit <= enter: " + enter + "/" + exit);
    }
  }

  /** The probe as the band sees it, and whether the region is slow after it. */
  record Judged(ProbeResult result, boolean slow) {}

  Judged judge(ProbeResult r, boolean slow) {
    if (enter == null || !r.healthy()) {
      return new Judged(r, slow);
    }
    long ms = r.latencyMs();
    boolean nowSlow = slow ? ms >= exit.toMillis() : ms > enter.toMillis();
    if (!nowSlow) {
      return new Judged(r, false);
    }
    String why = slow ? "slow: " + ms + " ms, not yet under " + exit.toMillis() + " ms"
        : "slow: " + ms + " ms > " + enter.toMillis() + " ms";
    return new Judged(ProbeResult.failed(ms, why), true);
  }
}
