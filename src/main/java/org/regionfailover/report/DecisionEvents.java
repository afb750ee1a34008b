package org.regionfailover.report;

import java.time.Duration;
import org.regionfailover.config.DurationParser;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Decision.FailOver;
import org.regionfailover.decide.Decision.LateProbe;
import org.regionfailover.decide.Decision.OutageEnded;
import org.regionfailover.decide.Decision.OutageStarted;
import org.regionfailover.decide.Decision.ProbeSeen;
import org.regionfailover.decide.Decision.SwitchCompleted;
import org.regionfailover.decide.Origin;

/**
 * Turns each decision into the one event that reports it, with the inputs as fields. A
 * visitor: a new decision has no event until one is written here, and does not compile
 * before.
 */
public final class DecisionEvents implements Decision.Visitor<Event> {
  private static final DecisionEvents INSTANCE = new DecisionEvents();

  private DecisionEvents() {}

  /** The event for a decision. */
  public static Event of(Decision decision) {
    return decision.accept(INSTANCE);
  }

  /** A fleet's move says so, and at which fencing epoch; a host's says nothing more. */
  static Event.Builder origin(Event.Builder b, Origin origin) {
    return origin.fleet() ? b.with("fleet", true).with("epoch", origin.epoch()) : b;
  }

  @Override
  public Event probeSeen(ProbeSeen p) {
    var r = p.result();
    Event.Builder b = r.healthy()
        ? Event.info("probe", "probe " + p.region().name() + " ok in " + r.latencyMs() + " ms")
        : Event.warn("probe", "probe " + p.region().name() + " failed: " + r.reason());
    return b.with("region", p.region().name()).with("host", p.region().host())
        .with("healthy", r.healthy()).with("latency_ms", r.latencyMs())
        .with("status", r.status().isPresent() ? r.status().getAsInt() : null)
        .with("reason", r.healthy() ? null : r.reason()).build();
  }

  @Override
  public Event outageStarted(OutageStarted o) {
    return Event.warn("outage_started", "outage of " + o.region().name() + " ("
            + o.region().host() + ") started: " + o.reason())
        .with("region", o.region().name()).with("host", o.region().host())
        .with("reason", o.reason()).build();
  }

  @Override
  public Event outageEnded(OutageEnded o) {
    return Event.info("outage_ended", "outage of " + o.region().name() + " ended after "
            + seconds(o.outage()) + " s")
        .with("region", o.region().name()).with("host", o.region().host())
        .with("outage_s", seconds(o.outage())).build();
  }

  @Override
  public Event failOver(FailOver f) {
    // The Datadog monitor matches this sentence; keep its wording.
    return origin(Event.error("failover", "Waited for " + DurationParser.human(f.threshold())
            + ". Application restarting due to failure with Ext Cloud: " + f.from().host())
        .with("region", f.from().name()).with("host", f.from().host())
        .with("from_region", f.from().name()).with("to_region", f.to().name())
        .with("to_host", f.to().host()).with("outage_s", seconds(f.outage()))
        .with("reason", f.reason()).with("skipped", f.skipped()), f.origin()).build();
  }

  @Override
  public Event failoverBlocked(Decision.FailoverBlocked b) {
    if (b.veto() != null) {
      return hookVeto(b);
    }
    if (b.freeIn() != null) {
      return Event.error("failover_blocked", "a transition from " + b.from().name() + " is"
              + " refused: the failover budget is used up; a slot frees in "
              + b.freeIn().toSeconds() + " s, and the decision is made again then")
          .with("region", b.from().name()).with("host", b.from().host())
          .with("reason", b.reason()).with("free_in_s", b.freeIn().toSeconds())
          .with("outage_s", seconds(b.outage())).build();
    }
    return Event.error("failover_blocked", "outage of " + b.from().name() + " reached the"
            + " threshold after " + seconds(b.outage()) + " s but no other region may be used ("
            + b.reason() + ": " + String.join("; ", b.skipped()) + "); staying, decided again"
            + " at the next probe")
        .with("region", b.from().name()).with("host", b.from().host())
        .with("reason", b.reason()).with("skipped", b.skipped())
        .with("outage_s", seconds(b.outage())).build();
  }

  /**
   * The pre-switch hook said no (issue 28): who, what it printed last, and what happens
   * next; the operator's question is "why did it not move".
   */
  private static Event hookVeto(Decision.FailoverBlocked b) {
    var v = b.veto();
    String why = v.timedOut() ? "ran past its timeout" : "exited non-zero"
        + (v.output().isEmpty() ? " without output" : ": " + v.output());
    String next = v.kind() == org.regionfailover.decide.PendingSwitch.Kind.MANUAL
        ? "ask again to move" : "decided and asked again at the next probe";
    return Event.error("failover_blocked", "the pre-switch hook " + v.hook() + " vetoed the "
            + v.kind().label() + " from " + b.from().name() + " to " + b.to().name() + " ("
            + why + "); staying on " + b.from().name() + ", env file untouched, " + next)
        .with("region", b.from().name()).with("host", b.from().host())
        .with("reason", b.reason()).with("transition", v.kind().label())
        .with("to_region", b.to().name()).with("hook", v.hook()).with("output", v.output())
        .with("timed_out", v.timedOut()).with("outage_s", seconds(b.outage())).build();
  }

