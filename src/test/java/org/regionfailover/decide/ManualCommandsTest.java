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
 * Operators' commands (move, fail-back, hold, release) and manual fail-back, in zero wall
 * time with the default rules: probes every 10 s, threshold 4 min, direct probes every
 * 30 s, budget 3/1h, fail-back after 10 min.
 */
class ManualCommandsTest {
  private static final long S = 1_000_000_000L;
  private static final List<Region> ORDER = List.of(new Region("EU", "cloud.eu.ext.com"),
      new Region("NAM", "cloud.nam.ext.com"), new Region("APAC", "cloud.apac.ext.com"));
  private static final ProbeResult FAIL = ProbeResult.failed(5000, "status 503");
  private static final ProbeResult OK = ProbeResult.healthy(12, 200);
  private static final Operator ANNA = new Operator("anna", "127.0.0.1");

  private FailoverPolicy policy = policy(FailbackMode.AUTO);
  private PolicyState state = policy.initial(0, 0);
  private final List<Decision> decisions = new ArrayList<>();

  private static FailoverPolicy policy(FailbackMode failback) {
    return new FailoverPolicy(ORDER, new PolicySettings(Duration.ofSeconds(10),
        Duration.ofMinutes(4), Duration.ofSeconds(30), 0.8, failback, Duration.ofMinutes(10), 3,
        Duration.ofHours(1), null, null));
  }

  private void at(long seconds, Input input) {
    Transition t = policy.decide(state, input, seconds * S);
    state = t.next();
    decisions.addAll(t.decisions());
  }

  private void direct(long t, ProbeResult eu, ProbeResult nam, ProbeResult apac) {
    at(t, new Input.RegionProbed(0, eu));
    at(t, new Input.RegionProbed(1, nam));
    at(t, new Input.RegionProbed(2, apac));
  }

  private void settle(long t) {
    if (state.phase() instanceof State.Switching s) {
      at(t, new Input.SwitchDone(s.target()));
    }
  }

