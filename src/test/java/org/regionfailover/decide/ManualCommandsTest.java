package org.regionfailover.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.DecideHarness.OK;
import static org.regionfailover.DecideHarness.S;
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
 * Operators' commands (move, fail-back, hold, release) and manual fail-back, in zero wall
 * time with the default rules: probes every 10 s, threshold 4 min, direct probes every
 * 30 s, budget 3/1h, fail-back after 10 min.
 */
class ManualCommandsTest {
  private static final ProbeResult FAIL = ProbeResult.failed(5000, "status 503");
  private static final Operator ANNA = new Operator("anna", "127.0.0.1");

  private DecideHarness host = new DecideHarness(policy(FailbackMode.AUTO), 0, 0);

  private static FailoverPolicy policy(FailbackMode failback) {
    return new FailoverPolicy(ORDER, DecideHarness.defaults(failback));
  }

  private Decision.ManualCommand lastAnswer() {
    List<Decision.ManualCommand> answers = host.all(Decision.ManualCommand.class);
    return answers.get(answers.size() - 1);
  }

  /** Runs from {@code from} to {@code to} seconds: EU's chain as given, direct probes as given. */
  private void run(long from, long to, ProbeResult euChain, ProbeResult eu, ProbeResult nam) {
    for (long t = from; t <= to; t += 10) {
      if (t % 30 == 0) {
        host.direct(t, eu, nam, OK);
      }
      host.chain(t, host.state().active() == 0 ? euChain : OK);
      host.settle(t);
    }
  }

  @Test
  void move_toAHealthyRegion_switchesCountedInTheBudgetAndClearsTheChain() {
    run(0, 60, OK, OK, OK);
    host.at(65, new Input.MoveCommand(1, false, "region", ANNA));
    assertThat(lastAnswer().accepted()).isTrue();
    assertThat(host.all(Decision.ManualMove.class)).singleElement()
        .satisfies(m -> assertThat(m.to().name()).isEqualTo("NAM"));
    assertThat(host.state().phase()).isInstanceOf(State.Switching.class);
    assertThat(host.state().history().size()).isEqualTo(1);
    host.settle(66);
    assertThat(host.state().active()).isEqualTo(1);
  }

  @Test
  void move_notLimitedByAnExhaustedBudget() {
    run(0, 30, OK, OK, OK);
    for (int i = 0; i < 4; i++) {
      host.at(40 + i, new Input.MoveCommand(i % 2 == 0 ? 1 : 0, false, "region", ANNA));
      host.settle(40 + i);
    }
    assertThat(host.all(Decision.ManualMove.class)).hasSize(4);
    assertThat(host.policy().budget(host.state(), 45 * S).used()).isEqualTo(4);
    assertThat(host.policy().budget(host.state(), 45 * S).freeIn()).isEqualTo(Duration.ofSeconds(3600 - 5));
  }

  @Test
  void move_toARegionDownOnItsDirectProbe_refusedUnlessForced() {
    run(0, 60, OK, OK, FAIL);
    host.at(65, new Input.MoveCommand(1, false, "region", ANNA));
    assertThat(lastAnswer().accepted()).isFalse();
    assertThat(lastAnswer().outcome()).contains("NAM is down on its direct probe (status 503)")
        .contains("force=true");
    assertThat(host.state().phase()).isInstanceOf(State.Watching.class);
    host.at(66, new Input.MoveCommand(1, true, "region", ANNA));
    assertThat(lastAnswer().accepted()).isTrue();
    assertThat(host.all(Decision.ManualMove.class)).singleElement()
        .satisfies(m -> assertThat(m.force()).isTrue());
  }

