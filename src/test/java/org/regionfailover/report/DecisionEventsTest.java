package org.regionfailover.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.Regions.APAC;
import static org.regionfailover.Regions.EU;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Origin;

class DecisionEventsTest {

  /** Issue 10, pre-flight: the failover event names the regions passed over, with why. */
  @Test
  void failover_namesTheSkippedRegions() {
    Event e = DecisionEvents.of(new Decision.FailOver(EU, APAC, 2, Duration.ofSeconds(240),
        Duration.ofMinutes(4), "status 503", List.of("NAM: down (status 503)"), Origin.HOST));

    assertThat(e.name()).isEqualTo("failover");
    assertThat(e.fields()).containsEntry("to_region", "APAC")
        .containsEntry("skipped", List.of("NAM: down (status 503)"));
    assertThat(e.message()).isEqualTo(
        "Waited for 4 min. Application restarting due to failure with Ext Cloud: cloud.eu.ext.com");
  }

  @Test
  void failover_nothingSkipped_anEmptyList() {
    Event e = DecisionEvents.of(new Decision.FailOver(EU, APAC, 2, Duration.ofSeconds(240),
        Duration.ofMinutes(4), "status 503", List.of(), Origin.HOST));

    assertThat(e.fields()).containsEntry("skipped", List.of()).doesNotContainKeys("fleet",
        "epoch");
  }

  /** Issue 25: a fleet's failover is a failover (the monitor's sentence), with its epoch. */
  @Test
  void failover_fromTheFleet_theMonitorsSentenceWithFleetAndEpoch() {
    Event e = DecisionEvents.of(new Decision.FailOver(EU, APAC, 2, Duration.ofSeconds(240),
        Duration.ofMinutes(4), "2 of 3 live hosts have seen EU down", List.of(),
        Origin.fleet(7)));

    assertThat(e.name()).isEqualTo("failover");
    assertThat(e.message()).isEqualTo(
        "Waited for 4 min. Application restarting due to failure with Ext Cloud: cloud.eu.ext.com");
    assertThat(e.fields()).containsEntry("fleet", true).containsEntry("epoch", 7)
        .containsEntry("to_region", "APAC");
  }
}
