package org.regionfailover.decide;

import java.time.Duration;
import java.util.List;
import org.regionfailover.config.Region;
import org.regionfailover.decide.State.Down;
import org.regionfailover.decide.State.Watching;
import org.regionfailover.probe.ProbeResult;

/**
 * The continuous outage clock of the active region: it starts at the first failed probe
 * and ends at any healthy one. It only says whether the threshold is reached; what to do
 * then is the policy's.
 */
final class OutageClock {
  private final long thresholdNanos;

  OutageClock(Duration threshold) {
    this.thresholdNanos = threshold.toNanos();
  }

  /** The next state after a probe on time (or {@code late}) in Watching or Down. */
  State next(State state, Region active, ProbeResult result, long now, boolean late,
      PauseRule pause, List<Decision> out) {
    if (result.healthy()) {
      if (state instanceof Down d) {
        out.add(new Decision.OutageEnded(active, Duration.ofNanos(now - d.since())));
      }
      return new Watching(state.active(), now);
    }
    String reason = result.reason();
    if (!(state instanceof Down d)) {
      out.add(new Decision.OutageStarted(active, reason));
      return new Down(state.active(), now, now, 1, reason);
    }
    // The pause is not evidence: shift the start of the outage by the time we were not
    // watching, and wait for a probe on time before acting on it.
    long since = late ? pause.shift(d.since(), d.lastProbeAt(), now) : d.since();
    return new Down(d.active(), now, since, d.failures() + 1, reason);
  }

  /** Whether {@code down}, just updated by a probe on time, has lasted the threshold. */
  boolean reached(Down down, long now) {
    return now - down.since() - thresholdNanos >= 0;
  }
}
