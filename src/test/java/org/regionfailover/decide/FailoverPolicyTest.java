package org.regionfailover.decide;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Decision.FailOver;
import org.regionfailover.decide.Decision.LateProbe;
import org.regionfailover.decide.Decision.OutageEnded;
import org.regionfailover.decide.Decision.OutageStarted;
import org.regionfailover.probe.ProbeResult;

/** The failover rule in zero wall time: every time is a number handed in. */
class FailoverPolicyTest {
  private static final long S = 1_000_000_000L;
  private static final List<Region> ORDER = List.of(
      new Region("EU", "cloud.eu.ext.com"),
      new Region("NAM", "cloud.nam.ext.com"),
      new Region("APAC", "cloud.apac.ext.com"));
  private static final ProbeResult DOWN = ProbeResult.failed(5000, "timeout");
  private static final ProbeResult UP = ProbeResult.healthy(12, 200);

  private final FailoverPolicy policy =
      new FailoverPolicy(ORDER, Duration.ofSeconds(10), Duration.ofMinutes(4));

  /** Drives the policy like the loop does: one probe per call, collecting decisions. */
  private final class Run {
    final long origin;
    PolicyState state;
    final List<Decision> decisions = new ArrayList<>();

    Run(long origin, int active) {
      this.origin = origin;
      this.state = policy.initial(active, origin);
    }

    /** A chain probe of the active region. */
    List<Decision> at(long seconds, ProbeResult result) {
      return at(seconds, new Input.Probed(state.active(), result));
    }

    List<Decision> at(long seconds, Input input) {
      Transition t = policy.decide(state, input, origin + seconds * S);
      state = t.next();
      decisions.addAll(t.decisions());
      return t.decisions();
    }

    List<FailOver> failovers() {
      return decisions.stream().filter(FailOver.class::isInstance).map(FailOver.class::cast).toList();
    }
  }

  @ParameterizedTest(name = "origin {0}")
  @ValueSource(longs = {0L, Long.MAX_VALUE - 100 * S, Long.MIN_VALUE + 5 * S, -7 * S})
  void decide_failingFor4Minutes_failsOverAtFirstProbeAtOrAfterThreshold(long origin) {
    Run run = new Run(origin, 0);
    for (long t = 0; t <= 230; t += 10) {
      run.at(t, DOWN);
    }
    assertThat(run.failovers()).as("no failover before 4:00 of failure").isEmpty();
    assertThat(run.state.phase()).isInstanceOf(State.Down.class);

    List<Decision> at240 = run.at(240, DOWN);

    assertThat(at240).filteredOn(FailOver.class::isInstance).singleElement()
        .satisfies(d -> {
          FailOver f = (FailOver) d;
          assertThat(f.from().name()).isEqualTo("EU");
          assertThat(f.to().name()).isEqualTo("NAM");
          assertThat(f.outage()).isEqualTo(Duration.ofMinutes(4));
        });
    assertThat(run.state.phase()).isEqualTo(new State.Switching(0, 1, origin + 240 * S, origin + 240 * S, false));
  }

  @Test
  void decide_outageStartsLaterThanFirstProbe_thresholdCountsFromFirstFailure() {
    Run run = new Run(0, 0);
    run.at(0, UP);
    run.at(10, UP);
    run.at(20, DOWN); // outage starts here
    for (long t = 30; t < 260; t += 10) {
      run.at(t, DOWN);
    }
    assertThat(run.failovers()).isEmpty();
    run.at(260, DOWN);
    assertThat(run.failovers()).hasSize(1);
  }

  @Test
  void decide_healthyProbeAt3m59_resetsTheOutageClock() {
    Run run = new Run(0, 0);
    for (long t = 0; t <= 238; t += 10) {
      run.at(t, DOWN);
    }
    List<Decision> healthy = run.at(239, UP);
    assertThat(healthy).filteredOn(OutageEnded.class::isInstance).singleElement()
        .satisfies(d -> assertThat(((OutageEnded) d).outage()).isEqualTo(Duration.ofSeconds(239)));

    // A fresh outage from 249 s must last its own 4 minutes: 249 + 240 = 489.
    for (long t = 249; t < 489; t += 10) {
      run.at(t, DOWN);
    }
    assertThat(run.failovers()).isEmpty();
    run.at(489, DOWN);
    assertThat(run.failovers()).hasSize(1);
  }

