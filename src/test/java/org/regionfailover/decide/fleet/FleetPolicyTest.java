package org.regionfailover.decide.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.decide.fleet.FleetSteps.S;
import static org.regionfailover.decide.fleet.FleetSteps.host;
import static org.regionfailover.decide.fleet.FleetSteps.hosts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.FailoverList;
import org.regionfailover.config.Quorum;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Operator;
import org.regionfailover.decide.Budget;
import org.regionfailover.decide.RegionView.Health;

/** The fleet's rules (the host's own, over the fleet's view) on plain numbers, in zero wall time. */
class FleetPolicyTest {
  private static final List<Region> ORDER = FailoverList.parse("list",
      "EU=cloud.eu.ext.com,NAM=cloud.nam.ext.com,APAC=cloud.apac.ext.com").regions();
  private static final Operator BOB = new Operator("bob", "::1");

  private final FleetPolicy policy = threshold(Duration.ofMinutes(4));

  /** The fleet's rules with an outage threshold of {@code threshold}, the rest as above. */
  private static FleetPolicy threshold(Duration threshold) {
    return new FleetPolicy(ORDER, new PolicySettings(Duration.ofSeconds(10), threshold,
        Duration.ofSeconds(30), 1.0, FailbackMode.AUTO, Duration.ofMinutes(10), 3,
        Duration.ofHours(1), null, null), Quorum.MAJORITY);
  }

  private FleetSteps on(int active, long... history) {
    return new FleetSteps(policy, policy.resume(active, history, null, List.of(), 0));
  }

  /** {@code down} hosts on EU failing since 0, {@code up} fine; EU direct as given. */
  private static List<SeenView> fleet(int down, int up, Health euDirect) {
    List<SeenView> v = new ArrayList<>(hosts(down, "EU", true, euDirect, Health.UP));
    for (int i = 0; i < up; i++) {
      v.add(host("u" + i, "EU", -1, euDirect, Health.UP, Health.UP));
    }
    return v;
  }

  @Test
  void aMinorityFailingForTheThresholdMovesNobody() {
    FleetSteps f = on(0);
    assertThat(f.run(0, 600, fleet(2, 3, Health.DOWN))).isEmpty();
  }

  @Test
  void aMajorityFailingForTheThresholdIsAFailoverToTheNextRegion() {
    FleetSteps f = on(0);
    assertThat(f.run(0, 230, fleet(3, 2, Health.DOWN))).as("below the threshold").isEmpty();
    List<Decision> moves = f.run(240, 240, fleet(3, 2, Health.DOWN));
    assertThat(moves).singleElement().isInstanceOfSatisfying(Decision.FailOver.class, d -> {
      assertThat(d.to().name()).isEqualTo("NAM");
      assertThat(d.reason()).contains("3 of 5 live hosts");
    });
    assertThat(f.state.active()).isEqualTo(1);
    assertThat(FleetPolicy.history(f.state)).containsExactly(240 * S);
  }

  /**
   * Issue 26: a reload's rules taken over by the deciding decider ({@link FleetPolicy#adopt})
   * keep its outage clock: a shorter threshold counts from the outage's start, not from the
   * reload, and a longer one holds past the old threshold.
   */
  @Test
  void newRulesAdopted_keepTheOutageClock() {
    FleetSteps before = on(0);
    assertThat(before.run(0, 100, fleet(3, 2, Health.DOWN))).isEmpty();

    FleetPolicy shorter = threshold(Duration.ofMinutes(2));
    FleetSteps s = new FleetSteps(shorter, shorter.adopt(before.state, policy));
    assertThat(s.run(110, 110, fleet(3, 2, Health.DOWN))).isEmpty();
    assertThat(s.run(120, 120, fleet(3, 2, Health.DOWN))).as("2 min after the outage began")
        .singleElement().isInstanceOf(Decision.FailOver.class);

    FleetPolicy longer = threshold(Duration.ofMinutes(6));
    FleetSteps l = new FleetSteps(longer, longer.adopt(before.state, policy));
    assertThat(l.run(110, 350, fleet(3, 2, Health.DOWN))).as("past the old 4 min").isEmpty();
    assertThat(l.run(360, 360, fleet(3, 2, Health.DOWN))).singleElement()
        .isInstanceOf(Decision.FailOver.class);
  }

