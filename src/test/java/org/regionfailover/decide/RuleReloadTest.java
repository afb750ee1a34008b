package org.regionfailover.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.regionfailover.Regions.EU;
import static org.regionfailover.Regions.EU_NAM;
import static org.regionfailover.Regions.NAM;
import static org.regionfailover.Regions.ORDER;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.probe.ProbeResult;

/**
 * Issue 26: new rules taken over by a running host ({@link FailoverPolicy#adopt}) keep what
 * was seen: the outage clock, the budget's transitions, a hold, the fail-back timer, the
 * latency band; and a change of interval does not look like a pause. Times are in
 * milliseconds from an origin just before the wrap of a long.
 */
class RuleReloadTest {
  private static final long MS = 1_000_000L;
  private static final long ORIGIN = Long.MAX_VALUE - 3_000 * MS;
  private static final ProbeResult OK = ProbeResult.healthy(12, 200);
  private static final ProbeResult FAIL = ProbeResult.failed(5000, "timeout");

  /** A host deciding with {@code policy}, whose rules can be reloaded between two steps. */
  private static final class Host {
    private FailoverPolicy policy;
    private PolicyState state;
    private final List<Decision> decisions = new ArrayList<>();

    Host(FailoverPolicy policy, int active) {
      this.policy = policy;
      this.state = policy.initial(active, ORIGIN);
    }

    List<Decision> at(long ms, Input input) {
      Transition t = policy.decide(state, input, ORIGIN + ms * MS);
      state = t.next();
      decisions.addAll(t.decisions());
      return t.decisions();
    }

    List<Decision> chain(long ms, ProbeResult result) {
      return at(ms, new Input.Probed(state.active(), result));
    }

    void settle(long ms) {
      if (state.phase() instanceof State.Switching s) {
        at(ms, new Input.SwitchDone(s.target()));
      }
    }

    void reload(FailoverPolicy next) {
      state = next.adopt(state, policy);
      policy = next;
    }

    <D extends Decision> List<D> all(Class<D> kind) {
      return decisions.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
  }

  private static FailoverPolicy continuous(long intervalMs, long thresholdMs) {
    return new FailoverPolicy(ORDER, Duration.ofMillis(intervalMs), Duration.ofMillis(thresholdMs));
  }

  private static PolicySettings rules(int maxTransitions, FailbackMode failback) {
    return new PolicySettings(Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(1),
        1.0, failback, Duration.ofSeconds(10), maxTransitions, Duration.ofHours(1), null, null);
  }

  /** The first failover's probe time, in ms from the origin; -1 when none. */
  private static long failoverAt(Host host, long fromMs, long toMs) {
    for (long t = fromMs; t <= toMs; t += 500) {
      if (host.chain(t, FAIL).stream().anyMatch(Decision.FailOver.class::isInstance)) {
        return t;
      }
    }
    return -1;
  }

  @Test
  void thresholdRaisedTwoSecondsIntoAnOutage_failsOverWhenTheOutageReachesTheNewThreshold() {
    Host host = new Host(continuous(500, 3_000), 0);
    for (long t = 0; t <= 2_000; t += 500) { // the outage begins at 0
      host.chain(t, FAIL);
    }

    host.reload(continuous(500, 4_000));

    assertThat(failoverAt(host, 2_500, 10_000)).as("4 s after the outage began, not 4 s after"
        + " the reload (6 s), and not at the old threshold (3 s)").isEqualTo(4_000);
    assertThat(host.all(Decision.FailOver.class)).singleElement().satisfies(f -> {
      assertThat(f.outage()).isEqualTo(Duration.ofSeconds(4));
      assertThat(f.threshold()).isEqualTo(Duration.ofSeconds(4));
    });
    assertThat(host.all(Decision.OutageStarted.class)).hasSize(1);
  }

  @Test
  void thresholdLoweredBelowTheRunningOutagesAge_failsOverAtTheNextProbe() {
    Host host = new Host(continuous(500, 3_000), 0);
    for (long t = 0; t <= 2_000; t += 500) {
      host.chain(t, FAIL);
    }

    host.reload(continuous(500, 1_000));

    assertThat(host.all(Decision.FailOver.class)).as("a reload decides nothing by itself").isEmpty();
    assertThat(failoverAt(host, 2_500, 10_000)).isEqualTo(2_500);
    assertThat(host.all(Decision.FailOver.class).get(0).outage()).isEqualTo(Duration.ofMillis(2_500));
  }

