package org.regionfailover.decide.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.FailoverList;
import org.regionfailover.config.Quorum;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Budget;
import org.regionfailover.decide.RegionView.Health;

/** The fleet's rules on plain numbers, in zero wall time. */
class FleetPolicyTest {
  private static final long S = 1_000_000_000L;
  private static final List<Region> ORDER = FailoverList.parse("list",
      "EU=cloud.eu.ext.com,NAM=cloud.nam.ext.com,APAC=cloud.apac.ext.com").regions();
  private static final Duration THRESHOLD = Duration.ofMinutes(4);

  private final FleetPolicy policy = new FleetPolicy(ORDER, THRESHOLD, Quorum.MAJORITY,
      FailbackMode.AUTO, Duration.ofMinutes(10), new Budget(3, Duration.ofHours(1)));

  /** A host on {@code region}, down for {@code downS} seconds at write time 0 (-1: up). */
  private static SeenView host(String id, String region, long downS, Health eu, Health nam,
      Health apac) {
    return new SeenView(new HostView(id, region, downS < 0 ? "watching" : "down",
        downS < 0 ? -1 : downS * 1000, Map.of("EU", eu, "NAM", nam, "APAC", apac), 0), 0);
  }

  private static List<SeenView> fleet(int down, int up, Health euDirect) {
    List<SeenView> v = new ArrayList<>();
    for (int i = 0; i < down; i++) {
      v.add(host("d" + i, "EU", 0, euDirect, Health.UP, Health.UP));
    }
    for (int i = 0; i < up; i++) {
      v.add(host("u" + i, "EU", -1, euDirect, Health.UP, Health.UP));
    }
    return v;
  }

  @Test
  void aMinorityDownForTheThresholdMovesNobody() {
    FleetState s = FleetState.of(0, 3, new long[0], null);
    FleetPolicy.Step step = policy.decide(s, fleet(2, 3, Health.DOWN), 300 * S);
    assertThat(step.proposal()).isNull();
  }

  @Test
  void aMajorityDownForTheThresholdMovesTheFleetToTheNextRegion() {
    FleetState s = FleetState.of(0, 3, new long[0], null);
    List<SeenView> views = fleet(3, 2, Health.DOWN);
    assertThat(policy.decide(s, views, 239 * S).proposal()).as("just below").isNull();
    FleetPolicy.Step step = policy.decide(s, views, 240 * S);
    assertThat(step.proposal().target()).isEqualTo(1);
    assertThat(step.proposal().kind()).isEqualTo("failover");
    assertThat(step.proposal().reason()).contains("3 of 5 live hosts");
    assertThat(step.next().active()).isEqualTo(1);
    assertThat(step.next().history()).containsExactly(240 * S);
  }

  @Test
  void theOutageOfAViewGrowsAfterItWasWritten() {
    // Written 100 s in at 0 down-seconds: at 340 s it has been down 240 s.
    SeenView late = new SeenView(new HostView("a", "EU", "down", 0,
        Map.of("EU", Health.DOWN), 0), 100 * S);
    assertThat(late.downFor(340 * S)).isEqualTo(240 * S);
    assertThat(host("b", "EU", -1, Health.UP, Health.UP, Health.UP).downFor(340 * S))
        .isEqualTo(-1);
  }