  @Test
  void adopt_anotherOrder_isRefused() {
    FleetPolicy reordered = new FleetPolicy(List.of(ORDER.get(1), ORDER.get(0), ORDER.get(2)),
        new PolicySettings(Duration.ofSeconds(10), Duration.ofMinutes(4),
            Duration.ofSeconds(30), 1.0, FailbackMode.AUTO, Duration.ofMinutes(10), 3,
            Duration.ofHours(1), null, null), Quorum.MAJORITY);
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> reordered.adopt(on(0).state, policy))
        .withMessageContaining("order");
  }

  /** A new decider takes the outage over from the hosts' clocks, not from zero. */
  @Test
  void aNewDeciderResumesTheOutageTheHostsHaveSeen() {
    List<SeenView> views = hosts(3, "EU", true, Health.DOWN, Health.UP);
    // The views were written at 0, down for 0 s: at 200 s the quorum has failed for 200 s.
    FleetSteps f = new FleetSteps(policy, policy.resume(0, new long[0], null, views, 200 * S));
    assertThat(f.run(200, 230, views)).isEmpty();
    assertThat(f.run(240, 240, views)).hasSize(1);
  }

  /**
   * Chain failing while EU answers directly: the hosts repair their stacks in place, each
   * on its own; the decider does not "repair" (it would restart nothing and cost a
   * threshold and a budget slot). While they restart they do not count as failing, so the
   * fleet's clock starts again after their repair, as one host's does.
   */
  @Test
  void theChainFailingWhileEuAnswersDirectly_theHostsRepair_theFleetAThresholdLater() {
    FleetSteps f = on(0);
    assertThat(f.run(0, 230, fleet(3, 0, Health.UP))).isEmpty();
    List<SeenView> repairing = List.of(host("r1", "EU", -1, Health.UP, Health.UP, Health.UP),
        host("r2", "EU", -1, Health.UP, Health.UP, Health.UP),
        host("r3", "EU", -1, Health.UP, Health.UP, Health.UP));
    assertThat(f.run(240, 250, repairing)).isEmpty();
    List<SeenView> failingAgain = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      failingAgain.add(new SeenView(new HostView("r" + i, "EU", "down", 0,
          java.util.Map.of("EU", Health.UP, "NAM", Health.UP, "APAC", Health.UP), 0), 260 * S));
    }
    assertThat(f.run(260, 490, failingAgain)).isEmpty();
    assertThat(f.run(500, 500, failingAgain)).singleElement()
        .isInstanceOf(Decision.FailOver.class);
    assertThat(f.all(Decision.RepairInPlace.class)).as("the hosts' own").isEmpty();
    assertThat(FleetPolicy.history(f.state)).as("one slot of the budget").hasSize(1);
  }

  /** A new decider does not fail back onto a region it did not see come back (review 2). */
  @Test
  void aResumedDecider_keepsTheFailbackGuard() {
    List<SeenView> onNam = hosts(3, "NAM", false, Health.UP, Health.UP);
    FleetSteps f = new FleetSteps(policy, policy.resume(1, new long[] {100 * S}, null, onNam,
        200 * S));
    assertThat(f.run(200, 2000, onNam)).as("EU up all along: no fail-back").isEmpty();
    List<SeenView> euDown = hosts(3, "NAM", false, Health.DOWN, Health.UP);
    assertThat(f.run(2010, 2100, euDown)).isEmpty();
    assertThat(f.run(2110, 2700, onNam)).isEmpty();
    assertThat(f.run(2710, 2710, onNam)).singleElement().isInstanceOf(Decision.FailBack.class);
  }

  @Test
  void preflightPassesOverARegionMostHostsSeeDown() {
    FleetSteps f = on(0);
    List<Decision> moves = f.run(0, 240, hosts(3, "EU", true, Health.DOWN, Health.DOWN));
    assertThat(moves).singleElement().isInstanceOfSatisfying(Decision.FailOver.class, d -> {
      assertThat(d.to().name()).isEqualTo("APAC");
      assertThat(d.skipped()).singleElement().asString().startsWith("NAM: down");
    });
  }

  @Test
  void theFleetsBudgetBlocksAFourthTransitionInTheHour() {
    FleetSteps f = on(0, 100 * S, 200 * S, 300 * S);
    assertThat(f.run(400, 700, fleet(3, 0, Health.DOWN))).isEmpty();
    assertThat(f.all(Decision.FailoverBlocked.class)).as("reported once")
        .singleElement().satisfies(b -> assertThat(b.reason()).isEqualTo("budget"));
  }

  @Test
  void aHoldKeepsTheFleetAndTheHoldRunsOut() {
    FleetSteps f = on(0);
    f.command(0, new Input.HoldCommand(Duration.ofMinutes(30), "maintenance", BOB));
    assertThat(f.answers()).singleElement().satisfies(a -> assertThat(a.accepted()).isTrue());
    assertThat(f.run(0, 1790, fleet(3, 0, Health.DOWN))).isEmpty();
    assertThat(f.all(Decision.HeldBack.class)).as("reported once").hasSize(1);
    assertThat(f.run(1800, 1800, fleet(3, 0, Health.DOWN))).as("the hold ran out at 30 min")
        .hasSize(1);
    assertThat(f.all(Decision.HoldEnded.class)).hasSize(1);
  }

  @Test
  void anOperatorsMoveIsCheckedAgainstTheFleetsViews() {
    FleetSteps f = on(0);
    List<SeenView> views = List.of(host("h1", "EU", -1, Health.UP, Health.DOWN, Health.UP),
        host("h2", "EU", -1, Health.UP, Health.DOWN, Health.UP));
    f.run(0, 0, views);
    assertThat(f.command(5, new Input.MoveCommand(1, false, "region", BOB))).isEmpty();
    assertThat(f.answers().get(0).outcome()).contains("NAM is down");
    assertThat(f.command(6, new Input.MoveCommand(0, true, "region", BOB))).isEmpty();
    assertThat(f.answers().get(1).outcome()).contains("already on EU");
    List<Decision> forced = f.command(7, new Input.MoveCommand(1, true, "region", BOB));
    assertThat(forced).singleElement().isInstanceOfSatisfying(Decision.ManualMove.class,
        m -> assertThat(m.by()).isEqualTo(BOB));
    assertThat(f.state.active()).isEqualTo(1);
  }

  @Test
  void theFleetFailsBackOnceAnEarlierRegionHasBeenUpForAQuorumForTheFailbackTime() {
    FleetSteps f = on(1, 0);
    List<SeenView> views = List.of(host("h1", "NAM", -1, Health.UP, Health.UP, Health.UP),
        host("h2", "NAM", -1, Health.UP, Health.UP, Health.UP),
        host("h3", "NAM", -1, Health.DOWN, Health.UP, Health.UP));
    f.run(50, 50, List.of(host("h1", "NAM", -1, Health.DOWN, Health.UP, Health.UP),
        host("h2", "NAM", -1, Health.DOWN, Health.UP, Health.UP)));
    assertThat(f.run(60, 650, views)).as("EU seen back at 60 s").isEmpty();
    assertThat(f.run(660, 660, views)).singleElement()
        .isInstanceOfSatisfying(Decision.FailBack.class,
            b -> assertThat(b.to().name()).isEqualTo("EU"));
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
