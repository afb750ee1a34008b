package org.regionfailover.decide;

import java.time.Duration;
import java.util.List;
import org.regionfailover.config.Region;
import org.regionfailover.probe.ProbeResult;

/** What a step of the decide stage concluded; the loop reports each and acts on {@link FailOver}. */
public sealed interface Decision {
  /** Dispatches to the visitor's method for this decision. */
  <R> R accept(Visitor<R> v);

  /**
   * One method per decision, none with a default: a new decision does not compile until
   * every reader of decisions (events, the loop, status, metrics, replay) handles it.
   */
  interface Visitor<R> {
    R probeSeen(ProbeSeen d);

    R outageStarted(OutageStarted d);

    R outageEnded(OutageEnded d);

    R failOver(FailOver d);

    R failoverBlocked(FailoverBlocked d);

    R failBack(FailBack d);

    R repairInPlace(RepairInPlace d);

    R repairAbandoned(RepairAbandoned d);

    R regionProbeSeen(RegionProbeSeen d);

    R trafficSeen(TrafficSeen d);

    R regionProbeUnusable(RegionProbeUnusable d);

    R switchCompleted(SwitchCompleted d);

    R switchAbandoned(SwitchAbandoned d);

    R startStack(StartStack d);

    R repairStack(RepairStack d);

    R stackRepaired(StackRepaired d);

    R lateProbe(LateProbe d);

    R manualCommand(ManualCommand d);

    R manualMove(ManualMove d);

    R holdStarted(HoldStarted d);

    R holdEnded(HoldEnded d);

    R failbackWaiting(FailbackWaiting d);

    R heldBack(HeldBack d);

    R switchPending(SwitchPending d);

    R plannedMove(PlannedMove d);

    R maintenanceNotice(MaintenanceNotice d);
  }