  @Test
  void decide_firstFailure_reportsOutageStartedOnce() {
    Run run = new Run(0, 0);
    run.at(0, DOWN);
    run.at(10, DOWN);
    run.at(20, DOWN);
    assertThat(run.decisions).filteredOn(OutageStarted.class::isInstance).hasSize(1);
  }

  @Test
  void decide_lastRegionFails_wrapsAroundToTheFirst() {
    Run run = new Run(0, 2);
    for (long t = 0; t <= 240; t += 10) {
      run.at(t, DOWN);
    }
    assertThat(run.failovers()).singleElement().satisfies(f -> {
      assertThat(f.from().name()).isEqualTo("APAC");
      assertThat(f.to().name()).isEqualTo("EU");
      assertThat(f.target()).isZero();
    });
  }

  @Test
  void decide_probeAfterAPause_isNotEvidenceOfAnOutage() {
    Run run = new Run(0, 0);
    run.at(0, DOWN);
    run.at(10, DOWN);
    run.at(20, DOWN);
    // The process is stopped for ten minutes; the next probe runs at 620 s and fails.
    List<Decision> afterPause = run.at(620, DOWN);
    assertThat(afterPause).anyMatch(LateProbe.class::isInstance);
    assertThat(run.failovers()).as("20 s of real evidence is not 4 minutes").isEmpty();

    // Watched time so far: 0..20 and one interval across the pause, so 30 s. The threshold
    // is reached 210 s of on-time probes later, at 830 s, not before.
    for (long t = 630; t < 830; t += 10) {
      run.at(t, DOWN);
    }
    assertThat(run.failovers()).isEmpty();
    run.at(830, DOWN);
    assertThat(run.failovers()).singleElement()
        .satisfies(f -> assertThat(f.outage()).isEqualTo(Duration.ofMinutes(4)));
  }

  @Test
  void decide_lateProbeThatWouldCrossTheThreshold_doesNotFailOverOnIt() {
    Run run = new Run(0, 0);
    for (long t = 0; t <= 230; t += 10) {
      run.at(t, DOWN);
    }
    run.at(290, DOWN); // 60 s late: counted as one interval only, so the outage is 240 s...
    assertThat(run.failovers()).as("...but a late probe is never the one that acts").isEmpty();
    run.at(300, DOWN);
    assertThat(run.failovers()).hasSize(1);
  }

  @Test
  void decide_slightlyLateProbe_isStillEvidence() {
    Run run = new Run(0, 0);
    for (long t = 0; t <= 230; t += 10) {
      run.at(t, DOWN);
    }
    List<Decision> d = run.at(244, DOWN); // 14 s gap: jitter, below 1.5 intervals
    assertThat(d).noneMatch(LateProbe.class::isInstance).anyMatch(FailOver.class::isInstance);
  }

  @Test
  void decide_whileSwitching_failedProbesAreNotEvidence() {
    Run run = new Run(0, 0);
    for (long t = 0; t <= 240; t += 10) {
      run.at(t, DOWN);
    }
    for (long t = 250; t <= 900; t += 10) {
      run.at(t, DOWN);
    }
    assertThat(run.failovers()).as("one failover while the first is in flight").hasSize(1);
    assertThat(run.state.phase()).isInstanceOf(State.Switching.class);
  }

  @Test
  void decide_switchDone_newRegionStartsWithACleanClock() {
    Run run = new Run(0, 0);
    for (long t = 0; t <= 240; t += 10) {
      run.at(t, DOWN);
    }
    Transition done = policy.decide(run.state, new Input.SwitchDone(1), 245 * S);
    assertThat(done.next().phase()).isEqualTo(new State.Watching(1, 240 * S));
    assertThat(done.decisions()).singleElement().isInstanceOf(Decision.SwitchCompleted.class);
    run.state = done.next();

    for (long t = 250; t < 490; t += 10) {
      run.at(t, DOWN);
    }
    assertThat(run.failovers()).hasSize(1);
    run.at(490, DOWN);
    assertThat(run.failovers()).hasSize(2).last()
        .satisfies(f -> assertThat(f.to().name()).isEqualTo("APAC"));
  }

