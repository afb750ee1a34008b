package org.regionfailover.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.Regions.ORDER;

import org.junit.jupiter.api.Test;

/** At start-up the region the env file names is kept; anything else falls back to the first region and rewrites. */
class AdoptionTest {
  @Test
  void from_missingFile_adoptsFirstRegionAndRewrites() {
    Adoption a = Adoption.from(new EnvFileReading.Missing(), ORDER);

    assertThat(a.active()).isZero();
    assertThat(a.rewrite()).isTrue();
    assertThat(a.note()).contains("missing").contains("EU");
  }

  @Test
  void from_unusableFile_adoptsFirstRegionRewritesAndNamesTheProblem() {
    Adoption a = Adoption.from(new EnvFileReading.Unusable("no EXT_REGION line"), ORDER);

    assertThat(a.active()).isZero();
    assertThat(a.rewrite()).isTrue();
    assertThat(a.note()).contains("no EXT_REGION line").contains("EU");
  }

  @Test
  void from_namesAKnownRegionInAnyCase_adoptsItWithoutRewriting() {
    Adoption a = Adoption.from(new EnvFileReading.Names(" apac ", "cloud.apac.ext.com"), ORDER);

    assertThat(a.active()).isEqualTo(2);
    assertThat(a.rewrite()).isFalse();
    assertThat(a.note()).contains("APAC");
  }

  @Test
  void from_namesAKnownRegionWithExactName_adoptsItWithoutRewriting() {
    Adoption a = Adoption.from(new EnvFileReading.Names("NAM", "cloud.nam.ext.com"), ORDER);

    assertThat(a).isEqualTo(new Adoption(1, false, "env file names NAM; keeping it"));
  }

  @Test
  void from_knownRegionWithAnotherHost_adoptsItAndRewritesTheHost() {
    Adoption a = Adoption.from(new EnvFileReading.Names("nam", "old.nam.ext.com"), ORDER);

    assertThat(a.active()).isEqualTo(1);
    assertThat(a.rewrite()).isTrue();
    assertThat(a.note()).contains("old.nam.ext.com").contains("cloud.nam.ext.com");
  }

  @Test
  void from_unknownRegion_adoptsFirstRegionAndRewrites() {
    Adoption a = Adoption.from(new EnvFileReading.Names("MARS", "cloud.mars.ext.com"), ORDER);

    assertThat(a.active()).isZero();
    assertThat(a.rewrite()).isTrue();
    assertThat(a.note()).contains("MARS").contains("EU");
  }
}