  /** A move decided that waits for the pre-switch hook: why the host has not moved yet. */
  @Override
  public Event switchPending(Decision.SwitchPending p) {
    String kind = p.request().kind().label();
    return Event.info("switch_pending", kind + " from " + p.from().name() + " to "
            + p.to().name() + " decided; asking the pre-switch hook before touching anything")
        .with("region", p.from().name()).with("host", p.from().host())
        .with("from_region", p.from().name()).with("to_region", p.to().name())
        .with("transition", kind).with("request", p.request().id()).build();
  }

  @Override
  public Event failBack(Decision.FailBack f) {
    return origin(Event.warn("failback", "failing back from " + f.from().name() + " to "
            + f.to().name() + " (" + f.to().host() + "), up on its direct probe for "
            + seconds(f.upFor()) + " s")
        .with("region", f.from().name()).with("host", f.from().host())
        .with("from_region", f.from().name()).with("to_region", f.to().name())
        .with("to_host", f.to().host()).with("up_s", seconds(f.upFor())), f.origin()).build();
  }

  @Override
  public Event plannedMove(Decision.PlannedMove m) {
    return MaintenanceEvents.move(m);
  }

  @Override
  public Event maintenanceNotice(Decision.MaintenanceNotice n) {
    return MaintenanceEvents.notice(n);
  }

  @Override
  public Event repairInPlace(Decision.RepairInPlace r) {
    return Event.warn("repair", "the chain to " + r.region().name() + " failed for "
            + seconds(r.outage()) + " s but " + r.region().name() + " answers its direct"
            + " probe: the fault is on this host; restarting the stack on " + r.region().name()
            + ", env file untouched")
        .with("region", r.region().name()).with("host", r.region().host())
        .with("outage_s", seconds(r.outage())).with("reason", r.reason()).build();
  }

  @Override
  public Event repairAbandoned(Decision.RepairAbandoned a) {
    return Event.error("stack_repair_abandoned", "the stack on " + a.region().name()
            + " could not be repaired for " + a.took().toSeconds() + " s (" + a.reason()
            + ") and " + a.region().name() + " is down on its direct probe: giving the"
            + " repair up; the outage counts from its start")
        .with("region", a.region().name()).with("host", a.region().host())
        .with("reason", a.reason()).with("duration_ms", a.took().toMillis()).build();
  }

  @Override
  public Event regionProbeSeen(Decision.RegionProbeSeen p) {
    var r = p.result();
    Event.Builder b = r.healthy()
        ? Event.info("region_probe", "direct probe of " + p.region().name() + " ok in "
            + r.latencyMs() + " ms")
        : Event.warn("region_probe", "direct probe of " + p.region().name() + " failed: "
            + r.reason());
    return b.with("region", p.region().name()).with("host", p.region().host())
        .with("healthy", r.healthy()).with("latency_ms", r.latencyMs())
        .with("reason", r.healthy() ? null : r.reason()).build();
  }

  /**
   * One per report: the calls of this report by class, and the active region's window
   * (volume and unreachable share) the rules judge; {@code ignored} for a report about a
   * region the host is not on, or while its stack restarts.
   */
  @Override
  public Event trafficSeen(Decision.TrafficSeen t) {
    Input.Traffic r = t.traffic();
    String message = t.ignored() ? "traffic report for " + t.region().name() + " ignored ("
        + r.ok() + " ok, " + r.unreachable() + " unreachable): the host is not on it, or its"
        + " stack is restarting"
        : String.format(java.util.Locale.ROOT, "traffic through %s: %d ok, %d unreachable;"
            + " window %d calls, %.2f unreachable", t.region().name(), r.ok(), r.unreachable(),
            t.volume(), t.share());
    return Event.info("traffic", message).with("region", t.region().name())
        .with("source", r.source()).with("ok", r.ok()).with("unreachable", r.unreachable())
        .with("errors", r.byClass()).with("ignored", t.ignored() ? true : null)
        .with("window_volume", t.volume())
        .with("window_unreachable_share", Math.round(t.share() * 1000) / 1000.0).build();
  }

