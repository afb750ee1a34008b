package org.regionfailover.decide;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
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
  private static final long S = 1_000_000_000L;
  private static final List<Region> ORDER = List.of(new Region("EU", "cloud.eu.ext.com"),
      new Region("NAM", "cloud.nam.ext.com"), new Region("APAC", "cloud.apac.ext.com"));
  private static final ProbeResult FAIL = ProbeResult.failed(5000, "status 503");
  private static final ProbeResult OK = ProbeResult.healthy(12, 200);

  private final FailoverPolicy policy = new FailoverPolicy(ORDER, new PolicySettings(
      Duration.ofSeconds(10), Duration.ofMinutes(4), Duration.ofSeconds(30), 0.8, FailbackMode.AUTO,
      Duration.ofMinutes(10), 3, Duration.ofHours(1), null, null));
  private PolicyState state = policy.initial(0, 0);
  private final List<Decision> decisions = new ArrayList<>();

  private void at(long seconds, Input input) {
    Transition t = policy.decide(state, input, seconds * S);
    state = t.next();
    decisions.addAll(t.decisions());
  }

  private void direct(long t, ProbeResult eu, ProbeResult nam) {
    at(t, new Input.RegionProbed(0, eu));
    at(t, new Input.RegionProbed(1, nam));
    at(t, new Input.RegionProbed(2, OK));
  }

  private void settle(long t) {
    if (state.phase() instanceof State.Switching s) {
      at(t, new Input.SwitchDone(s.target()));
    }
  }

  private <D extends Decision> List<D> all(Class<D> kind) {
    return decisions.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  /** Review 1: one healthy probe re-armed the repair, so a mostly failing chain never moved. */
  @Test
  void mostlyFailingChain_regionUpOnItsOwn_repairsOnceThenFailsOver() {
    for (long t = 0; t <= 3 * 3600 && all(Decision.FailOver.class).isEmpty(); t += 10) {
      if (t % 30 == 0) {
        direct(t, OK, OK);
      }
      at(t, new Input.Probed(state.active(), (t / 10) % 18 == 17 ? OK : FAIL));
      settle(t);
    }
    assertThat(all(Decision.RepairInPlace.class)).hasSize(1);
    assertThat(all(Decision.FailOver.class)).singleElement()
        .satisfies(f -> assertThat(f.to().name()).isEqualTo("NAM"));
    assertThat(all(Decision.FailoverBlocked.class)).isEmpty();
  }

  /** Review 2: a region up on its direct probe all along was failed back to, then left again. */
  @Test
  void regionLeftWhileUpOnItsDirectProbe_isNotFailedBackTo() {
    for (long t = 0; t <= 7200; t += 10) {
      if (t % 30 == 0) {
        direct(t, OK, OK); // EU's handshake works; its API (the chain) does not
      }
      at(t, new Input.Probed(state.active(), state.active() == 0 ? FAIL : OK));
      settle(t);
    }
    assertThat(all(Decision.FailOver.class)).hasSize(1);
    assertThat(all(Decision.FailBack.class)).isEmpty();
    assertThat(state.active()).isEqualTo(1);
  }

  /** Review 2, the other side: a region that went down and came back is failed back to. */
  @Test
  void regionThatCameBackAfterTheHostLeft_isFailedBackTo() {
    for (long t = 0; t <= 7200 && all(Decision.FailBack.class).isEmpty(); t += 10) {
      if (t % 30 == 0) {
        direct(t, t < 1200 ? FAIL : OK, OK);
      }
      at(t, new Input.Probed(state.active(), state.active() == 0 && t < 1200 ? FAIL : OK));
      settle(t);
    }
    assertThat(all(Decision.FailBack.class)).singleElement()
        .satisfies(f -> assertThat(f.to().name()).isEqualTo("EU"));
  }

  /** Review 3: 20 failures after 5 good probes failed a continuous outage over at 3:10. */
  @Test
  void continuousOutageAfterHealthyProbes_intermittentRuleWaitsForTheThreshold() {
    for (long t = 0; t < 600; t += 10) {
      at(t, new Input.Probed(0, OK));
    }
    for (long t = 600; t <= 600 + 240; t += 10) {
      at(t, new Input.Probed(0, FAIL));
      if (!all(Decision.FailOver.class).isEmpty()) {
        assertThat(t - 600).as("failed over after").isGreaterThanOrEqualTo(240);
      }
    }
    assertThat(all(Decision.FailOver.class)).singleElement()
        .satisfies(f -> assertThat(f.outage()).isEqualTo(Duration.ofMinutes(4)));
  }

  /** Review 4: a program that dies while the region is down kept the host in Repairing. */
  @Test
  void stackRepairNeverSucceeds_regionDownOnItsDirectProbe_givesUpAndFailsOver() {
    direct(0, OK, OK);
    at(5, new Input.StackChecked(List.of("app:cloud-client FATAL"), null));
    assertThat(state.phase()).isInstanceOf(State.Repairing.class);
    for (long t = 10; t <= 600 && all(Decision.FailOver.class).isEmpty(); t += 10) {
      if (t % 30 == 0) {
        direct(t, FAIL, OK);
      }
      at(t, new Input.Probed(0, FAIL));
    }
    assertThat(all(Decision.RepairAbandoned.class)).hasSize(1);
    assertThat(all(Decision.FailOver.class)).singleElement()
        .satisfies(f -> assertThat(f.to().name()).isEqualTo("NAM"));
  }

  /** Review 7: a probe begun before a restart in place completed counted against it. */
  @Test
  void probeBegunBeforeTheRestartInPlaceCompleted_isStale() {
    for (long t = 0; t <= 240; t += 10) {
      if (t % 30 == 0) {
        direct(t, OK, OK);
      }
      at(t, new Input.Probed(0, FAIL));
    }
    assertThat(all(Decision.RepairInPlace.class)).hasSize(1);
    at(250, new Input.SwitchDone(0));
    PolicyState clean = state;
    at(245, new Input.Probed(0, FAIL)); // began at 245 s, arrived after the restart
    assertThat(state).isSameAs(clean);
  }
}
