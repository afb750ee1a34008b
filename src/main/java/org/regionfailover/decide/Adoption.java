package org.regionfailover.decide;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.regionfailover.config.Region;

/**
 * Which region is active when the supervisor starts. The env file is the record of the
 * active region, so a restart of the supervisor never moves the host; only a missing or
 * unusable file makes it fall back to the first region of the order.
 *
 * @param active index of the adopted region in the order
 * @param rewrite whether the env file must be (re)written to name it
 * @param note why, for the start-up event
 */
public record Adoption(int active, boolean rewrite, String note) {
  public Adoption {
    Objects.requireNonNull(note, "note");
  }

  /** Decides what to adopt from what the env file said. */
  public static Adoption from(EnvFileReading reading, List<Region> order) {
    Region first = order.get(0);
    if (reading instanceof EnvFileReading.Missing) {
      return new Adoption(0, true, "env file missing; writing the first region " + first.name());
    }
    if (reading instanceof EnvFileReading.Unusable u) {
      return new Adoption(0, true,
          "env file unusable (" + u.problem() + "); writing the first region " + first.name());
    }
    EnvFileReading.Names n = (EnvFileReading.Names) reading;
    String name = n.region().strip().toUpperCase(Locale.ROOT);
    for (int i = 0; i < order.size(); i++) {
      Region r = order.get(i);
      if (r.name().equals(name)) {
        if (r.host().equalsIgnoreCase(n.host().strip())) {
          return new Adoption(i, false, "env file names " + r.name() + "; keeping it");
        }
        return new Adoption(i, true, "env file names " + r.name() + " with host " + n.host()
            + " but the failover list says " + r.host() + "; rewriting the host");
      }
    }
    return new Adoption(0, true, "env file names unknown region '" + n.region()
        + "'; writing the first region " + first.name());
  }
}
