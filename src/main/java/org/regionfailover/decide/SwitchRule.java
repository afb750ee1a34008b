package org.regionfailover.decide;

import java.time.Duration;
import java.util.List;
import org.regionfailover.config.Region;
import org.regionfailover.decide.State.Down;
import org.regionfailover.decide.State.Repairing;
import org.regionfailover.decide.State.Switching;
import org.regionfailover.decide.State.Watching;

/**
 * What becomes of a switch: done, or given up after one outage threshold of failed
 * attempts (the first start of the stack then becomes a repair in place). The act stage
 * retries until it is told to stop; the decision to stop is here, so that a switch can
 * never stay in progress forever while every probe is ignored. Acknowledgements for a
 * switch that is no longer in progress (it was given up, and the act stage finished a step
 * anyway) are stale and change nothing.
 */
final class SwitchRule {
  private final List<Region> order;
  private final long thresholdNanos;

  SwitchRule(List<Region> order, Duration threshold) {
    this.order = order;
    this.thresholdNanos = threshold.toNanos();
  }

  /**
   * Start-up: the stack is started on {@code active} before probes count. After a switch
   * that was cut short ({@code interrupted}) the whole stack is restarted, since some
   * programs may still run on the old region; otherwise only what is not running starts,
   * so a restart of the supervisor never bounces the applications.
   */
  PhaseChange start(int active, long now, boolean interrupted) {
    return new PhaseChange(new Switching(active, active, now, now, true),
        List.of(new Decision.StartStack(order.get(active), active, interrupted)));
  }

  PhaseChange done(State state, Input.SwitchDone done, long now) {
    if (!(state instanceof Switching s) || s.target() != done.target()) {
      return PhaseChange.none(state);
    }
    // The new region starts with a clean outage clock: counters are reset after an action,
    // so the action does not repeat on evidence gathered before it.
    return new PhaseChange(new Watching(s.target(), s.lastProbeAt()),
        List.of(new Decision.SwitchCompleted(order.get(s.target()),
            Duration.ofNanos(now - s.startedAt()), s.startup(), s.inPlace())));
  }

  PhaseChange attemptFailed(State state, Input.SwitchAttemptFailed failed, long now) {
    if (!(state instanceof Switching s) || s.target() != failed.target()
        || now - s.startedAt() - thresholdNanos < 0) {
      return PhaseChange.none(state);
    }
    Region region = order.get(s.target());
    Decision abandoned = new Decision.SwitchAbandoned(region,
        Duration.ofNanos(now - s.startedAt()), failed.reason(), s.startup(), s.inPlace());
    if (s.startup()) {
      // The first start of the stack is no move: the region was never tried, and the
      // probes that failed while its stack was starting say nothing of it (issue 25: a
      // supervisord restart during the start failed the host over at once). The stack is
      // down, so it is repaired in place as one the watch found down; probes count once it
      // runs, on a clean clock. The repair's own rule still gives up on a region that is
      // down on its direct probe, a whole threshold from here.
      return new PhaseChange(new Repairing(s.active(), s.lastProbeAt(), now,
          "its start failed: " + failed.reason()),
          List.of(abandoned, new Decision.RepairStack(region, List.of(), null)));
    }
    // The host cannot be put on this region: count it as down since the switch began, so
    // the outage clock is already at the threshold and the next failed probe moves on
    // (a healthy one means the region works after all, and ends the outage).
    String reason = "switch to " + region.name() + " failed: " + failed.reason();
    return new PhaseChange(new Down(s.target(), s.lastProbeAt(), s.startedAt(), 1, reason),
        List.of(abandoned));
  }
}
