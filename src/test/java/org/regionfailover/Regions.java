package org.regionfailover;

import java.util.List;
import org.regionfailover.config.Region;

/** The regions tests fail over between, with the hosts the README's failover list names. */
public final class Regions {
  public static final Region EU = new Region("EU", "cloud.eu.ext.com");
  public static final Region NAM = new Region("NAM", "cloud.nam.ext.com");
  public static final Region APAC = new Region("APAC", "cloud.apac.ext.com");
  /** EU first, then NAM, then APAC: the order most tests run with. */
  public static final List<Region> ORDER = List.of(EU, NAM, APAC);
  /** EU, then NAM: for rules that need only somewhere to go. */
  public static final List<Region> EU_NAM = List.of(EU, NAM);

  private Regions() {}
}