  @Test
  void budgetLowered_keepsTheTransitionsAlreadyMade() {
    Host host = new Host(new FailoverPolicy(ORDER, rules(3, FailbackMode.OFF)), 0);
    assertThat(failoverAt(host, 0, 10_000)).isEqualTo(3_000);
    host.settle(3_100);

    host.reload(new FailoverPolicy(ORDER, rules(2, FailbackMode.OFF)));
    assertThat(host.policy.budget(host.state, ORIGIN + 3_200 * MS).used()).isEqualTo(1);
    assertThat(host.policy.budget(host.state, ORIGIN + 3_200 * MS).max()).isEqualTo(2);

    assertThat(failoverAt(host, 4_000, 20_000)).as("one more is allowed").isEqualTo(7_000);
    host.settle(7_100);
    assertThat(failoverAt(host, 8_000, 30_000)).as("not two").isEqualTo(-1);
    assertThat(host.all(Decision.FailoverBlocked.class)).singleElement()
        .satisfies(b -> assertThat(b.reason()).isEqualTo("budget"));
  }

  @Test
  void budgetChanged_dropsTheOldBudgetsRefusalSoTheNewOneSpeaksForItself() {
    Host host = new Host(new FailoverPolicy(ORDER, rules(1, FailbackMode.OFF)), 0);
    failoverAt(host, 0, 10_000);
    host.settle(3_100);
    failoverAt(host, 4_000, 8_000);
    assertThat(host.state.blocked()).isInstanceOf(Blocked.ByBudget.class);

    host.reload(new FailoverPolicy(ORDER, rules(1, FailbackMode.OFF)));
    assertThat(host.state.blocked()).as("the same budget: its refusal stands, reported once")
        .isInstanceOf(Blocked.ByBudget.class);
    host.reload(new FailoverPolicy(ORDER, rules(5, FailbackMode.OFF)));
    assertThat(host.state.blocked()).isNull();
    assertThat(failoverAt(host, 8_500, 9_000)).as("the outage goes on: the new budget allows it")
        .isEqualTo(8_500);
  }

  @Test
  void hold_survivesAReload() {
    Host host = new Host(continuous(500, 3_000), 0);
    host.at(0, new Input.HoldCommand(null, "maintenance", new Operator("anna", "127.0.0.1")));

    host.reload(continuous(500, 1_000));

    assertThat(host.state.held()).isTrue();
    assertThat(host.state.hold().by().user()).isEqualTo("anna");
    assertThat(failoverAt(host, 500, 5_000)).isEqualTo(-1);
    assertThat(host.all(Decision.HeldBack.class)).singleElement();
  }

  @Test
  void failbackTimer_countsFromWhenTheRegionCameBack_notFromTheReload() {
    Host host = new Host(new FailoverPolicy(EU_NAM, rules(0, FailbackMode.AUTO)), 0);
    host.at(0, new Input.RegionProbed(0, FAIL));
    host.at(0, new Input.RegionProbed(1, OK));
    assertThat(failoverAt(host, 0, 10_000)).isEqualTo(3_000);
    host.settle(3_100);
    for (long t = 4_000; t <= 8_000; t += 1_000) { // EU back from 4 s
      host.at(t, new Input.RegionProbed(0, OK));
      host.at(t, new Input.RegionProbed(1, OK));
    }

    // Direct probes every 2 s instead of every second; fail-back after 10 s as before.
    host.reload(new FailoverPolicy(EU_NAM, new PolicySettings(Duration.ofMillis(500),
        Duration.ofSeconds(3), Duration.ofSeconds(2), 1.0, FailbackMode.AUTO,
        Duration.ofSeconds(10), 0, Duration.ofHours(1), null, null)));
    assertThat(host.state.regions().last(0).upSince()).isEqualTo(ORIGIN + 4_000 * MS);
    assertThat(host.policy.failback(host.state, ORIGIN + 8_000 * MS).in())
        .isEqualTo(Duration.ofSeconds(6));

    long failback = -1;
    for (long t = 10_000; t <= 30_000 && failback < 0; t += 2_000) {
      if (host.at(t, new Input.RegionProbed(0, OK)).stream()
          .anyMatch(Decision.FailBack.class::isInstance)) {
        failback = t;
      }
    }
    assertThat(failback).as("10 s after EU came back at 4 s").isEqualTo(14_000);
    assertThat(host.all(Decision.FailBack.class)).singleElement()
        .satisfies(f -> assertThat(f.to()).isEqualTo(EU));
  }

