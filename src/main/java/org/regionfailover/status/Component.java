package org.regionfailover.status;

import java.time.Instant;
import java.util.Objects;

/**
 * A named part of the host's health, as the health-check aggregator answered it: OK or
 * FAIL, why, and since when it has been in that state. {@code aggregated}: part of
 * {@code /health} as a whole (this host's own parts); the others (other regions, Datadog)
 * are reported alone, so that a region this host does not use, or a dead log intake,
 * never takes the host out of a load balancer.
 */
public record Component(String name, boolean ok, String reason, Instant since,
    boolean aggregated) {
  public Component {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(since, "since");
  }

  /** {@code OK} or {@code FAIL}. */
  public String word() {
    return ok ? "OK" : "FAIL";
  }
}
