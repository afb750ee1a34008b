package org.regionfailover.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.DecideHarness.FAIL;
import static org.regionfailover.DecideHarness.OK;
import static org.regionfailover.DecideHarness.S;
import static org.regionfailover.Regions.ORDER;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.regionfailover.DecideHarness;
import org.regionfailover.decide.RegionView.Health;
import org.regionfailover.probe.ProbeResult;

/**
 * Issue 10, rules 1-3 in zero wall time: direct health of each region, pre-flight (never
 * fail over onto a region known to be down), and repair in place (chain down, region up).
 */
class PreflightAndRepairTest {
  private static final int EU = 0;
  private static final int NAM = 1;
  private static final int APAC = 2;

  private final FailoverPolicy policy = new FailoverPolicy(ORDER, Duration.ofSeconds(10),
      Duration.ofMinutes(4), Duration.ofSeconds(30));
  private DecideHarness run;

  /** Chain probes failing every 10 s from {@code from} to {@code to}, direct probes every 30 s. */
  private void outage(long from, long to, ProbeResult eu, ProbeResult nam, ProbeResult apac) {
    for (long t = from; t <= to; t += 10) {
      if (t % 30 == 0) {
        run.direct(t, eu, nam, apac);
      }
      run.chain(t, FAIL);
    }
  }

  @ParameterizedTest(name = "origin {0}")
  @ValueSource(longs = {0L, Long.MAX_VALUE - 100 * S})
  void preflight_nextRegionDownOnItsDirectProbe_goesStraightToTheOneAfter(long origin) {
    run = new DecideHarness(policy, EU, origin);
    outage(0, 240, FAIL, FAIL, OK);

    assertThat(run.all(Decision.FailOver.class)).singleElement().satisfies(f -> {
      assertThat(f.to().name()).isEqualTo("APAC");
      assertThat(f.skipped()).containsExactly("NAM: down (timeout)");
    });
    assertThat(run.state().phase()).isEqualTo(new State.Switching(EU, APAC, origin + 240 * S,
        origin + 240 * S, false));
  }

  @Test
  void preflight_everyOtherRegionDown_noFailover_blockedReportedOnce() {
    run = new DecideHarness(policy, EU, 0);
    run.at(0, new Input.RegionProbed(EU, OK)); // direct access works from this host
    outage(0, 260, FAIL, FAIL, FAIL);

    assertThat(run.all(Decision.FailOver.class)).isEmpty();
    assertThat(run.all(Decision.FailoverBlocked.class)).singleElement().satisfies(b -> {
      assertThat(b.reason()).isEqualTo("no_healthy_target");
      assertThat(b.skipped()).containsExactly("NAM: down (timeout)", "APAC: down (timeout)");
    });
    assertThat(run.state().phase()).isInstanceOf(State.Down.class);

    run.at(270, new Input.RegionProbed(NAM, OK)); // NAM comes back: the next probe moves there
    run.chain(270, FAIL);
    assertThat(run.all(Decision.FailOver.class)).singleElement()
        .satisfies(f -> assertThat(f.to().name()).isEqualTo("NAM"));
  }

  @Test
  void preflight_unknownRegionIsUsedOnlyWhenNoneIsUp() {
    run = new DecideHarness(policy, EU, 0);
    for (long t = 0; t <= 240; t += 10) {
      if (t % 30 == 0) {
        run.at(t, new Input.RegionProbed(APAC, OK)); // NAM never probed: unknown; APAC up
      }
      run.chain(t, FAIL);
    }
    assertThat(run.all(Decision.FailOver.class)).singleElement().satisfies(f -> {
      assertThat(f.to().name()).isEqualTo("APAC");
      assertThat(f.skipped()).containsExactly("NAM: unknown");
    });
  }

  @Test
  void directAccessImpossible_everyRegionUnknown_reportedOnce_andTheOldOrderHolds() {
    run = new DecideHarness(policy, EU, 0);
    outage(0, 240, FAIL, FAIL, FAIL);

    assertThat(run.all(Decision.RegionProbeUnusable.class)).singleElement()
        .satisfies(u -> assertThat(u.reasons()).hasSize(3));
    assertThat(run.state().regions().health(NAM, 240 * S)).isEqualTo(Health.UNKNOWN);
    assertThat(run.all(Decision.FailOver.class)).singleElement()
        .satisfies(f -> assertThat(f.to().name()).isEqualTo("NAM"));
  }

  @Test
  void regionHealth_olderThanTwoRegionIntervals_isUnknown() {
    RegionView view = RegionView.empty(3, Duration.ofSeconds(60).toNanos())
        .with(NAM, 0, OK).with(APAC, 0, FAIL);
    assertThat(view.health(NAM, 60 * S)).isEqualTo(Health.UP);
    assertThat(view.health(APAC, 60 * S)).isEqualTo(Health.DOWN);
    assertThat(view.health(NAM, 61 * S)).isEqualTo(Health.UNKNOWN);
    assertThat(view.health(EU, 0)).isEqualTo(Health.UNKNOWN);
  }

  @Test
  void repair_chainDownRegionUp_restartsInPlaceThenFailsOverIfItStillFails() {
    run = new DecideHarness(policy, EU, 0);
    outage(0, 240, OK, OK, OK);

    assertThat(run.all(Decision.FailOver.class)).isEmpty();
    assertThat(run.all(Decision.RepairInPlace.class)).singleElement().satisfies(r -> {
      assertThat(r.region().name()).isEqualTo("EU");
      assertThat(r.outage()).isEqualTo(Duration.ofMinutes(4));
    });
    assertThat(run.state().phase()).isInstanceOfSatisfying(State.Switching.class,
        s -> assertThat(s.inPlace()).isTrue());

    run.at(245, new Input.SwitchDone(EU));
    assertThat(run.all(Decision.SwitchCompleted.class)).singleElement()
        .satisfies(c -> assertThat(c.inPlace()).isTrue());
    assertThat(run.state().phase()).isInstanceOf(State.Watching.class);

    // The chain still fails for another threshold: at most one repair per outage.
    outage(250, 490, OK, OK, OK);
    assertThat(run.all(Decision.RepairInPlace.class)).hasSize(1);
    assertThat(run.all(Decision.FailOver.class)).singleElement()
        .satisfies(f -> assertThat(f.to().name()).isEqualTo("NAM"));
  }

  @Test
  void repair_chainHealthyForAWholeThresholdAfterTheRepair_nextOutageMayRepairAgain() {
    run = new DecideHarness(policy, EU, 0);
    outage(0, 240, OK, OK, OK);
    run.at(245, new Input.SwitchDone(EU));
    for (long t = 250; t <= 490; t += 10) {
      run.chain(t, OK); // a whole clean threshold: the repair worked
    }
    outage(500, 740, OK, OK, OK);
    assertThat(run.all(Decision.RepairInPlace.class)).hasSize(2);
    assertThat(run.all(Decision.FailOver.class)).isEmpty();
  }
}
