package org.regionfailover.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Operator;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.State;
import org.regionfailover.decide.Transition;
import org.regionfailover.probe.ProbeResult;
import org.regionfailover.report.DecisionEvents;
import org.regionfailover.report.Event;

/**
 * Runs recorded probes through the decide core, on the recorded clock, as a host that
 * followed its own decisions would have seen them.
 *
 * <ul>
 *   <li>Each input is taken at the time the loop decided on it ({@code decided_at}), so the
 *       same probes give the same decisions at the same times; a log written before the
 *       loop recorded that is replayed on the times its lines were written.</li>
 *   <li>A switch (or a repair) that the recording made too, decided on the same input,
 *       ends when the recording's did ({@code failover_completed}, or its
 *       {@code failover_failed}): probes meanwhile count as the loop counted them. A switch
 *       the recording did not make is done the instant it is decided (a {@code SwitchDone}
 *       at the same time), since the log cannot say how long it would have taken. The
 *       stack's start is the recording's ({@code stack_starting}, {@code stack_started}).</li>
 *   <li>A chain probe shows only the region the recording was on. While the simulated host
 *       is on that region it is used as is. Once the simulation has moved elsewhere, each
 *       recorded chain probe stands for a probe of the simulated region, whose result is
 *       that region's latest direct probe ({@code region_probe}): the only evidence the
 *       recording holds of it. With no direct probe of it yet, the tick is not evidence.</li>
 *   <li>The stack is taken to be up throughout: the recording does not say otherwise.</li>
 *   <li>Line times that step back (a wall-clock correction) are held at the last time,
 *       since the core expects a monotonic clock; the loop's own {@code decided_at} times
 *       are taken as they are, as the loop took them.</li>
 *   <li>Each {@code traffic} line is the applications' counts the loop took at its
 *       {@code decided_at}: taken again as that input, by the rules of the log.</li>
 *   <li>A reload that changed the rules ({@code reload_applied}) gives its new rules to the
 *       {@link Reloads}; they are taken as the loop took them: from the reload's line on,
 *       after a switch or a repair in progress, the state carried over
 *       ({@link FailoverPolicy#adopt}).</li>
 * </ul>
 *
 * <p>Each decision goes to the sink as the loop's event, except the echo of each input
 * ({@code probe}, {@code region_probe}, {@code traffic}), which is the input itself.
 */
public final class Replay {
  /** Receives each event with the recorded time it was decided at (epoch nanoseconds). */
  @FunctionalInterface
  public interface Sink {
    void accept(Event event, long at) throws java.io.IOException;
  }

  /** The rules a replay runs with: its policy, and whether the regions are probed directly. */
  public record Rules(FailoverPolicy policy, boolean directProbes) {
    public Rules {
      Objects.requireNonNull(policy, "policy");
    }
  }

  /** What a recorded reload makes of the rules. */
  @FunctionalInterface
  public interface Reloads {
    /** Reloads leave the rules as they are. */
    Reloads IGNORED = (changes, at) -> null;

    /**
     * The rules after the reload at {@code at} changed {@code changes} (variable to new
     * value, null: its default) of the set replayed; null: the rules stay as they are.
     */
    Rules reload(java.util.Map<String, String> changes, long at);
  }

  /** Direct probes read before the first chain probe, until the start region is known. */
  private record Early(int region, ProbeResult result, long at) {}

  private static final int MAX_EARLY = 10_000;

  private FailoverPolicy policy;
  private boolean directProbes;
  private Reloads reloads = Reloads.IGNORED;
  /** Rules reloaded while a switch or a repair ran: taken when it ends. */
  private Rules reloaded;
  private final Sink sink;
  private final ProbeResult[] lastDirect;
  /** A stand-in probe per region, reused while its last direct probe is the same. */
  private final Input.Probed[] standIn;
  private final List<Early> early = new ArrayList<>();
  private final ReplayStats stats;
  private final boolean fleet;
  private PolicyState state;
  private long now = Long.MIN_VALUE;
  /** The target of the switch in progress, decided at {@link #switchAt}; -1: none. */
  private int switching = -1;
  private long switchAt;
  /** Whether the recording made that switch too: its outcome is then read from the log. */
  private boolean following;

  /**
   * {@code directProbes}: whether the settings replayed probe the regions directly (with
   * {@code --region-probe none} they do not; direct probes then only stand in for chain
   * evidence).
   */
  public Replay(FailoverPolicy policy, boolean directProbes, Sink sink) {
    this(policy, directProbes, false, sink);
  }

