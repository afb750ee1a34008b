package org.regionfailover.decide;

import java.time.Duration;
import java.util.Locale;
import org.regionfailover.config.TrafficRules;

/**
 * The applications' calls as evidence, both ways (issue 27), over the last threshold window
 * and only at volume: below {@code minVolume} calls nothing is concluded (ten errors a
 * minute on a quiet host are no outage). Only calls that found the region unreachable
 * count against it (refused, reset, timed out, TLS, 502/503/504: classified by the
 * source); a 500 of one URI or a 4xx is the application's, never the region's.
 *
 * <ul>
 *   <li>A <b>selective outage</b>: at least {@code failureRatio} of the calls unreachable
 *       across a whole threshold (every report with calls failing since a threshold ago,
 *       the reports spanning it since the last transition) is an outage, even while the
 *       probe answers.
 *   <li>A <b>veto</b>: a probe that failed for the threshold while the calls through the
 *       same region went through at volume (below the ratio) is the probe's fault, not the
 *       region's: the host stays.
 * </ul>
 */
final class TrafficRule {
  private final TrafficRules rules;
  private final long thresholdNanos;
  private final long intervalNanos;

  TrafficRule(TrafficRules rules, Duration threshold, Duration interval) {
    this.rules = rules;
    this.thresholdNanos = threshold.toNanos();
    this.intervalNanos = interval.toNanos();
  }

  /** {@code window} with a report of {@code ok} and {@code unreachable} calls at {@code now}. */
  TrafficWindow add(TrafficWindow window, long now, long ok, long unreachable) {
    return window.add(now, ok, unreachable, thresholdNanos, rules.failureRatio());
  }

  long windowNanos() {
    return thresholdNanos;
  }

  boolean enabled() {
    return rules.enabled();
  }

  /**
   * The reason the active region is down by its traffic at {@code now}, or null: watched
   * for a whole threshold since {@code since} (the last transition), reports spanning the
   * window (the oldest at most one interval after its start), enough calls, enough of them
   * unreachable.
   */
  String downReason(TrafficWindow window, long since, long now) {
    TrafficWindow w = window.trimmed(now, thresholdNanos);
    if (!rules.enabled() || now - since - thresholdNanos < 0 || w.isEmpty()
        || w.oldest() - (now - thresholdNanos) - intervalNanos > 0
        || w.failingSince() < 0 || now - w.failingSince() - thresholdNanos < 0
        || w.volume() < rules.minVolume() || w.unreachableShare() < rules.failureRatio()) {
      return null;
    }
    return String.format(Locale.ROOT, "traffic: %d of %d calls unreachable over the last %s"
            + " (%.2f, ratio %.2f)", w.unreachable(), w.volume(),
        org.regionfailover.config.DurationParser.human(Duration.ofNanos(thresholdNanos)),
        w.unreachableShare(), rules.failureRatio());
  }

  /**
   * Whether the calls through the active region over the last threshold went through at
   * volume, so that a failing probe must not move the host ({@code --traffic-veto}).
   */
  boolean vetoes(TrafficWindow window, long now) {
    TrafficWindow w = window.trimmed(now, thresholdNanos);
    return rules.enabled() && rules.veto() && w.volume() >= rules.minVolume()
        && w.unreachableShare() < rules.failureRatio();
  }
}
