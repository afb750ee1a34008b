package org.regionfailover.decide.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.decide.fleet.FleetSteps.hosts;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.Quorum;
import org.regionfailover.config.FailoverList;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Decision;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.decide.RegionView.Health;

/**
 * Issue 25, defect 2: a fleet that left EU because a quorum of its chains failed while EU's
 * direct probes stayed up must not go back to EU after the fail-back time (it would fail
 * again, and bounce until the budget stops it). Like one host's fail-back, the fleet
 * returns only to a region seen coming back after the fleet left it. (On the fleet's own
 * rules of before, the first test failed: a fail-back to EU 600 s after the failover.)
 */
class Issue25FleetBounceTest {
  private static final List<Region> ORDER = FailoverList.parse("list",
      "EU=cloud.eu.ext.com,NAM=cloud.nam.ext.com,APAC=cloud.apac.ext.com").regions();

  private final FleetPolicy policy = new FleetPolicy(ORDER, new PolicySettings(
      Duration.ofSeconds(10), Duration.ofMinutes(4), Duration.ofSeconds(30), 1.0,
      FailbackMode.AUTO, Duration.ofMinutes(10), 3, Duration.ofHours(1), null, null),
      Quorum.MAJORITY);

  private FleetSteps leftEuOnFailingChains() {
    FleetSteps f = new FleetSteps(policy, policy.resume(0, new long[0], null, List.of(), 0));
    // Chains fail on all three hosts while EU answers their direct probes: a repair in
    // place first (the host's rule), then the failover a threshold later.
    assertThat(f.run(0, 490, hosts(3, "EU", true, Health.UP, Health.UP)))
        .singleElement().isInstanceOf(Decision.FailOver.class);
    assertThat(f.state.active()).isEqualTo(1);
    return f;
  }

  @Test
  void chainsFailOnAQuorumWhileEuIsUpDirectly_theFleetLeavesOnceAndDoesNotComeBack() {
    FleetSteps f = leftEuOnFailingChains();
    // On NAM, EU still up on every direct probe, for three fail-back times.
    assertThat(f.run(500, 2300, hosts(3, "NAM", false, Health.UP, Health.UP)))
        .as("no fail-back to the region whose chains failed").isEmpty();
  }

  @Test
  void euSeenDownThenBack_theFleetFailsBackAfterTheFailbackTime() {
    FleetSteps f = leftEuOnFailingChains();
    assertThat(f.run(500, 600, hosts(3, "NAM", false, Health.DOWN, Health.UP))).isEmpty();
    assertThat(f.run(610, 1200, hosts(3, "NAM", false, Health.UP, Health.UP)))
        .as("up since 610 s: not before 1210 s").isEmpty();
    assertThat(f.run(1210, 1210, hosts(3, "NAM", false, Health.UP, Health.UP)))
        .singleElement().isInstanceOfSatisfying(Decision.FailBack.class,
            b -> assertThat(b.to().name()).isEqualTo("EU"));
  }
}
