package org.regionfailover.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.regionfailover.Regions;

/** The failover list parses like the old handler's and orders regions with the preferred one first. */
class FailoverListTest {
  private static final String LIST = "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com,APAC=cloud.apac.ext.com";

  private static String names(java.util.List<Region> regions) {
    return String.join(",", regions.stream().map(Region::name).toList());
  }

  @Test
  void orderFrom_preferredEu_givesEuNamApac() {
    FailoverList list = FailoverList.parse("s", LIST);
    assertThat(names(list.orderFrom(list.find("eu")))).isEqualTo("EU,NAM,APAC");
  }

  @Test
  void orderFrom_noPreference_givesListOrder() {
    FailoverList list = FailoverList.parse("s", LIST);
    assertThat(names(list.orderFrom(Optional.empty()))).isEqualTo("NAM,EU,APAC");
  }

  @Test
  void parse_whitespaceAndLowerCase_areNormalised() {
    FailoverList list = FailoverList.parse("s", " nam = cloud.nam.ext.com ,  Eu=cloud.eu.ext.com ");
    assertThat(list.regions()).containsExactly(
        Regions.NAM, Regions.EU);
  }

  @Test
  void find_unknownRegion_isEmpty() {
    assertThat(FailoverList.parse("s", LIST).find("MARS")).isEmpty();
  }
}
