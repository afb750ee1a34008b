package org.regionfailover.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.DecideHarness.S;
import static org.regionfailover.Regions.EU_NAM;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.regionfailover.DecideHarness;
import org.regionfailover.probe.ProbeResult;

/**
 * Issue 9 defect 2, the rule alone: a stack that is down (a supervisord restart leaves it
 * stopped) is repaired in place, and the probes that fail meanwhile never move the host.
 */
class StackRepairRuleTest {
  private static final Input DOWN = new Input.Probed(0, ProbeResult.failed(3, "refused"));
  private static final Input UP = new Input.Probed(0, ProbeResult.healthy(12, 200));
  private static final Input STOPPED =
      new Input.StackChecked(List.of("app:stunnel STOPPED"), null);

  private final FailoverPolicy policy = new FailoverPolicy(EU_NAM, Duration.ofSeconds(10),
      Duration.ofMinutes(4));
  private DecideHarness run;

  @ParameterizedTest(name = "origin {0}")
  @ValueSource(longs = {0L, Long.MAX_VALUE - 10 * S, Long.MIN_VALUE})
  void stackDown_probesFailForAnHour_noFailoverUntilRepaired(long origin) {
    run = new DecideHarness(policy, 0, origin);
    assertThat(run.at(10, DOWN)).noneMatch(Decision.FailOver.class::isInstance);
    assertThat(run.at(15, STOPPED)).singleElement().isInstanceOfSatisfying(
        Decision.RepairStack.class,
        r -> assertThat(r.notRunning()).containsExactly("app:stunnel STOPPED"));
    for (long t = 20; t <= 3600; t += 10) {
      assertThat(run.at(t, DOWN)).as("at %d s", t).noneMatch(Decision.FailOver.class::isInstance);
    }
    assertThat(run.state().phase()).isInstanceOf(State.Repairing.class);
  }

  @Test
  void stackRepaired_outageClockStartsClean() {
    run = new DecideHarness(policy, 0, 0);
    for (long t = 0; t <= 230; t += 10) {
      run.at(t, DOWN); // 3:50 of failure counted before the watch saw the stack down
    }
    run.at(231, STOPPED);
    assertThat(run.at(233, new Input.StackRepaired(List.of("app:stunnel"), 1)))
        .singleElement().isInstanceOfSatisfying(Decision.StackRepaired.class, r -> {
          assertThat(r.started()).containsExactly("app:stunnel");
          assertThat(r.took()).isEqualTo(Duration.ofSeconds(2));
          assertThat(r.repairs()).isEqualTo(1);
        });
    // Without a clean clock the probe at 4:00 would fail over on pre-repair evidence.
    for (long t = 240; t < 240 + 240; t += 10) {
      assertThat(run.at(t, DOWN)).as("at %d s", t).noneMatch(Decision.FailOver.class::isInstance);
    }
    assertThat(run.at(480, DOWN)).anyMatch(Decision.FailOver.class::isInstance);
  }

  @Test
  void supervisordUnreachable_countsAsStackDown() {
    run = new DecideHarness(policy, 0, 0);
    assertThat(run.at(5, new Input.StackChecked(List.of(), "supervisord is unreachable")))
        .singleElement().isInstanceOfSatisfying(Decision.RepairStack.class,
            r -> assertThat(r.unreachable()).contains("unreachable"));
  }

  @Test
  void stackCheckedUp_orWhileSwitchingOrRepairing_changesNothing() {
    run = new DecideHarness(policy, 0, 0);
    run.at(10, UP);
    PolicyState before = run.state();
    assertThat(run.at(12, new Input.StackChecked(List.of(), null))).isEmpty();
    assertThat(run.state()).isEqualTo(before);

    // The first start is a switch onto the region.
    run = new DecideHarness(policy, policy.start(0, 0, false).next(), 0);
    assertThat(run.at(3, STOPPED)).isEmpty();
    assertThat(run.state().phase()).isInstanceOf(State.Switching.class);

    run = new DecideHarness(policy, 0, 0);
    run.at(5, STOPPED);
    PolicyState repairing = run.state();
    assertThat(run.at(6, STOPPED)).as("one repair at a time").isEmpty();
    assertThat(run.state()).isEqualTo(repairing);
  }

