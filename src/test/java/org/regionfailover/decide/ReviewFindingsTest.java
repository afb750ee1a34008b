package org.regionfailover.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.DecideHarness.FAIL;
import static org.regionfailover.DecideHarness.OK;
import static org.regionfailover.Regions.ORDER;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.regionfailover.DecideHarness;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.config.Region;
import org.regionfailover.probe.ProbeResult;

/**
 * Regressions from the review of issue 10 (each named after the failure it pins), in zero
 * wall time: probes every 10 s, threshold 4 min, direct probes every 30 s, budget 3/1h,
 * fail-back after 10 min, failure ratio 0.8 (the defaults).
 */
class ReviewFindingsTest {
  private final DecideHarness run =
      new DecideHarness(new FailoverPolicy(ORDER, DecideHarness.defaults(FailbackMode.AUTO)), 0, 0);

  /** Review 1: one healthy probe re-armed the repair, so a mostly failing chain never moved. */
  @Test
  void mostlyFailingChain_regionUpOnItsOwn_repairsOnceThenFailsOver() {
    for (long t = 0; t <= 3 * 3600 && run.all(Decision.FailOver.class).isEmpty(); t += 10) {
      if (t % 30 == 0) {
        run.direct(t, OK, OK, OK);
      }
      run.chain(t, (t / 10) % 18 == 17 ? OK : FAIL);
      run.settle(t);
    }
    assertThat(run.all(Decision.RepairInPlace.class)).hasSize(1);
    assertThat(run.all(Decision.FailOver.class)).singleElement()
        .satisfies(f -> assertThat(f.to().name()).isEqualTo("NAM"));
    assertThat(run.all(Decision.FailoverBlocked.class)).isEmpty();
  }

  /** Review 2: a region up on its direct probe all along was failed back to, then left again. */
  @Test
  void regionLeftWhileUpOnItsDirectProbe_isNotFailedBackTo() {
    for (long t = 0; t <= 7200; t += 10) {
      if (t % 30 == 0) {
        run.direct(t, OK, OK, OK); // EU's handshake works; its API (the chain) does not
      }
      run.chain(t, run.state().active() == 0 ? FAIL : OK);
      run.settle(t);
    }
    assertThat(run.all(Decision.FailOver.class)).hasSize(1);
    assertThat(run.all(Decision.FailBack.class)).isEmpty();
    assertThat(run.state().active()).isEqualTo(1);
  }

  /** Review 2, the other side: a region that went down and came back is failed back to. */
  @Test
  void regionThatCameBackAfterTheHostLeft_isFailedBackTo() {
    for (long t = 0; t <= 7200 && run.all(Decision.FailBack.class).isEmpty(); t += 10) {
      if (t % 30 == 0) {
        run.direct(t, t < 1200 ? FAIL : OK, OK, OK);
      }
      run.chain(t, run.state().active() == 0 && t < 1200 ? FAIL : OK);
      run.settle(t);
    }
    assertThat(run.all(Decision.FailBack.class)).singleElement()
        .satisfies(f -> assertThat(f.to().name()).isEqualTo("EU"));
  }

  /** Review 3: 20 failures after 5 good probes failed a continuous outage over at 3:10. */
  @Test
  void continuousOutageAfterHealthyProbes_intermittentRuleWaitsForTheThreshold() {
    for (long t = 0; t < 600; t += 10) {
      run.at(t, new Input.Probed(0, OK));
    }
    for (long t = 600; t <= 600 + 240; t += 10) {
      run.at(t, new Input.Probed(0, FAIL));
      if (!run.all(Decision.FailOver.class).isEmpty()) {
        assertThat(t - 600).as("failed over after").isGreaterThanOrEqualTo(240);
      }
    }
    assertThat(run.all(Decision.FailOver.class)).singleElement()
        .satisfies(f -> assertThat(f.outage()).isEqualTo(Duration.ofMinutes(4)));
  }

  /** Review 4: a program that dies while the region is down kept the host in Repairing. */
  @Test
  void stackRepairNeverSucceeds_regionDownOnItsDirectProbe_givesUpAndFailsOver() {
    run.direct(0, OK, OK, OK);
    run.at(5, new Input.StackChecked(List.of("app:cloud-client FATAL"), null));
    assertThat(run.state().phase()).isInstanceOf(State.Repairing.class);
    for (long t = 10; t <= 600 && run.all(Decision.FailOver.class).isEmpty(); t += 10) {
      if (t % 30 == 0) {
        run.direct(t, FAIL, OK, OK);
      }
      run.at(t, new Input.Probed(0, FAIL));
    }
    assertThat(run.all(Decision.RepairAbandoned.class)).hasSize(1);
    assertThat(run.all(Decision.FailOver.class)).singleElement()
        .satisfies(f -> assertThat(f.to().name()).isEqualTo("NAM"));
  }

  /** Review 7: a probe begun before a restart in place completed counted against it. */
  @Test
  void probeBegunBeforeTheRestartInPlaceCompleted_isStale() {
    for (long t = 0; t <= 240; t += 10) {
      if (t % 30 == 0) {
        run.direct(t, OK, OK, OK);
      }
      run.at(t, new Input.Probed(0, FAIL));
    }
    assertThat(run.all(Decision.RepairInPlace.class)).hasSize(1);
    run.at(250, new Input.SwitchDone(0));
    PolicyState clean = run.state();
    run.at(245, new Input.Probed(0, FAIL)); // began at 245 s, arrived after the restart
    assertThat(run.state()).isSameAs(clean);
  }
}