  @Override
  public Event regionProbeUnusable(Decision.RegionProbeUnusable u) {
    return Event.warn("region_probe_unusable", "no direct probe of any region has succeeded"
            + " (" + String.join("; ", u.reasons()) + "): every region counts as unknown,"
            + " so pre-flight and repair in place are off until one does")
        .with("reasons", u.reasons()).build();
  }

  @Override
  public Event switchCompleted(SwitchCompleted s) {
    if (s.inPlace()) {
      return Event.info("repair_completed", "stack restarted on " + s.region().name()
              + " in " + s.took().toMillis() + " ms; watching it with a clean outage clock")
          .with("region", s.region().name()).with("host", s.region().host())
          .with("duration_ms", s.took().toMillis()).build();
    }
    if (s.startup()) {
      return Event.info("stack_started", "stack running on " + s.region().name() + " ("
              + s.region().host() + "), ready in " + s.took().toMillis() + " ms")
          .with("region", s.region().name()).with("host", s.region().host())
          .with("duration_ms", s.took().toMillis()).build();
    }
    return Event.info("failover_completed", "now on " + s.region().name() + " ("
            + s.region().host() + "), switched in " + s.took().toMillis() + " ms")
        .with("region", s.region().name()).with("host", s.region().host())
        .with("duration_ms", s.took().toMillis()).build();
  }

  @Override
  public Event switchAbandoned(Decision.SwitchAbandoned a) {
    String what = a.startup() ? "starting the stack on "
        : a.inPlace() ? "restarting the stack on " : "failover to ";
    return Event.error(a.startup() ? "stack_start_failed"
            : a.inPlace() ? "repair_failed" : "failover_failed", what
            + a.region().name() + " (" + a.region().host() + ") failed for "
            + a.took().toSeconds() + " s: " + a.reason() + (a.startup()
                ? "; repairing it in place, probes count once it runs"
                : "; treating " + a.region().name() + " as down, the next failed probe"
                    + " moves on"))
        .with("region", a.region().name()).with("host", a.region().host())
        .with("reason", a.reason()).with("duration_ms", a.took().toMillis()).build();
  }

  @Override
  public Event startStack(Decision.StartStack s) {
    return Event.info("stack_starting", "starting the stack on " + s.region().name() + " ("
            + s.region().host() + "): " + (s.fullRestart()
                ? "all of it, a switch was cut short" : "the programs that are not running")
            + "; probes count once it runs")
        .with("region", s.region().name()).with("host", s.region().host())
        .with("full_restart", s.fullRestart()).build();
  }

  @Override
  public Event repairStack(Decision.RepairStack r) {
    String why = r.unreachable() != null ? "supervisord did not answer (" + r.unreachable() + ")"
        : r.notRunning().isEmpty() ? "its first start failed"
        : "not RUNNING: " + String.join(", ", r.notRunning());
    return Event.warn("stack_down", "stack on " + r.region().name() + " is down (" + why
            + "): starting it again; probes are not evidence until it runs")
        .with("region", r.region().name()).with("programs", r.notRunning())
        .with("reason", why).build();
  }

  @Override
  public Event stackRepaired(Decision.StackRepaired r) {
    return Event.warn("stack_repaired", "stack on " + r.region().name() + " runs again"
            + (r.started().isEmpty() ? "; nothing needed starting"
                : "; started " + String.join(", ", r.started()))
            + " after " + r.took().toMillis() + " ms (repair " + r.repairs()
            + " since start-up)")
        .with("region", r.region().name()).with("programs", r.started())
        .with("duration_ms", r.took().toMillis()).with("repairs", r.repairs()).build();
  }

  @Override
  public Event lateProbe(LateProbe l) {
    return Event.warn("probe_late", "probe came " + l.gap().toMillis() + " ms after the"
            + " previous one (expected " + l.expected().toMillis() + " ms): the process was"
            + " paused; the gap does not count as outage")
        .with("region", l.region().name()).with("gap_ms", l.gap().toMillis())
        .with("expected_ms", l.expected().toMillis()).build();
  }

  @Override
  public Event manualCommand(Decision.ManualCommand c) {
    return ManualEvents.command(c);
  }

  @Override
  public Event manualMove(Decision.ManualMove m) {
    return ManualEvents.move(m);
  }

  @Override
  public Event holdStarted(Decision.HoldStarted h) {
    return ManualEvents.holdStarted(h);
  }

  @Override
  public Event holdEnded(Decision.HoldEnded h) {
    return ManualEvents.holdEnded(h);
  }

  @Override
  public Event failbackWaiting(Decision.FailbackWaiting w) {
    return ManualEvents.failbackWaiting(w);
  }

  @Override
  public Event heldBack(Decision.HeldBack h) {
    return ManualEvents.heldBack(h);
  }

  static double seconds(Duration d) {
    return Math.round(d.toMillis() / 100.0) / 10.0;
  }
}
