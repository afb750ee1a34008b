package org.regionfailover.config;

/**
 * How the applications' own calls count as evidence (issue 27): over the last threshold
 * window, with at least {@code minVolume} calls, a share of unreachable errors of at least
 * {@code failureRatio} is an outage even while the probe answers (a selective outage), and
 * with {@code veto} a share below it keeps a host whose probe failed where its traffic
 * flows. {@link #OFF}: no traffic evidence, the probe alone decides.
 */
public record TrafficRules(boolean enabled, int minVolume, double failureRatio, boolean veto) {
  /** No traffic source: nothing is concluded from traffic. */
  public static final TrafficRules OFF = new TrafficRules(false, 20, 0.5, false);

  public TrafficRules {
    if (minVolume < 1) {
      throw new IllegalArgumentException("minVolume must be at least 1: " + minVolume);
    }
    if (!(failureRatio > 0 && failureRatio <= 1)) {
      throw new IllegalArgumentException("failureRatio must be in (0, 1]: " + failureRatio);
    }
  }
}