  @Test
  void preflightPassesOverARegionMostHostsSeeDown() {
    FleetState s = FleetState.of(0, 3, new long[0], null);
    List<SeenView> views = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      views.add(host("h" + i, "EU", 0, Health.DOWN, Health.DOWN, Health.UP));
    }
    FleetPolicy.Step step = policy.decide(s, views, 240 * S);
    assertThat(step.proposal().target()).isEqualTo(2);
    assertThat(step.proposal().reason()).contains("NAM: down");
  }

  @Test
  void everyOtherRegionDownIsReportedOnceAndNothingMoves() {
    FleetState s = FleetState.of(0, 3, new long[0], null);
    List<SeenView> views = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      views.add(host("h" + i, "EU", 0, Health.DOWN, Health.DOWN, Health.DOWN));
    }
    FleetPolicy.Step first = policy.decide(s, views, 240 * S);
    assertThat(first.proposal()).isNull();
    assertThat(first.report().event()).isEqualTo("fleet_failover_blocked");
    FleetPolicy.Step again = policy.decide(first.next(), views, 250 * S);
    assertThat(again.report()).as("reported once").isNull();
  }

  @Test
  void theFleetsBudgetBlocksAFourthTransitionInTheHour() {
    FleetState s = FleetState.of(0, 3, new long[] {100 * S, 200 * S, 300 * S}, null);
    FleetPolicy.Step step = policy.decide(s, fleet(3, 0, Health.DOWN), 1000 * S);
    assertThat(step.proposal()).isNull();
    assertThat(step.report().message()).contains("budget");
  }

  @Test
  void aHoldKeepsTheFleetAndReleaseLetsItGo() {
    FleetState s = FleetState.of(0, 3, new long[0], null);
    FleetCommand hold = new FleetCommand("1", "hold", -1, false, Duration.ofMinutes(30),
        "maintenance", "alice", "10.0.0.1", "h1");
    FleetPolicy.Answer held = policy.command(s, hold, List.of(), 0);
    assertThat(held.accepted()).isTrue();
    FleetPolicy.Step step = policy.decide(held.step().next(), fleet(3, 0, Health.DOWN), 240 * S);
    assertThat(step.proposal()).isNull();
    assertThat(step.report().event()).isEqualTo("fleet_transition_held");
    FleetPolicy.Step after = policy.decide(step.next(), fleet(3, 0, Health.DOWN), 1801 * S);
    assertThat(after.proposal()).as("the hold ran out at 30 min").isNotNull();
  }

  @Test
  void anOperatorsMoveIsCheckedAgainstTheFleetsViews() {
    FleetState s = FleetState.of(0, 3, new long[0], null);
    List<SeenView> views = List.of(host("h1", "EU", -1, Health.UP, Health.DOWN, Health.UP),
        host("h2", "EU", -1, Health.UP, Health.DOWN, Health.UP));
    FleetCommand toNam = new FleetCommand("1", "region", 1, false, null, null, "bob", "::1",
        "h1");
    assertThat(policy.command(s, toNam, views, 0).accepted()).isFalse();
    FleetCommand forced = new FleetCommand("2", "region", 1, true, null, null, "bob", "::1",
        "h1");
    FleetPolicy.Answer a = policy.command(s, forced, views, 0);
    assertThat(a.accepted()).isTrue();
    assertThat(a.step().proposal().target()).isEqualTo(1);
    FleetCommand same = new FleetCommand("3", "region", 0, true, null, null, "bob", "::1",
        "h1");
    assertThat(policy.command(s, same, views, 0).outcome()).contains("already on EU");
  }

  @Test
  void theFleetFailsBackOnceAnEarlierRegionHasBeenUpForAQuorumForTheFailbackTime() {
    FleetState s = FleetState.of(1, 3, new long[] {0}, null);
    List<SeenView> views = List.of(host("h1", "NAM", -1, Health.UP, Health.UP, Health.UP),
        host("h2", "NAM", -1, Health.UP, Health.UP, Health.UP),
        host("h3", "NAM", -1, Health.DOWN, Health.UP, Health.UP));
    FleetPolicy.Step first = policy.decide(s, views, 60 * S);
    assertThat(first.proposal()).isNull();
    assertThat(policy.decide(first.next(), views, 659 * S).proposal()).isNull();
    FleetPolicy.Step back = policy.decide(first.next(), views, 660 * S);
    assertThat(back.proposal().target()).isZero();
    assertThat(back.proposal().kind()).isEqualTo("failback");
  }

  @Test
  void quorumKinds() {
    assertThat(Quorum.MAJORITY.required(5)).isEqualTo(3);
    assertThat(Quorum.MAJORITY.required(4)).isEqualTo(3);
    assertThat(Quorum.parse("60%").required(5)).isEqualTo(3);
    assertThat(Quorum.parse("60%").required(1)).isEqualTo(1);
    assertThat(Quorum.parse("2").required(100)).isEqualTo(2);
    assertThat(Quorum.parse("majority").toString()).isEqualTo("majority");
  }
}