  /**
   * As above; {@code fleet}: the recording was a fleet member, whose failovers and
   * fail-backs were the fleet's to decide (they come in as its fleet moves).
   */
  public Replay(FailoverPolicy policy, boolean directProbes, boolean fleet, Sink sink) {
    this.fleet = fleet;
    this.policy = Objects.requireNonNull(policy, "policy");
    this.directProbes = directProbes;
    this.sink = Objects.requireNonNull(sink, "sink");
    int n = policy.order().size();
    this.lastDirect = new ProbeResult[n];
    this.standIn = new Input.Probed[n];
    this.stats = new ReplayStats(policy.order());
  }

  /** What recorded reloads do to the rules; by default, nothing. */
  public Replay reloads(Reloads reloads) {
    this.reloads = Objects.requireNonNull(reloads, "reloads");
    return this;
  }

  /** Replays every line of {@code readers}, merged in time order; returns what it did. */
  public ReplayStats run(List<ProbeLogReader> readers) throws java.io.IOException {
    ProbeLogMerge merge = new ProbeLogMerge(readers);
    for (RecordedInput p = merge.next(); p != null; p = merge.next()) {
      accept(p);
    }
    return finish();
  }

  /** One recorded line. */
  public void accept(RecordedInput r) throws java.io.IOException {
    long at = time(r);
    if (switching >= 0 && !following) {
      if (r.kind == RecordedInput.Kind.SWITCH_BEGUN && r.region == switching) {
        // The loop logs the switch right after the input it decided it on: the recording
        // made this one too, and the log will say when it ended.
        following = true;
        return;
      }
      step(new Input.SwitchDone(switching), switchAt);
    } else if (following && r.kind == RecordedInput.Kind.STACK_STARTING) {
      // The recording was restarted before its switch ended: no outcome will follow.
      step(new Input.SwitchDone(switching), at);
    }
    if (r.kind == RecordedInput.Kind.RELOAD) {
      reload(r, at);
      return;
    }
    if (state == null) {
      if (r.kind == RecordedInput.Kind.DIRECT && early.size() < MAX_EARLY) {
        early.add(new Early(r.region, r.result, at));
        return;
      }
      if (r.kind == RecordedInput.Kind.STACK_STARTING) {
        begin(r.region, policy.start(r.region, at, r.fullRestart), at);
        return;
      }
      if (r.kind != RecordedInput.Kind.CHAIN && r.kind != RecordedInput.Kind.DIRECT) {
        return; // a switch of a recording not begun yet: nothing to follow
      }
      // The simulation starts where the recording did: on the region of its first chain
      // probe (or the first of the order, for a log with no chain probe near its start).
      int region = r.kind == RecordedInput.Kind.DIRECT ? 0 : r.region;
      begin(region, new Transition(policy.initial(region, at), List.of()), at);
    }
    // What each kind of recorded line is to the policy: the one place to extend.
    Input input = switch (r.kind) {
      case CHAIN -> chain(r.region, r.result);
      case DIRECT -> direct(r.region, r.result);
      case STACK_STARTING, SWITCH_BEGUN -> null; // the recording's; only followed (above)
      case SWITCH_DONE -> followed(r) ? new Input.SwitchDone(r.region) : null;
      case SWITCH_ABANDONED -> followed(r) ? new Input.SwitchAttemptFailed(r.region,
          r.reason == null ? "failed" : r.reason) : null;
      case FLEET_MOVE -> fleetMove(r);
      case RELOAD -> null; // taken above, before the first probe too
      // The counts the loop took at that time; of a region the simulation is not on (the
      // recording's, once the simulation moved), the policy counts and ignores them.
      case TRAFFIC -> r.traffic();
    };
    if (input != null) {
      step(input, at);
      // The fleet's move is the recording's own switch: its outcome is in the log.
      if (r.kind == RecordedInput.Kind.FLEET_MOVE && switching == r.region) {
        following = true;
      }
    }
  }

  private void reload(RecordedInput r, long at) {
    Rules next = reloads.reload(r.changes, at);
    if (next != null) {
      reloaded = next;
      takeReloaded();
    }
  }

