package org.regionfailover.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.DecideHarness.FAIL;
import static org.regionfailover.DecideHarness.OK;
import static org.regionfailover.DecideHarness.S;
import static org.regionfailover.Regions.EU;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.Region;
import org.regionfailover.probe.ProbeResult;

/** Each small rule of the policy alone, with plain numbers. */
class SmallRulesTest {
  @Test
  void probeWindow_keepsBothEndsOfTheWindow_andCountsFailures() {
    ProbeWindow w = ProbeWindow.EMPTY;
    for (long t = 0; t <= 240; t += 10) {
      w = w.add(t * S, t % 20 == 0, 240 * S);
    }
    assertThat(w.size()).isEqualTo(25);
    assertThat(w.failureRatio()).isEqualTo(13 / 25.0);
    w = w.add(250 * S, true, 240 * S); // the probe at 0 s leaves the window
    assertThat(w.size()).isEqualTo(25);
    assertThat(w.failureRatio()).isEqualTo(13 / 25.0);
  }

  @Test
  void intermittentRule_needsAFullWindowAndEnoughProbes() {
    IntermittentRule rule = new IntermittentRule(0.8, Duration.ofSeconds(40), Duration.ofSeconds(10));
    ProbeWindow w = ProbeWindow.EMPTY;
    for (long t = 0; t <= 40; t += 10) {
      w = w.add(t * S, true, 40 * S);
    }
    assertThat(rule.downReason(w, 0, 30 * S)).as("not watched a whole threshold yet").isNull();
    assertThat(rule.downReason(w, 0, 40 * S)).isEqualTo("intermittent: 1.00 of 5 probes failed over the last 40 s (ratio 0.80)");
    ProbeWindow single = ProbeWindow.EMPTY.add(40 * S, true, 40 * S);
    assertThat(rule.downReason(single, 0, 40 * S)).as("one probe is not a ratio").isNull();
    assertThat(new IntermittentRule(1.0, Duration.ofSeconds(40), Duration.ofSeconds(10))
        .downReason(w, 0, 40 * S)).as("ratio 1 is off").isNull();
  }

  @Test
  void budget_countsTheSlidingWindowAndSaysWhenASlotFrees() {
    Budget b = new Budget(3, Duration.ofHours(1));
    long[] h = {};
    for (long t : new long[] {0, 600, 1200}) {
      assertThat(b.allows(h, t * S)).isTrue();
      h = b.record(h, t * S);
    }
    assertThat(b.allows(h, 1800 * S)).isFalse();
    assertThat(b.used(h, 1800 * S)).isEqualTo(3);
    assertThat(b.nextFree(h, 1800 * S)).isEqualTo(3600 * S);
    assertThat(b.allows(h, 3600 * S)).as("the first left the window").isTrue();
    assertThat(Budget.OFF.allows(new long[] {1, 2, 3, 4, 5}, 6)).isTrue();
  }

  @Test
  void latencyBand_entersAboveEnter_leavesOnlyUnderExit() {
    LatencyBand band = new LatencyBand(Duration.ofSeconds(2), Duration.ofSeconds(1));
    assertThat(band.judge(ProbeResult.healthy(1900, 200), false).slow()).isFalse();
    LatencyBand.Judged slow = band.judge(ProbeResult.healthy(2500, 200), false);
    assertThat(slow.slow()).isTrue();
    assertThat(slow.result().healthy()).isFalse();
    assertThat(slow.result().reason()).isEqualTo("slow: 2500 ms > 2000 ms");
    assertThat(band.judge(ProbeResult.healthy(1500, 200), true).result().healthy()).isFalse();
    assertThat(band.judge(ProbeResult.healthy(999, 200), true).slow()).isFalse();
    assertThat(band.judge(FAIL, true).slow()).as("a failure changes nothing").isTrue();
    assertThat(LatencyBand.OFF.judge(ProbeResult.healthy(60_000, 200), false).result().healthy())
        .isTrue();
  }

  @Test
  void failbackRule_onlyToAnEarlierRegionUpLongEnough_andNotTooSoonAfterATransition() {
    FailbackRule rule = new FailbackRule(FailbackMode.AUTO, Duration.ofMinutes(10));
    RegionView view = RegionView.empty(3, 60 * S);
    for (long t = 0; t <= 600; t += 30) {
      view = view.with(0, t * S, OK).with(2, t * S, OK);
    }
    assertThat(rule.target(1, view, false, 0, 600 * S)).isEqualTo(0);
    assertThat(rule.target(1, view, false, 0, 590 * S)).as("up 9:50 only").isEqualTo(-1);
    assertThat(rule.target(1, view, true, 100 * S, 600 * S)).as("transition 8:20 ago")
        .isEqualTo(-1);
    assertThat(rule.target(0, view, false, 0, 600 * S)).as("nothing earlier than EU")
        .isEqualTo(-1);
    RegionView blinked = view.with(0, 300 * S, FAIL).with(0, 330 * S, OK);
    for (long t = 360; t <= 600; t += 30) {
      blinked = blinked.with(0, t * S, OK);
    }
    assertThat(rule.target(1, blinked, false, 0, 600 * S)).as("up again since 5:30 only")
        .isEqualTo(-1);
    assertThat(new FailbackRule(FailbackMode.OFF, Duration.ofMinutes(10))
        .target(1, view, false, 0, 600 * S)).isEqualTo(-1);
  }

  @Test
  void targetChoice_singleRegion_restartsOnIt() {
    TargetChoice one = new TargetChoice(List.of(EU));
    assertThat(one.after(0, RegionView.empty(1, S), 0).target()).isZero();
  }
}