  /**
   * Issue 25 defect 5: supervisord restarted during the first start of the stack, so the
   * start failed past the threshold. It was given up as a switch, the probes that failed
   * while the stack was starting counted, and the next failed probe moved the host.
   */
  @Test
  void issue25_startUpStartGivenUp_stackRepairedInPlaceAndOnlyProbesAfterItCount() {
    run = new DecideHarness(policy, policy.start(0, 0, false).next(), 0);
    for (long t = 10; t <= 290; t += 10) {
      assertThat(run.at(t, DOWN)).as("at %d s", t).noneMatch(Decision.FailOver.class::isInstance);
    }
    List<Decision> gaveUp = run.at(300, new Input.SwitchAttemptFailed(0,
        "start_stack: restart for EU failed at app:application: UNREACHABLE"));
    assertThat(gaveUp).hasSize(2);
    assertThat(gaveUp.get(0)).isInstanceOfSatisfying(Decision.SwitchAbandoned.class,
        a -> assertThat(a.startup()).isTrue());
    assertThat(gaveUp.get(1)).isEqualTo(new Decision.RepairStack(EU_NAM.get(0), List.of(), null));
    assertThat(run.state().phase()).isInstanceOfSatisfying(State.Repairing.class,
        r -> assertThat(r.since()).isEqualTo(300 * S));

    for (long t = 310; t <= 3600; t += 10) {
      assertThat(run.at(t, DOWN)).as("at %d s", t).noneMatch(Decision.FailOver.class::isInstance);
    }
    assertThat(run.at(3605, new Input.StackRepaired(List.of("app:stunnel"), 1)))
        .singleElement().isInstanceOf(Decision.StackRepaired.class);
    for (long t = 3610; t < 3610 + 240; t += 10) {
      assertThat(run.at(t, DOWN)).as("at %d s", t).noneMatch(Decision.FailOver.class::isInstance);
    }
    assertThat(run.at(3610 + 240, DOWN)).filteredOn(Decision.FailOver.class::isInstance)
        .singleElement().isInstanceOfSatisfying(Decision.FailOver.class,
            f -> assertThat(f.outage()).isEqualTo(Duration.ofMinutes(4)));
  }

  /**
   * Issue 25 defect 5, the other side: a start given up on a region that is down on its
   * own direct probe does not keep the host there. The repair's rule gives up a whole
   * threshold after the start was, and the next failed probe moves on.
   */
  @Test
  void issue25_startUpStartGivenUpOnARegionDownOnItsDirectProbe_movesOnAThresholdLater() {
    run = new DecideHarness(policy, policy.start(0, 0, false).next(), 0);
    run.at(300, new Input.SwitchAttemptFailed(0, "start_stack: app:cloud-client FATAL"));
    for (long t = 310; t < 540; t += 10) {
      if (t % 30 == 0) {
        run.at(t, new Input.RegionProbed(0, ProbeResult.failed(3, "refused")));
        run.at(t, new Input.RegionProbed(1, ProbeResult.healthy(12, 200)));
      }
      assertThat(run.at(t, DOWN)).as("at %d s", t).noneMatch(Decision.FailOver.class::isInstance);
    }
    assertThat(run.at(540, DOWN)).anyMatch(Decision.RepairAbandoned.class::isInstance);
    assertThat(run.at(550, DOWN)).filteredOn(Decision.FailOver.class::isInstance)
        .singleElement().isInstanceOfSatisfying(Decision.FailOver.class,
            f -> assertThat(f.to()).isEqualTo(EU_NAM.get(1)));
  }

  @Test
  void healthyProbeWhileRepairing_doesNotEndTheRepair() {
    run = new DecideHarness(policy, 0, 0);
    run.at(5, STOPPED);
    run.at(10, UP);
    assertThat(run.state().phase()).isInstanceOf(State.Repairing.class);
  }
}
