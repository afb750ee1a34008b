package org.regionfailover.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.DecideHarness.FAIL;
import static org.regionfailover.DecideHarness.OK;
import static org.regionfailover.DecideHarness.S;
import static org.regionfailover.Regions.ORDER;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.regionfailover.DecideHarness;
import org.regionfailover.decide.Decision.FailOver;
import org.regionfailover.decide.Decision.LateProbe;
import org.regionfailover.decide.Decision.OutageEnded;
import org.regionfailover.decide.Decision.OutageStarted;

/** The failover rule in zero wall time: every time is a number handed in. */
class FailoverPolicyTest {
  private final FailoverPolicy policy =
      new FailoverPolicy(ORDER, Duration.ofSeconds(10), Duration.ofMinutes(4));

  @ParameterizedTest(name = "origin {0}")
  @ValueSource(longs = {0L, Long.MAX_VALUE - 100 * S, Long.MIN_VALUE + 5 * S, -7 * S})
  void decide_failingFor4Minutes_failsOverAtFirstProbeAtOrAfterThreshold(long origin) {
    DecideHarness run = new DecideHarness(policy, 0, origin);
    for (long t = 0; t <= 230; t += 10) {
      run.chain(t, FAIL);
    }
    assertThat(run.all(FailOver.class)).as("no failover before 4:00 of failure").isEmpty();
    assertThat(run.state().phase()).isInstanceOf(State.Down.class);

    List<Decision> at240 = run.chain(240, FAIL);

    assertThat(at240).filteredOn(FailOver.class::isInstance).singleElement()
        .satisfies(d -> {
          FailOver f = (FailOver) d;
          assertThat(f.from().name()).isEqualTo("EU");
          assertThat(f.to().name()).isEqualTo("NAM");
          assertThat(f.outage()).isEqualTo(Duration.ofMinutes(4));
        });
    assertThat(run.state().phase()).isEqualTo(new State.Switching(0, 1, origin + 240 * S, origin + 240 * S, false));
  }

  @Test
  void decide_outageStartsLaterThanFirstProbe_thresholdCountsFromFirstFailure() {
    DecideHarness run = new DecideHarness(policy, 0, 0);
    run.chain(0, OK);
    run.chain(10, OK);
    run.chain(20, FAIL); // outage starts here
    for (long t = 30; t < 260; t += 10) {
      run.chain(t, FAIL);
    }
    assertThat(run.all(FailOver.class)).isEmpty();
    run.chain(260, FAIL);
    assertThat(run.all(FailOver.class)).hasSize(1);
  }

  @Test
  void decide_healthyProbeAt3m59_resetsTheOutageClock() {
    DecideHarness run = new DecideHarness(policy, 0, 0);
    for (long t = 0; t <= 238; t += 10) {
      run.chain(t, FAIL);
    }
    List<Decision> healthy = run.chain(239, OK);
    assertThat(healthy).filteredOn(OutageEnded.class::isInstance).singleElement()
        .satisfies(d -> assertThat(((OutageEnded) d).outage()).isEqualTo(Duration.ofSeconds(239)));

    // A fresh outage from 249 s must last its own 4 minutes: 249 + 240 = 489.
    for (long t = 249; t < 489; t += 10) {
      run.chain(t, FAIL);
    }
    assertThat(run.all(FailOver.class)).isEmpty();
    run.chain(489, FAIL);
    assertThat(run.all(FailOver.class)).hasSize(1);
  }

  @Test
  void decide_firstFailure_reportsOutageStartedOnce() {
    DecideHarness run = new DecideHarness(policy, 0, 0);
    run.chain(0, FAIL);
    run.chain(10, FAIL);
    run.chain(20, FAIL);
    assertThat(run.decisions()).filteredOn(OutageStarted.class::isInstance).hasSize(1);
  }

  @Test
  void decide_lastRegionFails_wrapsAroundToTheFirst() {
    DecideHarness run = new DecideHarness(policy, 2, 0);
    for (long t = 0; t <= 240; t += 10) {
      run.chain(t, FAIL);
    }
    assertThat(run.all(FailOver.class)).singleElement().satisfies(f -> {
      assertThat(f.from().name()).isEqualTo("APAC");
      assertThat(f.to().name()).isEqualTo("EU");
      assertThat(f.target()).isZero();
    });
  }

  @Test
  void decide_probeAfterAPause_isNotEvidenceOfAnOutage() {
    DecideHarness run = new DecideHarness(policy, 0, 0);
    run.chain(0, FAIL);
    run.chain(10, FAIL);
    run.chain(20, FAIL);
    // The process is stopped for ten minutes; the next probe runs at 620 s and fails.
    List<Decision> afterPause = run.chain(620, FAIL);
    assertThat(afterPause).anyMatch(LateProbe.class::isInstance);
    assertThat(run.all(FailOver.class)).as("20 s of real evidence is not 4 minutes").isEmpty();

    // Watched time so far: 0..20 and one interval across the pause, so 30 s. The threshold
    // is reached 210 s of on-time probes later, at 830 s, not before.
    for (long t = 630; t < 830; t += 10) {
      run.chain(t, FAIL);
    }
    assertThat(run.all(FailOver.class)).isEmpty();
    run.chain(830, FAIL);
    assertThat(run.all(FailOver.class)).singleElement()
        .satisfies(f -> assertThat(f.outage()).isEqualTo(Duration.ofMinutes(4)));
  }

