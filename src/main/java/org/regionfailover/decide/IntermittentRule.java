package org.regionfailover.decide;

import java.time.Duration;
import java.util.Locale;

/**
 * A region whose chain probes failed at least {@code ratio} of the time over the last full
 * threshold window is down too, even if one probe in a while succeeds: a continuous clock
 * is reset by a single lucky probe (the blind spot of every peer that counts consecutive
 * results). Over the 25 probes of a 4-minute window, 0.8 needs 20 failures: random noise of
 * one failure in three reaches that with a chance of about 2 in a million per window, and a
 * region failing four probes in five reaches it at every probe.
 */
final class IntermittentRule {
  private final double ratio;
  private final long thresholdNanos;
  private final int minProbes;

  /**
   * {@code ratio} (in (0, 1], checked where the setting is read) 1 turns the rule off
   * (continuous failure only). The window must hold a threshold's worth of probes (at
   * least two): with a threshold of one interval a single failed probe would otherwise be
   * a ratio of 1, the spurious failover on one timed-out check that the continuous rule was
   * built to prevent.
   */
  IntermittentRule(double ratio, Duration threshold, Duration interval) {
    this.ratio = ratio;
    this.thresholdNanos = threshold.toNanos();
    this.minProbes = (int) Math.max(2, threshold.toNanos() / interval.toNanos());
  }

  long windowNanos() {
    return thresholdNanos;
  }

  /**
   * The reason the region is down by this rule at {@code now}, or null: the window has
   * been watched for a whole threshold since {@code since} and enough of it failed.
   */
  String downReason(ProbeWindow window, long since, long now) {
    if (ratio >= 1 || now - since - thresholdNanos < 0 || window.size() < minProbes
        || !window.anyFailed() || now - window.oldestFailure() - thresholdNanos < 0) {
      // The failures must span the whole window: otherwise 20 failed probes after 5 good
      // ones would fail a continuous outage over at 3:10, before the threshold it promises.
      return null;
    }
    double failed = window.failureRatio();
    if (failed < ratio) {
      return null;
    }
    return String.format(Locale.ROOT, "intermittent: %.2f of %d probes failed over the last %s"
        + " (ratio %.2f)", failed, window.size(),
        org.regionfailover.config.DurationParser.human(Duration.ofNanos(thresholdNanos)), ratio);
  }

  double ratio() {
    return ratio;
  }
}
