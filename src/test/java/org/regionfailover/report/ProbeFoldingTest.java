package org.regionfailover.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbeFoldingTest {
  private static Map<String, Object> probe(String region, boolean healthy) {
    return Map.of("set", "default", "region", region, "healthy", healthy);
  }

  @Test
  void shows_probes_onlyWhenARegionsHealthChanges() {
    ProbeFolding folding = new ProbeFolding(false);

    assertThat(folding.shows("probe", probe("EU", true))).as("first of EU").isTrue();
    assertThat(folding.shows("probe", probe("EU", true))).isFalse();
    assertThat(folding.shows("probe", probe("EU", true))).isFalse();
    assertThat(folding.shows("probe", probe("EU", false))).as("EU fails").isTrue();
    assertThat(folding.shows("probe", probe("EU", false))).isFalse();
    assertThat(folding.shows("probe", probe("NAM", true))).as("first of NAM").isTrue();
    assertThat(folding.shows("probe", probe("EU", true))).as("EU back").isTrue();
  }

  @Test
  void shows_directProbes_foldedApartFromTheChains() {
    ProbeFolding folding = new ProbeFolding(false);

    assertThat(folding.shows("probe", probe("EU", true))).isTrue();
    assertThat(folding.shows("region_probe", probe("EU", true))).isTrue();
    assertThat(folding.shows("region_probe", probe("EU", true))).isFalse();
  }

  @Test
  void shows_everySetApart() {
    ProbeFolding folding = new ProbeFolding(false);

    assertThat(folding.shows("probe", Map.of("set", "a", "region", "EU", "healthy", true)))
        .isTrue();
    assertThat(folding.shows("probe", Map.of("set", "b", "region", "EU", "healthy", true)))
        .isTrue();
  }

  @Test
  void shows_everyHostApart_theFleetDemoSharesOneStdout() {
    ProbeFolding folding = new ProbeFolding(false);

    assertThat(folding.shows("probe", Map.of("host_id", "host-1", "region", "EU",
        "healthy", true))).isTrue();
    assertThat(folding.shows("probe", Map.of("host_id", "host-2", "region", "EU",
        "healthy", true))).isTrue();
    assertThat(folding.shows("probe", Map.of("host_id", "host-1", "region", "EU",
        "healthy", true))).isFalse();
  }

  @Test
  void shows_stepsOfASwitch_onlyVerbose_andEveryOtherEvent() {
    ProbeFolding folding = new ProbeFolding(false);

    assertThat(folding.shows("action_completed", Map.of("region", "NAM"))).isFalse();
    assertThat(folding.shows("program_started", Map.of("region", "NAM"))).isFalse();
    assertThat(folding.shows("failover", Map.of("region", "EU"))).isTrue();
    assertThat(folding.shows("failover", Map.of("region", "EU"))).as("never folded").isTrue();
    assertThat(folding.shows("restart_completed", Map.of("region", "NAM"))).isTrue();
  }

  @Test
  void shows_verbose_everything() {
    ProbeFolding folding = new ProbeFolding(true);

    assertThat(folding.shows("probe", probe("EU", true))).isTrue();
    assertThat(folding.shows("probe", probe("EU", true))).isTrue();
    assertThat(folding.shows("action_completed", Map.of())).isTrue();
  }
}
