package org.regionfailover.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
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
 *   <li>Acting is instant: a switch or a repair is acknowledged at the time it is decided
 *       (a {@code SwitchDone} at the same instant), so the next probe already counts on the
 *       new region. The real restart takes seconds during which probes do not count; at a
 *       10 s interval that is one probe at most.</li>
 *   <li>A chain probe shows only the region the recording was on. While the simulated host
 *       is on that region it is used as is. Once the simulation has moved elsewhere, each
 *       recorded chain probe stands for a probe of the simulated region, whose result is
 *       that region's latest direct probe ({@code region_probe}): the only evidence the
 *       recording holds of it. With no direct probe of it yet, the tick is not evidence.</li>
 *   <li>The stack is taken to be up throughout: the recording does not say otherwise.</li>
 *   <li>Recorded times that step back (a wall-clock correction) are held at the last time,
 *       since the core expects a monotonic clock.</li>
 * </ul>
 *
 * <p>Each decision goes to the sink as the loop's event, except the echo of each probe
 * ({@code probe}, {@code region_probe}), which is the input itself.
 */
public final class Replay {
  /** Receives each event with the recorded time it was decided at (epoch nanoseconds). */
  @FunctionalInterface
  public interface Sink {
    void accept(Event event, long at) throws java.io.IOException;
  }

  /** Direct probes read before the first chain probe, until the start region is known. */
  private record Early(int region, ProbeResult result, long at) {}

  private static final int MAX_EARLY = 10_000;

  private final FailoverPolicy policy;
  private final boolean directProbes;
  private final Sink sink;
  private final ProbeResult[] lastDirect;
  /** A stand-in probe per region, reused while its last direct probe is the same. */
  private final Input.Probed[] standIn;
  private final List<Early> early = new ArrayList<>();
  private final ReplayStats stats;
  private PolicyState state;
  private long now = Long.MIN_VALUE;

  /**
   * {@code directProbes}: whether the settings replayed probe the regions directly (with
   * {@code --region-probe none} they do not; direct probes then only stand in for chain
   * evidence).
   */
  public Replay(FailoverPolicy policy, boolean directProbes, Sink sink) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.directProbes = directProbes;
    this.sink = Objects.requireNonNull(sink, "sink");
    int n = policy.order().size();
    this.lastDirect = new ProbeResult[n];
    this.standIn = new Input.Probed[n];
    this.stats = new ReplayStats(policy.order());
  }

  /** Replays every probe of {@code readers}, merged in time order; returns what it did. */
  public ReplayStats run(List<ProbeLogReader> readers) throws java.io.IOException {
    ProbeLogMerge merge = new ProbeLogMerge(readers);
    for (RecordedInput p = merge.next(); p != null; p = merge.next()) {
      accept(p);
    }
    return finish();
  }

  /** One recorded probe. */
  public void accept(RecordedInput p) throws java.io.IOException {
    if (now != Long.MIN_VALUE && p.at - now < 0) {
      stats.clockBack++;
    } else {
      now = p.at;
    }
    if (state == null) {
      if (p.direct && early.size() < MAX_EARLY) {
        early.add(new Early(p.region, p.result, now));
        return;
      }
      // The simulation starts where the recording did: on the region of its first chain
      // probe (or the first of the order, for a log with no chain probe near its start).
      begin(p.direct ? 0 : p.region);
    }
    if (p.direct) {
      direct(p.region, p.result, now);
    } else {
      chain(p.region, p.result);
    }
  }

  private void begin(int region) throws java.io.IOException {
    state = policy.initial(region, now);
    stats.start(region, early.isEmpty() ? now : early.get(0).at());
    for (Early e : early) {
      direct(e.region(), e.result(), e.at());
    }
    early.clear();
  }

  private void direct(int region, ProbeResult result, long at) throws java.io.IOException {
    if (lastDirect[region] != result) {
      lastDirect[region] = result;
      standIn[region] = null;
    }
    if (directProbes) {
      step(new Input.RegionProbed(region, result), at);
    }
  }

  private void chain(int recorded, ProbeResult result) throws java.io.IOException {
    int simulated = state.active();
    if (recorded == simulated) {
      stats.chainUsed++;
      step(new Input.Probed(simulated, result), now);
      return;
    }
    ProbeResult direct = lastDirect[simulated];
    if (direct == null) {
      stats.noEvidence++;
      return;
    }
    if (standIn[simulated] == null) {
      standIn[simulated] = new Input.Probed(simulated, direct);
    }
    stats.stoodIn++;
    step(standIn[simulated], now);
  }

  private void step(Input input, long at) throws java.io.IOException {
    Transition t = policy.decide(state, input, at);
    report(t, at);
    if (t.next().phase() instanceof State.Switching s) {
      // Acting is instant in a replay: the switch (or repair) is done when decided.
      report(policy.decide(t.next(), new Input.SwitchDone(s.target()), at), at);
    }
  }

  private void report(Transition t, long at) throws java.io.IOException {
    state = t.next();
    List<Decision> decisions = t.decisions();
    for (int i = 0; i < decisions.size(); i++) {
      Decision d = decisions.get(i);
      if (d instanceof Decision.ProbeSeen || d instanceof Decision.RegionProbeSeen) {
        continue;
      }
      Event e = DecisionEvents.of(d);
      stats.event(e, at);
      sink.accept(e, at);
    }
    stats.phase(state.phase(), at);
  }

  /** Ends the replay: what it did, for the summary. */
  public ReplayStats finish() throws java.io.IOException {
    if (state == null && !early.isEmpty()) {
      begin(0);
    }
    stats.end(state == null ? null : state.phase(), now);
    return stats;
  }
}
