package org.regionfailover.decide.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.decide.fleet.FleetSteps.S;
import static org.regionfailover.decide.fleet.FleetSteps.host;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.FailoverList;
import org.regionfailover.config.MaintenanceWindow;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.config.Quorum;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.RegionView.Health;
import org.regionfailover.decide.Transition;

/** The fleet's decider plans the move ahead of a maintenance window once, for every host. */
class FleetMaintenanceTest {
  private static final List<Region> ORDER = FailoverList.parse("list",
      "EU=cloud.eu.ext.com,NAM=cloud.nam.ext.com,APAC=cloud.apac.ext.com").regions();
  private static final Instant T0 = Instant.parse("2026-12-01T01:00:00Z");
  private final FleetPolicy policy = new FleetPolicy(ORDER, new PolicySettings(
      Duration.ofSeconds(10), Duration.ofMinutes(4), Duration.ofSeconds(30), 1.0,
      FailbackMode.AUTO, Duration.ofMinutes(10), 3, Duration.ofHours(1), null, null),
      Quorum.MAJORITY);

  @Test
  void theDeciderMovesTheFleetOnceWithinTheLead_andNeverBackDuringTheWindow() {
    List<SeenView> healthy = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      healthy.add(host("h" + i, "EU", -1, Health.UP, Health.UP, Health.UP));
    }
    PolicyState state = policy.resume(0, new long[0], null, List.of(), 0);
    MaintenanceWindow w = new MaintenanceWindow("EU", T0.plusSeconds(900),
        Duration.ofMinutes(30), "cloud maintenance");
    state = policy.schedule(state, new Input.MaintenanceSchedule(List.of(w),
        Duration.ofMinutes(10)), 0, T0).next();
    List<Decision> all = new ArrayList<>();
    List<Long> movedAt = new ArrayList<>();
    for (long t = 10; t <= 1800; t += 10) {
      Transition step = policy.decide(state, healthy, t * S, T0.plusSeconds(t));
      state = step.next();
      all.addAll(step.decisions());
      for (Decision d : step.decisions()) {
        if (d.accept(new IsPlanned())) {
          movedAt.add(t);
          state = policy.done(state, 1, t * S).next();
        }
      }
    }

    assertThat(movedAt).containsExactly(300L);
    assertThat(all).noneMatch(d -> d.accept(new IsMove()));
    assertThat(state.active()).isEqualTo(1);
  }

  /** Whether a decision is the planned move. */
  private static final class IsPlanned extends Kinds {
    @Override public Boolean plannedMove(Decision.PlannedMove d) { return true; }
  }

  /** Whether a decision is another move (a failover or a fail-back). */
  private static final class IsMove extends Kinds {
    @Override public Boolean failOver(Decision.FailOver d) { return true; }
    @Override public Boolean failBack(Decision.FailBack d) { return true; }
  }

  private abstract static class Kinds implements Decision.Visitor<Boolean> {
    @Override public Boolean probeSeen(Decision.ProbeSeen d) { return false; }
    @Override public Boolean switchPending(Decision.SwitchPending d) { return false; }
    @Override public Boolean outageStarted(Decision.OutageStarted d) { return false; }
    @Override public Boolean outageEnded(Decision.OutageEnded d) { return false; }
    @Override public Boolean failOver(Decision.FailOver d) { return false; }
    @Override public Boolean failoverBlocked(Decision.FailoverBlocked d) { return false; }
    @Override public Boolean failBack(Decision.FailBack d) { return false; }
    @Override public Boolean repairInPlace(Decision.RepairInPlace d) { return false; }
    @Override public Boolean repairAbandoned(Decision.RepairAbandoned d) { return false; }
    @Override public Boolean regionProbeSeen(Decision.RegionProbeSeen d) { return false; }
    @Override public Boolean trafficSeen(Decision.TrafficSeen d) { return false; }
    @Override public Boolean regionProbeUnusable(Decision.RegionProbeUnusable d) {
      return false;
    }
    @Override public Boolean switchCompleted(Decision.SwitchCompleted d) { return false; }
    @Override public Boolean switchAbandoned(Decision.SwitchAbandoned d) { return false; }
    @Override public Boolean startStack(Decision.StartStack d) { return false; }
    @Override public Boolean repairStack(Decision.RepairStack d) { return false; }
    @Override public Boolean stackRepaired(Decision.StackRepaired d) { return false; }
    @Override public Boolean lateProbe(Decision.LateProbe d) { return false; }
    @Override public Boolean manualCommand(Decision.ManualCommand d) { return false; }
    @Override public Boolean manualMove(Decision.ManualMove d) { return false; }
    @Override public Boolean holdStarted(Decision.HoldStarted d) { return false; }
    @Override public Boolean holdEnded(Decision.HoldEnded d) { return false; }
    @Override public Boolean failbackWaiting(Decision.FailbackWaiting d) { return false; }
    @Override public Boolean heldBack(Decision.HeldBack d) { return false; }
    @Override public Boolean plannedMove(Decision.PlannedMove d) { return false; }
    @Override public Boolean maintenanceNotice(Decision.MaintenanceNotice d) { return false; }
  }
}
