package org.regionfailover.coordinate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Operator;
import org.regionfailover.report.DecisionEvents;
import org.regionfailover.report.Event;

/**
 * What the decider does with the decisions of one fleet step, made by the host's own rules:
 * a move to write (a failover, a fail-back or an operator's move), the answer to a command,
 * whether the fleet's state (history, hold) must be written, whether the hosts repair in
 * place (they do it themselves), and the events to log. The decider's events are the
 * host's, named {@code fleet_...}: a decider's {@code failover} must not page (each host
 * that applies it logs its own).
 */
final class FleetPlan implements Decision.Visitor<Void> {
  /** A move of the fleet to {@code target}, written as {@code kind} with {@code reason}. */
  record Move(int target, String kind, String reason, Optional<Operator> by) {}

  private Move move;
  private Decision.ManualCommand answer;
  private boolean persist;
  private boolean repair;
  private final List<Event> events = new ArrayList<>();

  static FleetPlan of(List<Decision> decisions) {
    FleetPlan plan = new FleetPlan();
    decisions.forEach(d -> d.accept(plan));
    return plan;
  }

  Optional<Move> move() {
    return Optional.ofNullable(move);
  }

  Optional<Decision.ManualCommand> answer() {
    return Optional.ofNullable(answer);
  }

  /** Whether the fleet's history or hold changed. */
  boolean persist() {
    return persist || move != null;
  }

  /** Whether the hosts repair their stacks in place (the fleet stays). */
  boolean repair() {
    return repair;
  }

  List<Event> events() {
    return events;
  }

  private Void logged(Decision d) {
    Event e = DecisionEvents.of(d);
    Map<String, Object> fields = new LinkedHashMap<>(e.fields());
    events.add(new Event("fleet_" + e.name(), e.level(), "fleet: " + e.message(), fields));
    return null;
  }

  @Override
  public Void failOver(Decision.FailOver d) {
    move = new Move(d.target(), "failover", d.reason() + (d.skipped().isEmpty() ? ""
        : "; passed over " + String.join(", ", d.skipped())), Optional.empty());
    return null;
  }

  @Override
  public Void failBack(Decision.FailBack d) {
    move = new Move(d.target(), "failback", d.to().name() + " has been up on the fleet's"
        + " direct probes for " + d.upFor().toSeconds() + " s", Optional.empty());
    return null;
  }

  @Override
  public Void manualMove(Decision.ManualMove d) {
    move = new Move(d.target(), "operator", d.by().user() + " from " + d.by().address()
        + " asked" + (d.force() ? ", forced" : ""), Optional.of(d.by()));
    return null;
  }

  @Override
  public Void plannedMove(Decision.PlannedMove d) {
    move = new Move(d.target(), "maintenance", "maintenance of " + d.from().name() + " from "
        + d.window().start() + " (" + d.window().reason() + ")", Optional.empty());
    return null;
  }

  @Override public Void maintenanceNotice(Decision.MaintenanceNotice d) { return logged(d); }

  @Override
  public Void manualCommand(Decision.ManualCommand d) {
    answer = d;
    return null;
  }

  @Override
  public Void repairInPlace(Decision.RepairInPlace d) {
    repair = true;
    persist = true; // counted in the fleet's budget, as a host's repair is in its own
    return logged(d);
  }

  @Override
  public Void holdStarted(Decision.HoldStarted d) {
    persist = true;
    return logged(d);
  }

  @Override
  public Void holdEnded(Decision.HoldEnded d) {
    persist = true;
    return logged(d);
  }

  @Override public Void outageStarted(Decision.OutageStarted d) { return logged(d); }

  @Override public Void outageEnded(Decision.OutageEnded d) { return logged(d); }

  @Override public Void failoverBlocked(Decision.FailoverBlocked d) { return logged(d); }

  @Override public Void heldBack(Decision.HeldBack d) { return logged(d); }

  @Override public Void failbackWaiting(Decision.FailbackWaiting d) { return logged(d); }

  @Override public Void lateProbe(Decision.LateProbe d) { return logged(d); }

  @Override public Void regionProbeUnusable(Decision.RegionProbeUnusable d) {
    return logged(d);
  }

  // The fleet's passes, not worth a line each; and what only a host's stack does.
  @Override public Void probeSeen(Decision.ProbeSeen d) { return null; }

  @Override public Void regionProbeSeen(Decision.RegionProbeSeen d) { return null; }

  @Override public Void trafficSeen(Decision.TrafficSeen d) { return null; }

  @Override public Void repairAbandoned(Decision.RepairAbandoned d) { return null; }

  @Override public Void switchCompleted(Decision.SwitchCompleted d) { return null; }

  @Override public Void switchAbandoned(Decision.SwitchAbandoned d) { return null; }

  @Override public Void startStack(Decision.StartStack d) { return null; }

  @Override public Void repairStack(Decision.RepairStack d) { return null; }

  @Override public Void stackRepaired(Decision.StackRepaired d) { return null; }

  /** The decider's policy is not gated: a host's pre-switch hook asks for the host's moves. */
  @Override public Void switchPending(Decision.SwitchPending d) { return null; }
}
