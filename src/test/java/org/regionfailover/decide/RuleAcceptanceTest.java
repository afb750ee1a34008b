package org.regionfailover.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.DecideHarness.FAIL;
import static org.regionfailover.DecideHarness.OK;
import static org.regionfailover.DecideHarness.S;
import static org.regionfailover.Regions.ORDER;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.regionfailover.DecideHarness;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.config.Region;
import org.regionfailover.probe.ProbeResult;

/**
 * Issue 10, rules 4-7 through the policy in zero wall time: intermittent failure, fail-back,
 * the failover budget and the latency band. Probes every 10 s, threshold 4 min, direct
 * probes every 30 s, unless a test says otherwise.
 */
class RuleAcceptanceTest {
  private static final Duration I = Duration.ofSeconds(10);
  private static final Duration T = Duration.ofMinutes(4);
  private static final Duration RI = Duration.ofSeconds(30);

  private DecideHarness run;
  private long origin;

  private static PolicySettings rules(double ratio, boolean failback, Duration failbackAfter,
      int max, Duration window, Duration enter, Duration exit) {
    return new PolicySettings(I, T, RI, ratio, failback ? FailbackMode.AUTO : FailbackMode.OFF, failbackAfter, max, window, enter, exit);
  }

  private void start(PolicySettings rules, int active) {
    run = new DecideHarness(new FailoverPolicy(ORDER, rules), active, origin);
  }

  // --- 4. intermittent failure ---

  @ParameterizedTest(name = "origin {0}")
  @ValueSource(longs = {0L, Long.MAX_VALUE - 1000 * S})
  void intermittent_fourFailuresInEveryFive_failsOverWithinThresholdPlusOneInterval(long o) {
    origin = o;
    start(rules(0.8, false, RI, 0, Duration.ZERO, null, null), 0);
    long t = 0;
    for (; run.all(Decision.FailOver.class).isEmpty() && t <= 3600; t += 10) {
      run.chain(t, (t / 10) % 5 == 4 ? OK : FAIL);
    }
    assertThat(run.all(Decision.FailOver.class)).singleElement()
        .satisfies(f -> assertThat(f.reason()).startsWith("intermittent"));
    assertThat(t - 10).as("decided within threshold + one interval").isLessThanOrEqualTo(250);
    assertThat(run.all(Decision.OutageEnded.class)).as("the continuous clock kept being reset")
        .isNotEmpty();
  }

  @Test
  void intermittent_strictlyAlternating_failsOverAtHalfButNotAtTheDefault() {
    start(rules(0.5, false, RI, 0, Duration.ZERO, null, null), 0);
    for (long t = 0; t <= 250; t += 10) {
      run.chain(t, (t / 10) % 2 == 0 ? FAIL : OK);
    }
    assertThat(run.all(Decision.FailOver.class)).hasSize(1);

    start(rules(0.8, false, RI, 0, Duration.ZERO, null, null), 0);
    for (long t = 0; t <= 3600; t += 10) {
      run.chain(t, (t / 10) % 2 == 0 ? FAIL : OK);
    }
    assertThat(run.all(Decision.FailOver.class)).isEmpty();
  }

  @Test
  void intermittent_oneFailureInThreeAtRandom_100000Probes_noFailoverAtTheDefault() {
    start(rules(0.8, false, RI, 0, Duration.ZERO, null, null), 0);
    Random random = new Random(20261122L);
    for (long i = 0; i < 100_000; i++) {
      run.chain(i * 10, random.nextInt(3) == 0 ? FAIL : OK);
    }
    assertThat(run.all(Decision.FailOver.class)).isEmpty();
  }

  @Test
  void intermittent_ratioOne_isTheContinuousRuleAlone() {
    start(rules(1.0, false, RI, 0, Duration.ZERO, null, null), 0);
    for (long t = 0; t <= 3600; t += 10) {
      run.chain(t, (t / 10) % 5 == 4 ? OK : FAIL);
    }
    assertThat(run.all(Decision.FailOver.class)).isEmpty();
  }

  // --- 5. fail-back ---

  /** Host on NAM after a failover from EU at 0 s; EU answers its direct probe again. */
  private long failBackFrom(long euUpAt, Duration after) {
    start(rules(1.0, true, after, 0, Duration.ZERO, null, null), 0);
    for (long t = 0; t <= 240; t += 10) {
      run.chain(t, FAIL);
    }
    run.settle(245);
    for (long t = 250; t <= 7200; t += 10) {
      if (t % 30 == 0) {
        run.direct(t, t >= euUpAt ? OK : FAIL, OK);
      }
      run.chain(t, OK);
      if (!run.all(Decision.FailBack.class).isEmpty()) {
        return t;
      }
    }
    return -1;
  }

