package org.regionfailover.decide;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.Region;
import org.regionfailover.probe.ProbeResult;

/**
 * Issue 9 defect 2, the rule alone: a stack that is down (a supervisord restart leaves it
 * stopped) is repaired in place, and the probes that fail meanwhile never move the host.
 */
class StackRepairRuleTest {
  private static final long S = 1_000_000_000L;
  private static final List<Region> ORDER = List.of(
      new Region("EU", "cloud.eu.ext.com"), new Region("NAM", "cloud.nam.ext.com"));
  private static final Input DOWN = new Input.Probed(0, ProbeResult.failed(3, "refused"));
  private static final Input UP = new Input.Probed(0, ProbeResult.healthy(12, 200));
  private static final Input STOPPED =
      new Input.StackChecked(List.of("app:stunnel STOPPED"), null);

  private final FailoverPolicy policy =
      new FailoverPolicy(ORDER, Duration.ofSeconds(10), Duration.ofMinutes(4));

  private PolicyState state;
  private long origin;

  private List<Decision> at(long seconds, Input input) {
    Transition t = policy.decide(state, input, origin + seconds * S);
    state = t.next();
    return t.decisions();
  }

  @ParameterizedTest(name = "origin {0}")
  @ValueSource(longs = {0L, Long.MAX_VALUE - 10 * S, Long.MIN_VALUE})
  void stackDown_probesFailForAnHour_noFailoverUntilRepaired(long origin) {
    this.origin = origin;
    state = policy.initial(0, origin);
    assertThat(at(10, DOWN)).noneMatch(Decision.FailOver.class::isInstance);
    assertThat(at(15, STOPPED)).singleElement().isInstanceOfSatisfying(
        Decision.RepairStack.class,
        r -> assertThat(r.notRunning()).containsExactly("app:stunnel STOPPED"));
    for (long t = 20; t <= 3600; t += 10) {
      assertThat(at(t, DOWN)).as("at %d s", t).noneMatch(Decision.FailOver.class::isInstance);
    }
    assertThat(state.phase()).isInstanceOf(State.Repairing.class);
  }

  @Test
  void stackRepaired_outageClockStartsClean() {
    state = policy.initial(0, 0);
    for (long t = 0; t <= 230; t += 10) {
      at(t, DOWN); // 3:50 of failure counted before the watch saw the stack down
    }
    at(231, STOPPED);
    assertThat(at(233, new Input.StackRepaired(List.of("app:stunnel"), 1)))
        .singleElement().isInstanceOfSatisfying(Decision.StackRepaired.class, r -> {
          assertThat(r.started()).containsExactly("app:stunnel");
          assertThat(r.took()).isEqualTo(Duration.ofSeconds(2));
          assertThat(r.repairs()).isEqualTo(1);
        });
    // Without a clean clock the probe at 4:00 would fail over on pre-repair evidence.
    for (long t = 240; t < 240 + 240; t += 10) {
      assertThat(at(t, DOWN)).as("at %d s", t).noneMatch(Decision.FailOver.class::isInstance);
    }
    assertThat(at(480, DOWN)).anyMatch(Decision.FailOver.class::isInstance);
  }

  @Test
  void supervisordUnreachable_countsAsStackDown() {
    state = policy.initial(0, 0);
    assertThat(at(5, new Input.StackChecked(List.of(), "supervisord is unreachable")))
        .singleElement().isInstanceOfSatisfying(Decision.RepairStack.class,
            r -> assertThat(r.unreachable()).contains("unreachable"));
  }

  @Test
  void stackCheckedUp_orWhileSwitchingOrRepairing_changesNothing() {
    state = policy.initial(0, 0);
    at(10, UP);
    PolicyState before = state;
    assertThat(at(12, new Input.StackChecked(List.of(), null))).isEmpty();
    assertThat(state).isEqualTo(before);

    state = policy.start(0, 0, false).next(); // the first start is a switch onto the region
    assertThat(at(3, STOPPED)).isEmpty();
    assertThat(state.phase()).isInstanceOf(State.Switching.class);

    state = policy.initial(0, 0);
    at(5, STOPPED);
    PolicyState repairing = state;
    assertThat(at(6, STOPPED)).as("one repair at a time").isEmpty();
    assertThat(state).isEqualTo(repairing);
  }

  @Test
  void healthyProbeWhileRepairing_doesNotEndTheRepair() {
    state = policy.initial(0, 0);
    at(5, STOPPED);
    at(10, UP);
    assertThat(state.phase()).isInstanceOf(State.Repairing.class);
  }
}
