package org.regionfailover.decide;

import java.time.Duration;
import java.util.List;
import org.regionfailover.config.Region;
import org.regionfailover.decide.State.Repairing;
import org.regionfailover.decide.State.Switching;
import org.regionfailover.decide.State.Watching;

/**
 * A program of the stack is not RUNNING, or supervisord is not answering (a restarted
 * supervisord does not start {@code autostart=false} programs): the tunnel is down, so a
 * failed probe says nothing about the region. Repair the stack in place and drop the
 * outage clock, which may have counted probes that failed because of it. While a switch
 * or a repair is in flight the stack is being started anyway.
 */
final class StackRule {
  private final List<Region> order;

  StackRule(List<Region> order) {
    this.order = order;
  }

  PhaseChange checked(State state, Input.StackChecked c, long now) {
    if (c.up() || state instanceof Switching || state instanceof Repairing) {
      return PhaseChange.none(state);
    }
    String reason = c.unreachable() != null ? c.unreachable()
        : "not RUNNING: " + String.join(", ", c.notRunning());
    return new PhaseChange(new Repairing(state.active(), state.lastProbeAt(), now, reason),
        List.of(new Decision.RepairStack(order.get(state.active()), c.notRunning(),
            c.unreachable())));
  }

  PhaseChange repaired(State state, Input.StackRepaired r, long now) {
    if (!(state instanceof Repairing rep)) {
      return PhaseChange.none(state);
    }
    // A clean outage clock, as after a switch: evidence from before the repair is stale.
    return new PhaseChange(new Watching(rep.active(), rep.lastProbeAt()),
        List.of(new Decision.StackRepaired(order.get(rep.active()), r.started(),
            Duration.ofNanos(now - rep.since()), r.repairs())));
  }
}