  /**
   * Takes the rules reloaded, unless a switch or a repair runs: as the loop does
   * (FailoverLoop.applyReload), its retries and abandonment follow the rules it began under.
   */
  private void takeReloaded() {
    if (reloaded == null) {
      return;
    }
    if (state != null) {
      State phase = state.phase();
      if (phase instanceof State.Switching || phase instanceof State.Repairing) {
        return;
      }
      state = reloaded.policy().adopt(state, policy);
    }
    policy = reloaded.policy();
    directProbes = reloaded.directProbes();
    reloaded = null;
  }

  /** A fleet's move as the member posted it to the loop. */
  private static Input fleetMove(RecordedInput r) {
    Input.FleetMove.Kind kind = switch (r.move) {
      case "failover" -> Input.FleetMove.Kind.FAILOVER;
      case "failback" -> Input.FleetMove.Kind.FAILBACK;
      default -> Input.FleetMove.Kind.MANUAL;
    };
    return new Input.FleetMove(r.region, kind, r.epoch, r.reason == null ? "" : r.reason,
        new Operator(r.user == null ? "fleet" : r.user, ""));
  }

  /** The time to take {@code r} at, and the latest time seen. */
  private long time(RecordedInput r) {
    long at = r.at;
    if (!r.decided && now != Long.MIN_VALUE && at - now < 0) {
      stats.clockBack++;
      at = now;
    }
    if (now == Long.MIN_VALUE || at - now > 0) {
      now = at;
    }
    return at;
  }

  /** Whether {@code r} is the outcome of the recording's switch that this replay follows. */
  private boolean followed(RecordedInput r) {
    return following && r.region == switching;
  }

  private void begin(int region, Transition first, long at) throws java.io.IOException {
    state = first.next();
    stats.start(region, early.isEmpty() ? at : early.get(0).at());
    report(first, at);
    state = state.fleet(fleet);
    switching = first.next().phase() instanceof State.Switching ? region : -1;
    following = switching >= 0; // the stack's start: the recording's own
    for (Early e : early) {
      lastDirect(e.region(), e.result());
      if (directProbes) {
        step(new Input.RegionProbed(e.region(), e.result()), e.at());
      }
    }
    early.clear();
  }

  /** A direct probe: the region's latest, and an input when the settings probe directly. */
  private Input direct(int region, ProbeResult result) {
    lastDirect(region, result);
    return directProbes ? new Input.RegionProbed(region, result) : null;
  }

  private void lastDirect(int region, ProbeResult result) {
    if (lastDirect[region] != result) {
      lastDirect[region] = result;
      standIn[region] = null;
    }
  }

  private Input chain(int recorded, ProbeResult result) {
    int simulated = state.active();
    if (recorded == simulated) {
      stats.chainUsed++;
      return new Input.Probed(simulated, result);
    }
    ProbeResult direct = lastDirect[simulated];
    if (direct == null) {
      stats.noEvidence++;
      return null;
    }
    if (standIn[simulated] == null) {
      standIn[simulated] = new Input.Probed(simulated, direct);
    }
    stats.stoodIn++;
    return standIn[simulated];
  }

  private void step(Input input, long at) throws java.io.IOException {
    Transition t = policy.decide(state, input, at);
    report(t, at);
    if (!(t.next().phase() instanceof State.Switching s)) {
      switching = -1;
      following = false;
    } else if (switching < 0) {
      // Done at once unless the next line shows the recording made it too (accept).
      switching = s.target();
      switchAt = at;
      following = false;
    }
    takeReloaded();
  }

  private void report(Transition t, long at) throws java.io.IOException {
    state = t.next();
    List<Decision> decisions = t.decisions();
    for (int i = 0; i < decisions.size(); i++) {
      Decision d = decisions.get(i);
      if (d instanceof Decision.ProbeSeen || d instanceof Decision.RegionProbeSeen
          || d instanceof Decision.TrafficSeen) {
        continue;
      }
      Event e = DecisionEvents.of(d).decidedAt(at); // as the loop stamps it
      stats.event(e, at);
      sink.accept(e, at);
    }
    stats.phase(state.phase(), at);
  }

  /** Ends the replay: what it did, for the summary. */
  public ReplayStats finish() throws java.io.IOException {
    if (switching >= 0 && !following) {
      step(new Input.SwitchDone(switching), switchAt);
    }
    if (state == null && !early.isEmpty()) {
      begin(0, new Transition(policy.initial(0, early.get(0).at()), List.of()),
          early.get(0).at());
    }
    stats.end(state == null ? null : state.phase(), now);
    return stats;
  }
}