  private <D extends Decision> List<D> all(Class<D> kind) {
    return decisions.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  private Decision.ManualCommand lastAnswer() {
    List<Decision.ManualCommand> answers = all(Decision.ManualCommand.class);
    return answers.get(answers.size() - 1);
  }

  /** Runs from {@code from} to {@code to} seconds: EU's chain as given, direct probes as given. */
  private void run(long from, long to, ProbeResult euChain, ProbeResult eu, ProbeResult nam) {
    for (long t = from; t <= to; t += 10) {
      if (t % 30 == 0) {
        direct(t, eu, nam, OK);
      }
      at(t, new Input.Probed(state.active(), state.active() == 0 ? euChain : OK));
      settle(t);
    }
  }

  @Test
  void move_toAHealthyRegion_switchesCountedInTheBudgetAndClearsTheChain() {
    run(0, 60, OK, OK, OK);
    at(65, new Input.MoveCommand(1, false, "region", ANNA));
    assertThat(lastAnswer().accepted()).isTrue();
    assertThat(all(Decision.ManualMove.class)).singleElement()
        .satisfies(m -> assertThat(m.to().name()).isEqualTo("NAM"));
    assertThat(state.phase()).isInstanceOf(State.Switching.class);
    assertThat(state.history().size()).isEqualTo(1);
    settle(66);
    assertThat(state.active()).isEqualTo(1);
  }

  @Test
  void move_notLimitedByAnExhaustedBudget() {
    run(0, 30, OK, OK, OK);
    for (int i = 0; i < 4; i++) {
      at(40 + i, new Input.MoveCommand(i % 2 == 0 ? 1 : 0, false, "region", ANNA));
      settle(40 + i);
    }
    assertThat(all(Decision.ManualMove.class)).hasSize(4);
    assertThat(policy.budget(state, 45 * S).used()).isEqualTo(4);
    assertThat(policy.budget(state, 45 * S).freeIn()).isEqualTo(Duration.ofSeconds(3600 - 5));
  }

  @Test
  void move_toARegionDownOnItsDirectProbe_refusedUnlessForced() {
    run(0, 60, OK, OK, FAIL);
    at(65, new Input.MoveCommand(1, false, "region", ANNA));
    assertThat(lastAnswer().accepted()).isFalse();
    assertThat(lastAnswer().outcome()).contains("NAM is down on its direct probe (status 503)")
        .contains("force=true");
    assertThat(state.phase()).isInstanceOf(State.Watching.class);
    at(66, new Input.MoveCommand(1, true, "region", ANNA));
    assertThat(lastAnswer().accepted()).isTrue();
    assertThat(all(Decision.ManualMove.class)).singleElement()
        .satisfies(m -> assertThat(m.force()).isTrue());
  }

  @Test
  void move_refusedOntoTheActiveRegionAndWhileSwitching() {
    run(0, 30, OK, OK, OK);
    at(35, new Input.MoveCommand(0, false, "failback", ANNA));
    assertThat(lastAnswer().outcome()).isEqualTo("the host is already on EU");
    at(36, new Input.MoveCommand(1, false, "region", ANNA));
    at(37, new Input.MoveCommand(2, false, "region", ANNA));
    assertThat(lastAnswer().accepted()).isFalse();
    assertThat(lastAnswer().outcome()).contains("a switch to NAM is in progress");
    assertThat(all(Decision.ManualMove.class)).hasSize(1);
  }

  @Test
  void hold_blocksTheFailoverThatWouldHappen_reportedOnce_releaseLetsItHappen() {
    run(0, 30, OK, OK, OK);
    at(35, new Input.HoldCommand(null, "maintenance on the tunnel", ANNA));
    run(40, 40 + 600, FAIL, FAIL, OK);
    assertThat(all(Decision.FailOver.class)).isEmpty();
    assertThat(all(Decision.HeldBack.class)).singleElement()
        .satisfies(h -> assertThat(h.transition()).isEqualTo("failover"));
    assertThat(state.active()).isZero();
    at(645, new Input.ReleaseCommand(ANNA));
    assertThat(all(Decision.HoldEnded.class)).singleElement()
        .satisfies(e -> assertThat(e.by()).isEqualTo(ANNA));
    run(650, 650, FAIL, FAIL, OK);
    assertThat(all(Decision.FailOver.class)).singleElement()
        .satisfies(f -> assertThat(f.to().name()).isEqualTo("NAM"));
  }

  @Test
  void hold_blocksRepairInPlaceToo() {
    run(0, 30, OK, OK, OK);
    at(35, new Input.HoldCommand(null, "x", ANNA));
    run(40, 400, FAIL, OK, OK);
    assertThat(all(Decision.RepairInPlace.class)).isEmpty();
    assertThat(all(Decision.HeldBack.class)).singleElement()
        .satisfies(h -> assertThat(h.transition()).isEqualTo("repair"));
  }

  @Test
  void hold_withADuration_expiresAtTheFirstInputAfterItsEnd_thenTheFailoverHappens() {
    run(0, 30, OK, OK, OK);
    at(35, new Input.HoldCommand(Duration.ofMinutes(30), "x", ANNA));
    run(40, 35 + 1790, FAIL, FAIL, OK);
    assertThat(all(Decision.FailOver.class)).isEmpty();
    assertThat(state.held()).isTrue();
    run(1830, 1840, FAIL, FAIL, OK);
    assertThat(all(Decision.HoldEnded.class)).singleElement()
        .satisfies(e -> {
          assertThat(e.by()).isNull();
          assertThat(e.held()).isEqualTo(Duration.ofSeconds(1840 - 35));
        });
    assertThat(state.held()).isFalse();
    assertThat(all(Decision.FailOver.class)).hasSize(1);
  }

  @Test
  void hold_doesNotBlockAnOperatorsMove() {
    run(0, 30, OK, OK, OK);
    at(35, new Input.HoldCommand(null, "x", ANNA));
    at(36, new Input.MoveCommand(2, false, "region", ANNA));
    assertThat(lastAnswer().accepted()).isTrue();
    assertThat(state.held()).isTrue();
  }

  @Test
  void release_withoutAHold_isRefused() {
    at(1, new Input.ReleaseCommand(ANNA));
    assertThat(lastAnswer().accepted()).isFalse();
    assertThat(lastAnswer().outcome()).isEqualTo("the host is not held");
  }

  @Test
  void hold_blocksAutomaticFailback() {
    run(0, 30, OK, OK, OK);
    run(40, 300, FAIL, FAIL, OK);
    assertThat(state.active()).isEqualTo(1);
    at(305, new Input.HoldCommand(null, "x", ANNA));
    run(310, 3 * 3600, OK, OK, OK);
    assertThat(all(Decision.FailBack.class)).isEmpty();
    assertThat(all(Decision.HeldBack.class)).singleElement()
        .satisfies(h -> assertThat(h.transition()).isEqualTo("failback"));
  }

  @Test
  void manualFailback_staysAndReportsWaitingOnce_untilAnOperatorMoves() {
    policy = policy(FailbackMode.MANUAL);
    state = policy.initial(0, 0);
    run(0, 30, OK, OK, OK);
    run(40, 300, FAIL, FAIL, OK);
    assertThat(state.active()).isEqualTo(1);
    assertThat(policy.failback(state, 300 * S).waiting()).isFalse();
    run(310, 3 * 3600, OK, OK, OK);
    assertThat(all(Decision.FailBack.class)).isEmpty();
    assertThat(all(Decision.FailbackWaiting.class)).singleElement()
        .satisfies(w -> assertThat(w.to().name()).isEqualTo("EU"));
    PolicyStatus.Failback f = policy.failback(state, 3 * 3600 * S);
    assertThat(f.waiting()).isTrue();
    assertThat(f.target()).isZero();
    at(3 * 3600 + 1, new Input.MoveCommand(0, false, "failback", ANNA));
    settle(3 * 3600 + 2);
    assertThat(state.active()).isZero();
    assertThat(policy.failback(state, (3 * 3600 + 2) * S).waiting()).isFalse();
  }

  @Test
  void autoFailback_statusCountsDownToTheFailback() {
    run(0, 30, OK, OK, OK);
    run(40, 300, FAIL, FAIL, OK);
    run(310, 330, OK, OK, OK); // EU back at 330 s on its direct probe
    PolicyStatus.Failback f = policy.failback(state, 330 * S);
    assertThat(f.target()).isZero();
    assertThat(f.in()).isEqualTo(Duration.ofMinutes(10));
    run(340, 929, OK, OK, OK);
    assertThat(all(Decision.FailBack.class)).isEmpty();
    assertThat(policy.failback(state, 920 * S).in()).isEqualTo(Duration.ofSeconds(10));
    run(930, 930, OK, OK, OK);
    assertThat(all(Decision.FailBack.class)).hasSize(1);
  }

  /** Campaign finding 8: a deliberate move was announced as a fail-back waiting at once. */
  @Test
  void manualFailback_aDeliberateMoveIsNotAnnouncedAsAFailbackToMake() {
    policy = policy(FailbackMode.MANUAL);
    state = policy.initial(0, 0);
    run(0, 30, OK, OK, OK);
    at(35, new Input.MoveCommand(1, false, "region", ANNA));
    settle(36);
    run(40, 3 * 3600, OK, OK, OK);
    assertThat(state.active()).isEqualTo(1);
    assertThat(all(Decision.FailbackWaiting.class)).isEmpty();
    assertThat(policy.failback(state, 3 * 3600 * S).waiting()).isFalse();
  }

  /**
   * Campaign finding 1: after a restart with a transition older than the fail-back time on
   * record, on the third region, before any direct probe: every input threw (the fail-back
   * rule read the last direct probe of a region never probed), so the loop lost them all.
   */
  @Test
  void restartOnTheThirdRegionWithAnOldTransition_inputsBeforeAnyDirectProbe_areHandled() {
    for (FailbackMode mode : FailbackMode.values()) {
      policy = policy(mode);
      long start = 3600 * S;
      state = policy.initial(2, start, TransitionHistory.of(start - 1800 * S));
      Transition t = policy.decide(state, new Input.Probed(2, OK), start + S);
      assertThat(t.next().phase()).isInstanceOf(State.Watching.class);
      t = policy.decide(t.next(), new Input.RegionProbed(2, OK), start + 2 * S);
      t = policy.decide(t.next(), new Input.RegionProbed(0, OK), start + 3 * S);
      assertThat(t.next().regions().health(0, start + 3 * S))
          .isEqualTo(RegionView.Health.UP);
    }
  }
}