  @Test
  void move_refusedOntoTheActiveRegionAndWhileSwitching() {
    run(0, 30, OK, OK, OK);
    host.at(35, new Input.MoveCommand(0, false, "failback", ANNA));
    assertThat(lastAnswer().outcome()).isEqualTo("the host is already on EU");
    host.at(36, new Input.MoveCommand(1, false, "region", ANNA));
    host.at(37, new Input.MoveCommand(2, false, "region", ANNA));
    assertThat(lastAnswer().accepted()).isFalse();
    assertThat(lastAnswer().outcome()).contains("a switch to NAM is in progress");
    assertThat(host.all(Decision.ManualMove.class)).hasSize(1);
  }

  @Test
  void hold_blocksTheFailoverThatWouldHappen_reportedOnce_releaseLetsItHappen() {
    run(0, 30, OK, OK, OK);
    host.at(35, new Input.HoldCommand(null, "maintenance on the tunnel", ANNA));
    run(40, 40 + 600, FAIL, FAIL, OK);
    assertThat(host.all(Decision.FailOver.class)).isEmpty();
    assertThat(host.all(Decision.HeldBack.class)).singleElement()
        .satisfies(h -> assertThat(h.transition()).isEqualTo("failover"));
    assertThat(host.state().active()).isZero();
    host.at(645, new Input.ReleaseCommand(ANNA));
    assertThat(host.all(Decision.HoldEnded.class)).singleElement()
        .satisfies(e -> assertThat(e.by()).isEqualTo(ANNA));
    run(650, 650, FAIL, FAIL, OK);
    assertThat(host.all(Decision.FailOver.class)).singleElement()
        .satisfies(f -> assertThat(f.to().name()).isEqualTo("NAM"));
  }

  @Test
  void hold_blocksRepairInPlaceToo() {
    run(0, 30, OK, OK, OK);
    host.at(35, new Input.HoldCommand(null, "x", ANNA));
    run(40, 400, FAIL, OK, OK);
    assertThat(host.all(Decision.RepairInPlace.class)).isEmpty();
    assertThat(host.all(Decision.HeldBack.class)).singleElement()
        .satisfies(h -> assertThat(h.transition()).isEqualTo("repair"));
  }

  @Test
  void hold_withADuration_expiresAtTheFirstInputAfterItsEnd_thenTheFailoverHappens() {
    run(0, 30, OK, OK, OK);
    host.at(35, new Input.HoldCommand(Duration.ofMinutes(30), "x", ANNA));
    run(40, 35 + 1790, FAIL, FAIL, OK);
    assertThat(host.all(Decision.FailOver.class)).isEmpty();
    assertThat(host.state().held()).isTrue();
    run(1830, 1840, FAIL, FAIL, OK);
    assertThat(host.all(Decision.HoldEnded.class)).singleElement()
        .satisfies(e -> {
          assertThat(e.by()).isNull();
          assertThat(e.held()).isEqualTo(Duration.ofSeconds(1840 - 35));
        });
    assertThat(host.state().held()).isFalse();
    assertThat(host.all(Decision.FailOver.class)).hasSize(1);
  }

  @Test
  void hold_doesNotBlockAnOperatorsMove() {
    run(0, 30, OK, OK, OK);
    host.at(35, new Input.HoldCommand(null, "x", ANNA));
    host.at(36, new Input.MoveCommand(2, false, "region", ANNA));
    assertThat(lastAnswer().accepted()).isTrue();
    assertThat(host.state().held()).isTrue();
  }

  @Test
  void release_withoutAHold_isRefused() {
    host.at(1, new Input.ReleaseCommand(ANNA));
    assertThat(lastAnswer().accepted()).isFalse();
    assertThat(lastAnswer().outcome()).isEqualTo("the host is not held");
  }

  @Test
  void hold_blocksAutomaticFailback() {
    run(0, 30, OK, OK, OK);
    run(40, 300, FAIL, FAIL, OK);
    assertThat(host.state().active()).isEqualTo(1);
    host.at(305, new Input.HoldCommand(null, "x", ANNA));
    run(310, 3 * 3600, OK, OK, OK);
    assertThat(host.all(Decision.FailBack.class)).isEmpty();
    assertThat(host.all(Decision.HeldBack.class)).singleElement()
        .satisfies(h -> assertThat(h.transition()).isEqualTo("failback"));
  }

