package org.regionfailover.decide.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.RegionView.Health;
import org.regionfailover.decide.Transition;

/**
 * Drives the fleet's rules as the decider does, in zero wall time: a pass every 10 s over
 * the given views, and a move is "written" (done) at once. Keeps every decision.
 */
final class FleetSteps {
  static final long S = 1_000_000_000L;

  final FleetPolicy policy;
  final List<Decision> decisions = new ArrayList<>();
  PolicyState state;

  FleetSteps(FleetPolicy policy, PolicyState state) {
    this.policy = policy;
    this.state = state;
  }

  /** A host on {@code region}, down for {@code downS} seconds at write time 0 (-1: up). */
  static SeenView host(String id, String region, long downS, Health eu, Health nam,
      Health apac) {
    return new SeenView(new HostView(id, region, downS < 0 ? "watching" : "down",
        downS < 0 ? -1 : downS * 1000, Map.of("EU", eu, "NAM", nam, "APAC", apac), 0), 0);
  }

  /** {@code n} hosts on {@code region}, chain failing since 0 when {@code down}. */
  static List<SeenView> hosts(int n, String region, boolean down, Health eu, Health nam) {
    List<SeenView> views = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      views.add(host(region + i, region, down ? 0 : -1, eu, nam, Health.UP));
    }
    return views;
  }

  /** Passes every 10 s from {@code from} to {@code to} s; returns the moves made. */
  List<Decision> run(long from, long to, List<SeenView> views) {
    List<Decision> moves = new ArrayList<>();
    for (long t = from; t <= to; t += 10) {
      moves.addAll(step(policy.decide(state, views, t * S), t));
    }
    return moves;
  }

  /** An operator's command at {@code t} s; returns the moves made. */
  List<Decision> command(long t, Input.Command c) {
    return step(policy.command(state, c, t * S), t);
  }

  /** The answers to commands so far. */
  List<Decision.ManualCommand> answers() {
    return all(Decision.ManualCommand.class);
  }

  /** The decisions of a type so far. */
  <D extends Decision> List<D> all(Class<D> type) {
    return all(decisions, type);
  }

  private List<Decision> step(Transition t, long at) {
    decisions.addAll(t.decisions());
    state = t.next();
    List<Decision> moves = new ArrayList<>();
    moves.addAll(all(t.decisions(), Decision.FailOver.class));
    moves.addAll(all(t.decisions(), Decision.FailBack.class));
    moves.addAll(all(t.decisions(), Decision.ManualMove.class));
    if (!moves.isEmpty() || !all(t.decisions(), Decision.RepairInPlace.class).isEmpty()) {
      // Written at once, as the decider does.
      Transition done = policy.done(state, state.phase() instanceof
          org.regionfailover.decide.State.Switching s ? s.target() : state.active(), at * S);
      decisions.addAll(done.decisions());
      state = done.next();
    }
    return moves;
  }

  private static <D extends Decision> List<D> all(List<Decision> ds, Class<D> type) {
    return ds.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