  @Test
  void decide_switchAbandoned_targetCountsAsDownSinceTheSwitchAndTheNextFailureMovesOn() {
    Run run = new Run(0, 0);
    for (long t = 0; t <= 240; t += 10) {
      run.at(t, DOWN);
    }
    for (long t = 250; t <= 480; t += 10) {
      run.at(t, DOWN); // the restart onto NAM keeps failing; probes are not evidence meanwhile
    }
    Transition gaveUp = policy.decide(run.state, new Input.SwitchAttemptFailed(1, "restart: SPAWN_ERROR"), 481 * S);
    assertThat(gaveUp.decisions()).singleElement().isInstanceOf(Decision.SwitchAbandoned.class);
    assertThat(gaveUp.next().phase()).isInstanceOf(State.Down.class);
    assertThat(gaveUp.next().active()).isEqualTo(1);
    run.state = gaveUp.next();

    run.at(490, DOWN);

    assertThat(run.failovers()).hasSize(2).last().satisfies(f -> {
      assertThat(f.from().name()).isEqualTo("NAM");
      assertThat(f.to().name()).isEqualTo("APAC");
    });
  }

  @Test
  void decide_switchAbandonedButTargetAnswers_outageEndsAndTheHostStays() {
    Run run = new Run(0, 0);
    for (long t = 0; t <= 240; t += 10) {
      run.at(t, DOWN);
    }
    run.state = policy.decide(run.state, new Input.SwitchAttemptFailed(1, "restart: FATAL"), 480 * S).next();

    List<Decision> d = run.at(490, UP);

    assertThat(d).anyMatch(OutageEnded.class::isInstance);
    assertThat(run.state.phase()).isEqualTo(new State.Watching(1, 490 * S));
  }

  /** An acknowledgement for a switch no longer in progress (given up meanwhile) is stale. */
  @Test
  void decide_switchDoneWhenNotSwitchingThere_isStaleAndChangesNothing() {
    PolicyState watching = policy.initial(0, 0);
    Transition t = policy.decide(watching, new Input.SwitchDone(1), 0);
    assertThat(t.next()).isSameAs(watching);
    assertThat(t.decisions()).isEmpty();
  }

  /** Giving up is decided here: an attempt that fails before one threshold changes nothing. */
  @Test
  void decide_switchAttemptFailedBeforeTheThreshold_keepsSwitching() {
    Run run = new Run(0, 0);
    for (long t = 0; t <= 240; t += 10) {
      run.at(t, DOWN);
    }
    PolicyState switching = run.state;
    Transition t = policy.decide(switching, new Input.SwitchAttemptFailed(1, "restart: FATAL"),
        479 * S);
    assertThat(t.next()).isSameAs(switching);
    assertThat(t.decisions()).isEmpty();
  }

  /** A probe that began before the host moved says nothing about the new region. */
  @Test
  void decide_probeOfARegionNoLongerActive_isStale() {
    PolicyState watching = policy.initial(1, 0);
    Transition t = policy.decide(watching, new Input.Probed(0, DOWN), 10 * S);
    assertThat(t.next()).isSameAs(watching);
    assertThat(t.decisions()).isEmpty();
  }

  /** Start-up: the decision to restart everything after a switch cut short is made here. */
  @Test
  void start_afterAnInterruptedSwitch_restartsTheWholeStack() {
    Transition normal = policy.start(1, 0, false);
    Transition resumed = policy.start(1, 0, true);
    assertThat(normal.next().phase()).isInstanceOf(State.Switching.class);
    assertThat(normal.decisions()).singleElement().isEqualTo(
        new Decision.StartStack(ORDER.get(1), 1, false));
    assertThat(resumed.decisions()).singleElement().isEqualTo(
        new Decision.StartStack(ORDER.get(1), 1, true));
  }
}
