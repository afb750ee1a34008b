package org.regionfailover.decide.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.FailoverList;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Budget;
import org.regionfailover.decide.FailbackMode;
import org.regionfailover.decide.RegionView.Health;

/**
 * Issue 25, defect 2: a fleet that left EU because a quorum of its chains failed while EU's
 * direct probes stayed up must not go back to EU after the fail-back time (it would fail
 * again, and bounce until the budget stops it). Like one host's fail-back, the fleet
 * returns only to a region seen coming back after the fleet left it.
 */
class Issue25FleetBounceTest {
  private static final long S = 1_000_000_000L;
  private static final List<Region> ORDER = FailoverList.parse("list",
      "EU=cloud.eu.ext.com,NAM=cloud.nam.ext.com,APAC=cloud.apac.ext.com").regions();

  private final FleetPolicy policy = new FleetPolicy(ORDER, Duration.ofMinutes(4),
      Quorum.MAJORITY, FailbackMode.AUTO, Duration.ofMinutes(10),
      new Budget(3, Duration.ofHours(1)));

  /** Three hosts on {@code region}; chain down since 0 when {@code down}; EU direct as given. */
  private static List<SeenView> hosts(String region, boolean down, Health eu) {
    List<SeenView> views = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      views.add(new SeenView(new HostView("h" + i, region, down ? "down" : "watching",
          down ? 0 : -1, Map.of("EU", eu, "NAM", Health.UP, "APAC", Health.UP), 0), 0));
    }
    return views;
  }

  private record Run(FleetState state, List<FleetPolicy.Proposal> moves) {}

  /** Passes every 10 s from {@code from} to {@code to} s over the same views. */
  private Run run(FleetState s, long from, long to, List<SeenView> views) {
    List<FleetPolicy.Proposal> moves = new ArrayList<>();
    for (long t = from; t <= to; t += 10) {
      FleetPolicy.Step step = policy.decide(s, views, t * S);
      if (step.proposal() != null) {
        moves.add(step.proposal());
      }
      s = step.next();
    }
    return new Run(s, moves);
  }

  @Test
  void chainsFailOnAQuorumWhileEuIsUpDirectly_theFleetLeavesOnceAndDoesNotComeBack() {
    Run out = run(FleetState.of(0, 3, new long[0], null), 0, 240,
        hosts("EU", true, Health.UP));
    assertThat(out.moves()).extracting(FleetPolicy.Proposal::kind).containsExactly("failover");
    assertThat(out.state().active()).isEqualTo(1);

    // On NAM, EU still up on every direct probe, for three fail-back times.
    Run after = run(out.state(), 250, 2050, hosts("NAM", false, Health.UP));
    assertThat(after.moves()).as("no fail-back to the region whose chains failed").isEmpty();
  }

  @Test
  void euSeenDownThenBack_theFleetFailsBackAfterTheFailbackTime() {
    Run out = run(FleetState.of(0, 3, new long[0], null), 0, 240,
        hosts("EU", true, Health.UP));
    Run down = run(out.state(), 250, 400, hosts("NAM", false, Health.DOWN));
    assertThat(down.moves()).isEmpty();
    Run waiting = run(down.state(), 410, 1000, hosts("NAM", false, Health.UP));
    assertThat(waiting.moves()).as("up since 410 s: not before 1010 s").isEmpty();
    Run back = run(waiting.state(), 1010, 1010, hosts("NAM", false, Health.UP));
    assertThat(back.moves()).extracting(FleetPolicy.Proposal::kind, FleetPolicy.Proposal::target)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("failback", 0));
  }
}
