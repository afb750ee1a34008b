package org.regionfailover.decide.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.config.Quorum;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Budget;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Hold;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.RegionView.Health;
import org.regionfailover.decide.Transition;
import org.regionfailover.decide.TransitionHistory;
import org.regionfailover.probe.ProbeResult;

/**
 * The fleet's decider runs a host's own rules ({@link FailoverPolicy#forFleet}: outage
 * clock, intermittent rule, pre-flight, fail-back with its guard, budget, hold, operators'
 * moves; the repair in place is each host's own) over the fleet's aggregated view, and gets the same
 * {@link Decision}s. Each pass turns the hosts' published views into the inputs a host
 * would see:
 * <ul>
 *   <li>the chain of the fleet's region fails when at least the quorum of live hosts on it
 *       see their chain failing;
 *   <li>a region's direct probe fails when more hosts see it down than up, and succeeds when
 *       at least the quorum see it up; otherwise nothing is known of it this pass.
 * </ul>
 *
 * <p>Times are wall-clock nanoseconds: deciders come and go, and the history they share in
 * ZooKeeper must mean the same to each. Pure: no I/O, no clock reads.
 */
public final class FleetPolicy {
  private static final ProbeResult UP = ProbeResult.healthy(0, 200);

  private final FailoverPolicy rules;
  private final Quorum quorum;
  private final Budget budget;

  public FleetPolicy(List<Region> order, PolicySettings settings, Quorum quorum) {
    this.rules = FailoverPolicy.forFleet(order, settings);
    this.quorum = Objects.requireNonNull(quorum, "quorum");
    this.budget = new Budget(settings.maxTransitions(), settings.transitionWindow());
  }

  /** The index of {@code name} in the order, -1 when it is not there. */
  public int index(String name) {
    List<Region> order = order();
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  public List<Region> order() {
    return rules.order();
  }

  public Quorum quorum() {
    return quorum;
  }

  public Duration threshold() {
    return rules.threshold();
  }

  /**
   * The decider's {@code state} under these rules, taken over from {@code previous}'s (a
   * reload): the outage clock, window, history and hold carry over, as a host's own loop
   * keeps them ({@link FailoverPolicy#adopt}). Pure.
   *
   * @throws IllegalArgumentException when the two decide over different orders
   */
  public PolicyState adopt(PolicyState state, FleetPolicy previous) {
    return rules.adopt(state, previous.rules);
  }

  /** The fleet's budget of automatic transitions. */
  public Budget budget() {
    return budget;
  }

  /**
   * The state a decider takes over in: the fleet on {@code active}, with its history and
   * hold, and an outage already running if a quorum sees it (from the views' own clocks).
   */
  public PolicyState resume(int active, long[] history, Hold hold, List<SeenView> views,
      long now) {
    return rules.resumed(active, now, TransitionHistory.of(history), hold,
        quorumDownSince(active, views, now));
  }

  /** One pass over the fleet's views at {@code now}: direct views first, then the chain. */
  public Transition decide(PolicyState state, List<SeenView> views, long now) {
    return decide(state, views, now, null);
  }

  /**
   * As above, judging the maintenance windows on the wall clock {@code wall} (null: not):
   * the decider plans the fleet's move ahead of a window once, for every host.
   */
  public Transition decide(PolicyState state, List<SeenView> views, long now,
      java.time.Instant wall) {
    List<Decision> out = new ArrayList<>();
    PolicyState s = state;
    for (int r = 0; r < order().size(); r++) {
      ProbeResult direct = direct(views, r);
      if (direct != null) {
        Transition t = rules.decide(s, new Input.RegionProbed(r, direct), now);
        s = t.next();
        out.addAll(t.decisions());
      }
    }
    Transition t = rules.decide(s, new Input.Probed(s.active(), chain(s.active(), views, now)),
        now, wall);
    out.addAll(t.decisions());
    return new Transition(t.next(), out);
  }

  /** An operator's command for the fleet, answered by the same rules as on one host. */
  public Transition command(PolicyState state, Input.Command command, long now) {
    return command(state, command, now, null);
  }

  /** As above; a move into a maintenance window at {@code wall} needs force. */
  public Transition command(PolicyState state, Input.Command command, long now,
      java.time.Instant wall) {
    return rules.decide(state, command, now, wall);
  }

  /** The maintenance windows as they now stand, for the fleet ({@code wall}: now). */
  public Transition schedule(PolicyState state, Input.MaintenanceSchedule schedule, long now,
      java.time.Instant wall) {
    return rules.decide(state, schedule, now, wall);
  }

  /**
   * The fleet's move to {@code target} is written (or, {@code target} the active region,
   * the hosts repair in place themselves): done for the fleet, with a clean chain record.
   */
  public Transition done(PolicyState state, int target, long now) {
    return rules.decide(state, new Input.SwitchDone(target), now);
  }

  /** The fleet's persisted history: the transitions of the budget's window. */
  public static long[] history(PolicyState state) {
    return state.history().toArray();
  }

  /**
   * The hosts that count toward moving the fleet off region {@code active} at {@code now},
   * as the decider counts them: on that region, their chain failing.
   */
  public int seeingDown(int active, List<SeenView> views, long now) {
    return (int) onRegion(active, views).filter(v -> v.downFor(now) >= 0).count();
  }

  /** The chain as the fleet sees it: failing when the quorum of live hosts see it failing. */
  private ProbeResult chain(int active, List<SeenView> views, long now) {
    int live = views.size();
    long failing = seeingDown(active, views, now);
    if (live == 0 || failing < quorum.required(live)) {
      return UP;
    }
    return ProbeResult.failed(0, failing + " of " + live + " live hosts see the chain to "
        + order().get(active).name() + " failing (quorum " + quorum + " = "
        + quorum.required(live) + ")");
  }

  /**
   * Since when the quorum has seen {@code active}'s chain failing: the quorum-th longest
   * outage among the hosts on it; empty when fewer than the quorum see it failing now.
   */
  private OptionalLong quorumDownSince(int active, List<SeenView> views, long now) {
    long[] downFor = onRegion(active, views).mapToLong(v -> v.downFor(now))
        .filter(d -> d >= 0).sorted().toArray();
    int need = quorum.required(views.size());
    if (views.isEmpty() || downFor.length < need) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(now - downFor[downFor.length - need]);
  }

  /**
   * A region's direct health for the fleet: down when more hosts see it down than up, up
   * when at least the quorum see it up, else null (nothing known this pass).
   */
  private ProbeResult direct(List<SeenView> views, int region) {
    String name = order().get(region).name();
    long ups = views.stream().filter(v -> v.view().direct().get(name) == Health.UP).count();
    long downs = views.stream().filter(v -> v.view().direct().get(name) == Health.DOWN).count();
    if (downs > ups) {
      return ProbeResult.failed(0, downs + " of " + views.size() + " live hosts see " + name
          + " down on their direct probes");
    }
    return !views.isEmpty() && ups >= quorum.required(views.size()) ? UP : null;
  }

  private java.util.stream.Stream<SeenView> onRegion(int region, List<SeenView> views) {
    String name = order().get(region).name();
    return views.stream().filter(v -> v.view().region().equals(name));
  }
}