  @Test
  void failback_happensWithinFailbackAfterPlusOneRegionIntervalOfTheReturn() {
    long euUpAt = 1200;
    long at = failBackFrom(euUpAt, Duration.ofMinutes(10));
    assertThat(at).isBetween(euUpAt + 600, euUpAt + 600 + 30);
    assertThat(run.all(Decision.FailBack.class)).singleElement().satisfies(f -> {
      assertThat(f.from().name()).isEqualTo("NAM");
      assertThat(f.to().name()).isEqualTo("EU");
    });
  }

  @Test
  void failback_notWhileTheLastTransitionIsYoungerThanFailbackAfter() {
    // EU is up on its direct probe from the start; the failover at 240 s is the last
    // transition, so fail-back waits until 240 + 600 s.
    long at = failBackFrom(0, Duration.ofMinutes(10));
    assertThat(at).isBetween(840L, 840L + 30);
  }

  @Test
  void failback_off_staysOnTheRegionAFailoverPutItOn() {
    start(rules(1.0, false, Duration.ofMinutes(10), 0, Duration.ZERO, null, null), 1);
    for (long t = 0; t <= 7200; t += 30) {
      run.at(t, new Input.RegionProbed(0, OK));
      run.chain(t, OK);
    }
    assertThat(run.all(Decision.FailBack.class)).isEmpty();
  }

  // --- 6. budget ---

  @Test
  void budget_threePerHour_theFourthAutomaticTransitionIsRefusedOnceWithWhenItFrees() {
    start(rules(1.0, false, RI, 3, Duration.ofHours(1), null, null), 0);
    long t = 0;
    for (int failovers = 0; failovers < 3; ) {
      run.chain(t, FAIL);
      if (run.state().phase() instanceof State.Switching) {
        failovers++;
        run.settle(t);
      }
      t += 10;
    }
    long third = t - 10;
    for (long end = t + 600; t < end; t += 10) {
      run.chain(t, FAIL);
    }
    assertThat(run.all(Decision.FailOver.class)).hasSize(3);
    assertThat(run.all(Decision.FailoverBlocked.class)).singleElement().satisfies(b -> {
      assertThat(b.reason()).isEqualTo("budget");
      assertThat(b.freeIn()).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
    });
    assertThat(run.state().phase()).isInstanceOf(State.Down.class);
    assertThat(third).isPositive();
  }

  @Test
  void budget_historyFromBeforeARestart_countsAgainstIt() {
    FailoverPolicy policy =
        new FailoverPolicy(ORDER, rules(1.0, false, RI, 3, Duration.ofHours(1), null, null));
    // Three transitions in the last 20 minutes, read back at start-up.
    run = new DecideHarness(policy,
        policy.initial(0, 3600 * S, TransitionHistory.of(2400 * S, 2700 * S, 3000 * S)), 0);
    for (long t = 3600; t <= 3900; t += 10) {
      run.chain(t, FAIL);
    }
    assertThat(run.all(Decision.FailOver.class)).isEmpty();
    assertThat(run.all(Decision.FailoverBlocked.class)).singleElement()
        .satisfies(b -> assertThat(b.freeIn()).isEqualTo(Duration.ofSeconds(2400 + 3600 - 3840)));
  }

  // --- 7. latency band ---

  @Test
  void latency_answersAt2500msWith2s1s_failOver() {
    start(rules(1.0, false, RI, 0, Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(1)), 0);
    for (long t = 0; t <= 240; t += 10) {
      run.chain(t, ProbeResult.healthy(2500, 200));
    }
    assertThat(run.all(Decision.FailOver.class)).singleElement()
        .satisfies(f -> assertThat(f.reason()).startsWith("slow"));
  }

  @Test
  void latency_hoveringBetweenTheBoundsAfterTurningSlow_staysSlow() {
    start(rules(1.0, false, RI, 0, Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(1)), 0);
    run.chain(0, ProbeResult.healthy(2100, 200)); // turns slow
    for (long t = 10; t <= 230; t += 10) {
      run.chain(t, ProbeResult.healthy(1000 + (t * 37 % 999), 200)); // 1.0-2.0 s
    }
    assertThat(run.state().slow()).isTrue();
    assertThat(run.state().phase()).isInstanceOf(State.Down.class);
    run.chain(240, ProbeResult.healthy(1500, 200));
    assertThat(run.all(Decision.FailOver.class)).hasSize(1);

    start(rules(1.0, false, RI, 0, Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(1)), 0);
    run.chain(0, ProbeResult.healthy(2100, 200));
    run.chain(10, ProbeResult.healthy(900, 200)); // under the exit bound: no longer slow
    assertThat(run.state().slow()).isFalse();
    assertThat(run.state().phase()).isInstanceOf(State.Watching.class);
  }
}