  /** Every probe, with the region it was for. */
  record ProbeSeen(Region region, ProbeResult result) implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.probeSeen(this);
    }
  }

  /** The first failed probe of an outage. */
  record OutageStarted(Region region, String reason) implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.outageStarted(this);
    }
  }

  /**
   * The applications' calls a source reported for {@code region} ({@code traffic}); not
   * evidence ({@code ignored}) when the region is not the active one (a late report from
   * before a move) or the stack is being restarted. {@code share}: the unreachable share of
   * the window's calls, {@code volume} its calls (both of the active region's window).
   */
  record TrafficSeen(Region region, Input.Traffic traffic, boolean ignored, long volume,
      double share) implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.trafficSeen(this);
    }
  }

  /** A healthy probe ended an outage that had lasted {@code outage}. */
  record OutageEnded(Region region, Duration outage) implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.outageEnded(this);
    }
  }

  /**
   * The outage reached the threshold: move the host from {@code from} to {@code to};
   * {@code skipped} names the regions passed over by pre-flight, with why.
   */
  record FailOver(Region from, Region to, int target, Duration outage, Duration threshold,
      String reason, List<String> skipped, Origin origin) implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.failOver(this);
    }

    public FailOver {
      skipped = List.copyOf(skipped);
    }
  }

  /**
   * An automatic transition from {@code from} is refused: {@code no_healthy_target} (every
   * other region down; decided again at every probe, reported when it starts and when its
   * reason changes) or {@code budget} (too many transitions; a slot frees in
   * {@code freeIn}; once per slot), or a move (automatic or manual) to {@code to} is vetoed
   * by the pre-switch hook ({@code hook_veto}, {@code veto} says by whom and what it said;
   * null for the other reasons).
   */
  record FailoverBlocked(Region from, String reason, Duration outage, List<String> skipped,
      Duration freeIn, Region to, Blocked.HookVeto veto) implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.failoverBlocked(this);
    }

    public FailoverBlocked {
      skipped = List.copyOf(skipped);
    }

    /** Refused by a rule of the policy, not by the pre-switch hook. */
    public FailoverBlocked(Region from, String reason, Duration outage, List<String> skipped,
        Duration freeIn) {
      this(from, reason, outage, skipped, freeIn, null, null);
    }
  }

  /**
   * The move {@code request} describes, from {@code from} to {@code to}, is decided and
   * waits for the pre-switch hook (issue 28): the loop asks it, off its thread, and posts
   * its answer back ({@link Input.SwitchAnswered}). Nothing is touched meanwhile.
   */
  record SwitchPending(PendingSwitch request, Region from, Region to) implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.switchPending(this);
    }
  }

  /**
   * {@code to}, earlier in the order than {@code from}, has answered its direct probe for
   * the fail-back time: move the host back to it, with the same switch as a failover.
   */
  record FailBack(Region from, Region to, int target, Duration upFor, Origin origin)
      implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.failBack(this);
    }
  }


  /**
   * The chain has failed for the threshold but {@code region} answers its direct probe: the
   * fault is on this host. Restart the stack on the same region, env file untouched.
   */
  record RepairInPlace(Region region, Duration outage, String reason) implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.repairInPlace(this);
    }
  }

  /**
   * The stack on {@code region} could not be repaired for a whole threshold while the
   * region is down on its own direct probe: the repair is given up and the outage counts.
   */
  record RepairAbandoned(Region region, Duration took, String reason) implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.repairAbandoned(this);
    }
  }

  /** A direct probe of {@code region}'s host saw {@code result}. */
  record RegionProbeSeen(Region region, ProbeResult result) implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.regionProbeSeen(this);
    }
  }

  /** No direct probe has ever succeeded: regions count as unknown ({@code reasons}). */
  record RegionProbeUnusable(List<String> reasons) implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.regionProbeUnusable(this);
    }

    public RegionProbeUnusable {
      reasons = List.copyOf(reasons);
    }
  }

  /**
   * The act stage finished the switch ({@code startup}: the first start of the stack);
   * {@code took} is from the decision to done.
   */
  record SwitchCompleted(Region region, Duration took, boolean startup, boolean inPlace)
      implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.switchCompleted(this);
    }
  }

  /**
   * The act stage gave up the switch to {@code region} after {@code took}; the region is
   * now treated as down since the switch began, so the next failed probe moves on. The first
   * start of the stack ({@code startup}) is followed by a {@link RepairStack} instead.
   */
  record SwitchAbandoned(Region region, Duration took, String reason, boolean startup,
      boolean inPlace) implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.switchAbandoned(this);
    }
  }

  /**
   * Start the stack on {@code region} (index {@code index}) at start-up: only the programs
   * that are not running, or all of them ({@code fullRestart}) after a switch cut short.
   */
  record StartStack(Region region, int index, boolean fullRestart) implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.startStack(this);
    }
  }

  /**
   * Programs of the stack on {@code region} are not RUNNING ({@code notRunning}, or
   * supervisord did not answer: {@code unreachable}; neither: its first start failed):
   * start them again, in order.
   */
  record RepairStack(Region region, List<String> notRunning, String unreachable)
      implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.repairStack(this);
    }
  }

  /** The stack on {@code region} runs again; {@code started} were started, after {@code took}. */
  record StackRepaired(Region region, List<String> started, Duration took, int repairs)
      implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.stackRepaired(this);
    }
  }

  /**
   * A probe came {@code late} after the previous one (the process was paused); the gap is
   * not counted as outage time.
   */
  record LateProbe(Region region, Duration gap, Duration expected) implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.lateProbe(this);
    }
  }

  /**
   * The answer to an operator's {@code command}: {@code accepted} or refused, and why
   * ({@code outcome}, one sentence for the operator).
   */
  record ManualCommand(Input.Command command, boolean accepted, String outcome)
      implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.manualCommand(this);
    }
  }

  /** Move the host from {@code from} to {@code to} because an operator asked. */
  record ManualMove(Region from, Region to, int target, Operator by, boolean force,
      Origin origin) implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.manualMove(this);
    }
  }

  /**
   * An operator put the host on hold, for {@code duration} (null: until released);
   * {@code restored}: a hold kept on disk, taken up again at start-up.
   */
  record HoldStarted(Hold hold, Duration duration, boolean restored) implements Decision {
    public HoldStarted(Hold hold, Duration duration) {
      this(hold, duration, false);
    }

    @Override
    public <R> R accept(Visitor<R> v) {
      return v.holdStarted(this);
    }
  }

  /** The hold ended: released by {@code by}, or ran out ({@code by} null). */
  record HoldEnded(Hold hold, Operator by, Duration held) implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.holdEnded(this);
    }
  }

  /**
   * Manual fail-back mode: {@code to}, earlier in the order, has been up on its direct probe
   * for {@code upFor}; the host stays on {@code from} until an operator asks.
   */
  record FailbackWaiting(Region from, Region to, Duration upFor) implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.failbackWaiting(this);
    }
  }

  /**
   * An automatic {@code transition} ({@code failover}, {@code repair} or {@code failback})
   * from {@code from} is held back by an operator's {@code hold}; reported once per hold.
   */
  record HeldBack(Region from, String transition, Hold hold, Duration outage)
      implements Decision {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.heldBack(this);
    }
  }

  /**
   * A maintenance {@code window} of {@code from} starts within the lead: move the host to
   * {@code to} ahead of it, with the same switch as a failover (the pre-switch gate applies);
   * {@code skipped} names the regions passed over by pre-flight, with why.
   */
  record PlannedMove(Region from, Region to, int target,
      org.regionfailover.config.MaintenanceWindow window, List<String> skipped, Origin origin)
      implements Decision {
    public PlannedMove {
      skipped = List.copyOf(skipped);
    }

    @Override
    public <R> R accept(Visitor<R> v) {
      return v.plannedMove(this);
    }
  }

  /**
   * What became of a maintenance {@code window} of {@code region}: {@code kind}, with a
   * sentence of {@code detail} (when it starts, why a planned move cannot be made, ...).
   */
  record MaintenanceNotice(Kind kind, Region region,
      org.regionfailover.config.MaintenanceWindow window, String detail) implements Decision {
    /** The report, one event each. */
    public enum Kind {
      /** A new window is known (maintenance_scheduled). */
      SCHEDULED,
      /** A window was removed before its end (maintenance_cancelled). */
      CANCELLED,
      /** The host must leave the region but no region can take it (maintenance_move_blocked). */
      MOVE_BLOCKED,
      /** The window began (maintenance_started). */
      STARTED,
      /** The window ended (maintenance_ended). */
      ENDED
    }

    @Override
    public <R> R accept(Visitor<R> v) {
      return v.maintenanceNotice(this);
    }
  }
}