  @Test
  void manualFailback_staysAndReportsWaitingOnce_untilAnOperatorMoves() {
    host = new DecideHarness(policy(FailbackMode.MANUAL), 0, 0);
    run(0, 30, OK, OK, OK);
    run(40, 300, FAIL, FAIL, OK);
    assertThat(host.state().active()).isEqualTo(1);
    assertThat(host.policy().failback(host.state(), 300 * S).waiting()).isFalse();
    run(310, 3 * 3600, OK, OK, OK);
    assertThat(host.all(Decision.FailBack.class)).isEmpty();
    assertThat(host.all(Decision.FailbackWaiting.class)).singleElement()
        .satisfies(w -> assertThat(w.to().name()).isEqualTo("EU"));
    PolicyStatus.Failback f = host.policy().failback(host.state(), 3 * 3600 * S);
    assertThat(f.waiting()).isTrue();
    assertThat(f.target()).isZero();
    host.at(3 * 3600 + 1, new Input.MoveCommand(0, false, "failback", ANNA));
    host.settle(3 * 3600 + 2);
    assertThat(host.state().active()).isZero();
    assertThat(host.policy().failback(host.state(), (3 * 3600 + 2) * S).waiting()).isFalse();
  }

  @Test
  void autoFailback_statusCountsDownToTheFailback() {
    run(0, 30, OK, OK, OK);
    run(40, 300, FAIL, FAIL, OK);
    run(310, 330, OK, OK, OK); // EU back at 330 s on its direct probe
    PolicyStatus.Failback f = host.policy().failback(host.state(), 330 * S);
    assertThat(f.target()).isZero();
    assertThat(f.in()).isEqualTo(Duration.ofMinutes(10));
    run(340, 929, OK, OK, OK);
    assertThat(host.all(Decision.FailBack.class)).isEmpty();
    assertThat(host.policy().failback(host.state(), 920 * S).in()).isEqualTo(Duration.ofSeconds(10));
    run(930, 930, OK, OK, OK);
    assertThat(host.all(Decision.FailBack.class)).hasSize(1);
  }

  /** Campaign finding 8: a deliberate move was announced as a fail-back waiting at once. */
  @Test
  void manualFailback_aDeliberateMoveIsNotAnnouncedAsAFailbackToMake() {
    host = new DecideHarness(policy(FailbackMode.MANUAL), 0, 0);
    run(0, 30, OK, OK, OK);
    host.at(35, new Input.MoveCommand(1, false, "region", ANNA));
    host.settle(36);
    run(40, 3 * 3600, OK, OK, OK);
    assertThat(host.state().active()).isEqualTo(1);
    assertThat(host.all(Decision.FailbackWaiting.class)).isEmpty();
    assertThat(host.policy().failback(host.state(), 3 * 3600 * S).waiting()).isFalse();
  }

  /**
   * Campaign finding 1: after a restart with a transition older than the fail-back time on
   * record, on the third region, before any direct probe: every input threw (the fail-back
   * rule read the last direct probe of a region never probed), so the loop lost them all.
   */
  @Test
  void restartOnTheThirdRegionWithAnOldTransition_inputsBeforeAnyDirectProbe_areHandled() {
    for (FailbackMode mode : FailbackMode.values()) {
      FailoverPolicy policy = policy(mode);
      long start = 3600 * S;
      PolicyState state = policy.initial(2, start, TransitionHistory.of(start - 1800 * S));
      Transition t = policy.decide(state, new Input.Probed(2, OK), start + S);
      assertThat(t.next().phase()).isInstanceOf(State.Watching.class);
      t = policy.decide(t.next(), new Input.RegionProbed(2, OK), start + 2 * S);
      t = policy.decide(t.next(), new Input.RegionProbed(0, OK), start + 3 * S);
      assertThat(t.next().regions().health(0, start + 3 * S))
          .isEqualTo(RegionView.Health.UP);
    }
  }
}
