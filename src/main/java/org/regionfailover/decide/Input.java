package org.regionfailover.decide;

import java.util.List;
import java.util.Objects;
import org.regionfailover.probe.ProbeResult;

/**
 * Everything the decide stage reacts to. The loop posts each to its one thread, which hands
 * it to the policy with the time it happened; {@link #accept} makes the policy's dispatch
 * exhaustive: a new input does not compile until every visitor handles it.
 */
public sealed interface Input {
  /** Dispatches to the visitor method for this input. */
  <R> R accept(Visitor<R> visitor);

  /** One method per input. */
  interface Visitor<R> {
    R probed(Probed p);

    R regionProbed(RegionProbed p);

    R traffic(Traffic t);

    R switchDone(SwitchDone d);

    R switchAttemptFailed(SwitchAttemptFailed f);

    R stackChecked(StackChecked c);

    R stackRepaired(StackRepaired r);

    R move(MoveCommand m);

    R hold(HoldCommand h);

    R release(ReleaseCommand r);

    R fleetMode(FleetMode f);

    R fleetMove(FleetMove m);

    R switchAnswered(SwitchAnswered a);

    R maintenance(MaintenanceSchedule m);
  }

  /** An operator's command; the policy answers each with one {@link Decision.ManualCommand}. */
  sealed interface Command extends Input {
    /** Who asked. */
    Operator by();

    /** The command's name as the operator typed it, for reports ({@code failback}, ...). */
    String name();
  }

  /**
   * Move the host to {@code target} now ({@code name}: {@code failback} for the preferred
   * region, else {@code region}); pre-flight applies unless {@code force}. Not limited by
   * the failover budget, but counted in it.
   */
  record MoveCommand(int target, boolean force, String name, Operator by) implements Command {
    public MoveCommand {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(by, "by");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.move(this);
    }
  }

  /**
   * The fleet's decision at fencing {@code epoch}: be on {@code target}, by a {@code kind}
   * of move, because {@code reason}; {@code by} is the operator who asked, or the decider.
   * Pre-flight and the budget were the decider's, on the fleet's views: the host carries it
   * out as the same transition it would make alone (a failover is a failover).
   */
  record FleetMove(int target, Kind kind, int epoch, String reason, Operator by)
      implements Input {
    /** What the fleet decided: the same three moves a host makes. */
    public enum Kind { FAILOVER, FAILBACK, MANUAL }

    public FleetMove {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(by, "by");
      if (epoch < 0) {
        throw new IllegalArgumentException("a fleet decision has an epoch: " + epoch);
      }
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.fleetMove(this);
    }
  }

  /**
   * No automatic transition for {@code duration} (null: until released), because of
   * {@code reason}; probes, reports and stack repairs go on. {@code from} (wall clock, null:
   * now): when the hold begins; a hold whose start has passed lasts what is left of it.
   * {@code restored}: read back at start-up (kept on disk), not an operator's new command.
   */
  record HoldCommand(java.time.Duration duration, String reason, Operator by,
      java.time.Instant from, boolean restored) implements Command {
    public HoldCommand {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(by, "by");
      if (duration != null && (duration.isZero() || duration.isNegative())) {
        throw new IllegalArgumentException("a hold lasts a positive time: " + duration);
      }
    }

    /** A hold from now. */
    public HoldCommand(java.time.Duration duration, String reason, Operator by) {
      this(duration, reason, by, null, false);
    }

    @Override
    public String name() {
      return "hold";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.hold(this);
    }
  }

  /** End the hold. */
  record ReleaseCommand(Operator by) implements Command {
    public ReleaseCommand {
      Objects.requireNonNull(by, "by");
    }

    @Override
    public String name() {
      return "release";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.release(this);
    }
  }