  @Test
  void intervalShortened_theProbeDueNextIsOnTime_andAPauseStillShiftsTheOutageByTheTimeNotWatched() {
    Host host = new Host(continuous(10_000, 240_000), 0);
    host.chain(0, FAIL);
    host.chain(10_000, FAIL); // the outage runs since 0; the next probe is due at 20 s

    host.reload(continuous(1_000, 240_000));
    assertThat(host.state.phase().lastProbeAt()).as("the last probe as the new cadence sees it")
        .isEqualTo(ORIGIN + 19_000 * MS);

    host.chain(20_000, FAIL); // the old cadence's slot, before the runner is re-planned
    host.chain(21_000, FAIL);
    assertThat(host.all(Decision.LateProbe.class)).isEmpty();

    host.chain(81_000, FAIL); // the process stopped for a minute
    assertThat(host.all(Decision.LateProbe.class)).singleElement()
        .satisfies(l -> assertThat(l.gap()).isEqualTo(Duration.ofSeconds(60)));
    assertThat(((State.Down) host.state.phase()).since()).as("59 s not watched")
        .isEqualTo(ORIGIN + 59_000 * MS);
  }

  @Test
  void intervalLengthened_theOldCadencesNextProbeAndTheNewCadenceAreOnTime() {
    Host host = new Host(continuous(500, 3_000), 0);
    host.chain(0, FAIL);

    host.reload(continuous(2_000, 6_000));
    host.chain(500, FAIL);
    host.chain(2_500, FAIL);
    host.chain(4_500, FAIL);

    assertThat(host.all(Decision.LateProbe.class)).isEmpty();
    assertThat(((State.Down) host.state.phase()).since()).isEqualTo(ORIGIN);
    assertThat(failoverAt(host, 6_500, 20_000)).isEqualTo(6_500);
  }

  @Test
  void regionIntervalShortened_directProbesGoStaleSooner_butWhatWasSeenIsKept() {
    PolicySettings every30s = new PolicySettings(Duration.ofSeconds(10), Duration.ofMinutes(4),
        Duration.ofSeconds(30), 1.0, FailbackMode.OFF, Duration.ofSeconds(30), 0, Duration.ZERO,
        null, null);
    PolicySettings every5s = new PolicySettings(Duration.ofSeconds(10), Duration.ofMinutes(4),
        Duration.ofSeconds(10), 1.0, FailbackMode.OFF, Duration.ofSeconds(30), 0, Duration.ZERO,
        null, null);
    Host host = new Host(new FailoverPolicy(ORDER, every30s), 0);
    host.at(0, new Input.RegionProbed(1, OK));
    host.at(30_000, new Input.RegionProbed(1, OK));

    host.reload(new FailoverPolicy(ORDER, every5s));

    RegionView view = host.state.regions();
    assertThat(view.staleAfterNanos()).isEqualTo(20_000 * MS);
    assertThat(view.health(1, ORIGIN + 45_000 * MS)).isEqualTo(RegionView.Health.UP);
    assertThat(view.health(1, ORIGIN + 55_000 * MS)).as("older than twice the new interval")
        .isEqualTo(RegionView.Health.UNKNOWN);
    assertThat(view.last(1).upSince()).isEqualTo(ORIGIN);
  }

  @Test
  void latencyBandTurnedOff_nothingIsSlowAnyMore_andAManualFailbackNoLongerWaits() {
    PolicySettings banded = new PolicySettings(Duration.ofMillis(500), Duration.ofSeconds(3),
        Duration.ofSeconds(1), 1.0, FailbackMode.MANUAL, Duration.ofSeconds(1), 0, Duration.ZERO,
        Duration.ofMillis(100), Duration.ofMillis(50));
    FailoverPolicy policy = new FailoverPolicy(EU_NAM, banded);
    PolicyState slowAndWaiting = policy.initial(1, ORIGIN).chain(ProbeWindow.EMPTY, true)
        .failbackWaiting(0);

    PolicyState kept = new FailoverPolicy(EU_NAM, banded).adopt(slowAndWaiting, policy);
    PolicyState off = new FailoverPolicy(EU_NAM, rules(0, FailbackMode.AUTO))
        .adopt(slowAndWaiting, policy);

    assertThat(kept.slow()).isTrue();
    assertThat(kept.failbackWaiting()).isZero();
    assertThat(off.slow()).isFalse();
    assertThat(off.failbackWaiting()).isEqualTo(-1);
  }

  @Test
  void adopt_anotherOrder_isRefused() {
    FailoverPolicy euFirst = continuous(500, 3_000);
    FailoverPolicy namFirst = new FailoverPolicy(List.of(NAM, EU), Duration.ofMillis(500),
        Duration.ofSeconds(3));
    assertThatThrownBy(() -> namFirst.adopt(euFirst.initial(0, ORIGIN), euFirst))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("order");
  }
}