  @Test
  void decide_lateProbeThatWouldCrossTheThreshold_doesNotFailOverOnIt() {
    DecideHarness run = new DecideHarness(policy, 0, 0);
    for (long t = 0; t <= 230; t += 10) {
      run.chain(t, FAIL);
    }
    run.chain(290, FAIL); // 60 s late: counted as one interval only, so the outage is 240 s...
    assertThat(run.all(FailOver.class)).as("...but a late probe is never the one that acts").isEmpty();
    run.chain(300, FAIL);
    assertThat(run.all(FailOver.class)).hasSize(1);
  }

  @Test
  void decide_slightlyLateProbe_isStillEvidence() {
    DecideHarness run = new DecideHarness(policy, 0, 0);
    for (long t = 0; t <= 230; t += 10) {
      run.chain(t, FAIL);
    }
    List<Decision> d = run.chain(244, FAIL); // 14 s gap: jitter, below 1.5 intervals
    assertThat(d).noneMatch(LateProbe.class::isInstance).anyMatch(FailOver.class::isInstance);
  }

  @Test
  void decide_whileSwitching_failedProbesAreNotEvidence() {
    DecideHarness run = new DecideHarness(policy, 0, 0);
    for (long t = 0; t <= 240; t += 10) {
      run.chain(t, FAIL);
    }
    for (long t = 250; t <= 900; t += 10) {
      run.chain(t, FAIL);
    }
    assertThat(run.all(FailOver.class)).as("one failover while the first is in flight").hasSize(1);
    assertThat(run.state().phase()).isInstanceOf(State.Switching.class);
  }

  @Test
  void decide_switchDone_newRegionStartsWithACleanClock() {
    DecideHarness run = new DecideHarness(policy, 0, 0);
    for (long t = 0; t <= 240; t += 10) {
      run.chain(t, FAIL);
    }
    List<Decision> done = run.at(245, new Input.SwitchDone(1));
    assertThat(run.state().phase()).isEqualTo(new State.Watching(1, 240 * S));
    assertThat(done).singleElement().isInstanceOf(Decision.SwitchCompleted.class);

    for (long t = 250; t < 490; t += 10) {
      run.chain(t, FAIL);
    }
    assertThat(run.all(FailOver.class)).hasSize(1);
    run.chain(490, FAIL);
    assertThat(run.all(FailOver.class)).hasSize(2).last()
        .satisfies(f -> assertThat(f.to().name()).isEqualTo("APAC"));
  }

  @Test
  void decide_switchAbandoned_targetCountsAsDownSinceTheSwitchAndTheNextFailureMovesOn() {
    DecideHarness run = new DecideHarness(policy, 0, 0);
    for (long t = 0; t <= 240; t += 10) {
      run.chain(t, FAIL);
    }
    for (long t = 250; t <= 480; t += 10) {
      run.chain(t, FAIL); // the restart onto NAM keeps failing; probes are not evidence meanwhile
    }
    List<Decision> gaveUp = run.at(481, new Input.SwitchAttemptFailed(1, "restart: SPAWN_ERROR"));
    assertThat(gaveUp).singleElement().isInstanceOf(Decision.SwitchAbandoned.class);
    assertThat(run.state().phase()).isInstanceOf(State.Down.class);
    assertThat(run.state().active()).isEqualTo(1);

    run.chain(490, FAIL);

    assertThat(run.all(FailOver.class)).hasSize(2).last().satisfies(f -> {
      assertThat(f.from().name()).isEqualTo("NAM");
      assertThat(f.to().name()).isEqualTo("APAC");
    });
  }

  @Test
  void decide_switchAbandonedButTargetAnswers_outageEndsAndTheHostStays() {
    DecideHarness run = new DecideHarness(policy, 0, 0);
    for (long t = 0; t <= 240; t += 10) {
      run.chain(t, FAIL);
    }
    run.at(480, new Input.SwitchAttemptFailed(1, "restart: FATAL"));

    List<Decision> d = run.chain(490, OK);

    assertThat(d).anyMatch(OutageEnded.class::isInstance);
    assertThat(run.state().phase()).isEqualTo(new State.Watching(1, 490 * S));
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
    DecideHarness run = new DecideHarness(policy, 0, 0);
    for (long t = 0; t <= 240; t += 10) {
      run.chain(t, FAIL);
    }
    PolicyState switching = run.state();
    Transition t = policy.decide(switching, new Input.SwitchAttemptFailed(1, "restart: FATAL"),
        479 * S);
    assertThat(t.next()).isSameAs(switching);
    assertThat(t.decisions()).isEmpty();
  }

  /** A probe that began before the host moved says nothing about the new region. */
  @Test
  void decide_probeOfARegionNoLongerActive_isStale() {
    PolicyState watching = policy.initial(1, 0);
    Transition t = policy.decide(watching, new Input.Probed(0, FAIL), 10 * S);
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