  /**
   * Whether failovers and fail-backs are the fleet's to decide ({@code fleet}), or this
   * host's: coordination fell back to local decisions after losing ZooKeeper, or returned.
   */
  record FleetMode(boolean fleet) implements Input {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.fleetMode(this);
    }
  }

  /**
   * A probe of region {@code region} (index in the order) through the local chain saw
   * {@code result}. It carries its region because it may arrive after the host moved: a
   * probe of a region that is no longer active is stale.
   */
  record Probed(int region, ProbeResult result) implements Input {
    public Probed {
      Objects.requireNonNull(result, "result");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.probed(this);
    }
  }

  /**
   * A direct probe of region {@code region}'s own host (not through the local chain), which
   * began at the time it is posted with, saw {@code result}.
   */
  record RegionProbed(int region, ProbeResult result) implements Input {
    public RegionProbed {
      Objects.requireNonNull(result, "result");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.regionProbed(this);
    }
  }

  /**
   * What the applications' calls through region {@code region} came to since the source's
   * last report (issue 27): {@code ok} went through, {@code unreachable} found the region
   * unreachable (refused, reset, timed out, TLS, 502/503/504), by class in {@code byClass};
   * {@code source}: {@code endpoint} or {@code log:PROGRAM}. One per interval per source.
   */
  record Traffic(int region, long ok, long unreachable, java.util.Map<String, Long> byClass,
      String source) implements Input {
    public Traffic {
      if (ok < 0 || unreachable < 0) {
        throw new IllegalArgumentException("negative counts: " + ok + ", " + unreachable);
      }
      byClass = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(byClass));
      Objects.requireNonNull(source, "source");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.traffic(this);
    }
  }

  /** The act stage finished moving the host to {@code target} (env file and restart). */
  record SwitchDone(int target) implements Input {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.switchDone(this);
    }
  }

  /**
   * One attempt of the act stage to move the host to {@code target} failed; it retries with
   * backoff until told to stop. Whether to give up is decided here, not in the act stage.
   */
  record SwitchAttemptFailed(int target, String reason) implements Input {
    public SwitchAttemptFailed {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.switchAttemptFailed(this);
    }
  }

  /**
   * The stack watch read the stack's programs: {@code notRunning} lists those not RUNNING
   * with their state (e.g. {@code app:stunnel STOPPED}); {@code unreachable} is set when
   * supervisord did not answer (it may be restarting, which stops the stack).
   */
  record StackChecked(List<String> notRunning, String unreachable) implements Input {
    public StackChecked {
      notRunning = List.copyOf(notRunning);
    }

    /** Whether every program is RUNNING and supervisord answered. */
    public boolean up() {
      return notRunning.isEmpty() && unreachable == null;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.stackChecked(this);
    }
  }

  /**
   * The act stage started the programs in {@code started} again; the stack is up. This was
   * its {@code repairs}-th repair since start-up.
   */
  record StackRepaired(List<String> started, int repairs) implements Input {
    public StackRepaired {
      started = List.copyOf(started);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.stackRepaired(this);
    }
  }

  /**
   * The pre-switch hook's answer to the move asked for as {@code request}
   * ({@link PendingSwitch#id}): {@code allowed}, or vetoed by {@code hook} with the last line
   * it printed ({@code output}), or by its timeout ({@code timedOut}). An answer to a request
   * given up meanwhile (a hold, the region back, another move) is stale and changes nothing.
   */
  record SwitchAnswered(long request, boolean allowed, String hook, String output,
      boolean timedOut) implements Input {
    public SwitchAnswered {
      Objects.requireNonNull(hook, "hook");
      Objects.requireNonNull(output, "output");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.switchAnswered(this);
    }
  }

  /**
   * The maintenance windows as they now stand (read at start-up, from a reload or changed
   * through the API), with how long before one a host on its region moves ({@code lead}):
   * they replace those known before.
   */
  record MaintenanceSchedule(List<org.regionfailover.config.MaintenanceWindow> windows,
      java.time.Duration lead) implements Input {
    public MaintenanceSchedule {
      windows = List.copyOf(windows);
      Objects.requireNonNull(lead, "lead");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.maintenance(this);
    }
  }
}
