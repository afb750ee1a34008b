package org.regionfailover.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.Regions.EU_NAM;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.regionfailover.act.chain.ActionChainStage;
import org.regionfailover.decide.Transition;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.regionfailover.act.chain.ActionChain;
import org.regionfailover.config.Region;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.probe.Probe;
import org.regionfailover.probe.ProbeResult;
import org.regionfailover.time.Backoff;

/**
 * Issue 9, defect 11: the README's detection promise. A region that goes black (every probe
 * hangs until its timeout) is failed over at most the threshold (rounded up to whole
 * intervals) + one interval + one probe timeout after it went down, and never before the
 * threshold. All on a fake clock: each black-holed probe consumes its timeout of fake time.
 */
class DetectionBoundTest {

  private ActionChain act;

  @AfterEach
  void closeAct() {
    if (act != null) {
      act.close();
    }
  }

  /** Answers in 12 ms until the black hole, then hangs for the whole timeout. */
  private record BlackHoleProbe(AtomicLong clock, long blackAt, long timeout) implements Probe {
    @Override
    public ProbeResult probe(Region region) {
      if (clock.get() - blackAt >= 0) {
        clock.addAndGet(timeout);
        return ProbeResult.failed(timeout / 1_000_000, "timeout");
      }
      clock.addAndGet(12_000_000L);
      return ProbeResult.healthy(12, 200);
    }
  }

  static List<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    // interval, threshold, probe timeout: the demo's, the defaults, a threshold that is not
    // a whole number of intervals.
    long[][] settings = {{1_000, 5_000, 800}, {10_000, 240_000, 5_000}, {10_000, 25_000, 5_000}};
    for (long[] s : settings) {
      long interval = s[0] * 1_000_000L;
      // Down just after a probe started (the worst case), mid-interval, just before a probe.
      for (long offset : new long[] {13_000_000L, interval / 2, interval - 1}) {
        for (long origin : new long[] {0L, Long.MAX_VALUE - 100_000_000_000L}) {
          cases.add(Arguments.of(Duration.ofMillis(s[0]), Duration.ofMillis(s[1]),
              Duration.ofMillis(s[2]), offset, origin));
        }
      }
    }
    return cases;
  }

  @ParameterizedTest(name = "interval {0}, threshold {1}, timeout {2}, down at +{3} ns, origin {4}")
  @MethodSource("cases")
  void issue9_blackHoledRegion_failsOverWithinThresholdPlusIntervalPlusTimeout(Duration interval,
      Duration threshold, Duration timeout, long offset, long origin) {
    long step = interval.toNanos();
    AtomicLong clock = new AtomicLong(origin);
    // Healthy for three probes, then black from a point inside the fourth interval.
    long blackAt = origin + 3 * step + offset;
    List<Long> failoverAt = new ArrayList<>();
    FailoverPolicy policy = new FailoverPolicy(EU_NAM, interval, threshold);
    act = new ActionChain(List.of(), new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)),
        e -> { }, clock::get);
    FailoverLoop loop = new FailoverLoop(policy,
        new Transition(policy.initial(0, origin), List.of()),
        new ActionChainStage(act, List.of(), List.of(), List.of(), null), e -> {
          if (e.name().equals("failover")) {
            failoverAt.add(clock.get());
          }
        }, clock::get, FailoverLoop.Stack.NONE);
    ChainProber prober = new ChainProber(loop,
        new BlackHoleProbe(clock, blackAt, timeout.toNanos()), clock::get, step / 2);

    // What FixedRateRunner does: a tick per slot, the jitter Supervisor allows.
    for (long slot = origin; failoverAt.isEmpty(); slot += step) {
      clock.set(slot);
      prober.tick(slot);
      loop.drain();
      assertThat(slot - blackAt).as("no failover within an hour").isLessThan(3_600_000_000_000L);
    }

    long roundedThreshold = (threshold.toNanos() + step - 1) / step * step;
    long bound = roundedThreshold + step + timeout.toNanos();
    long detectedAfter = failoverAt.get(0) - blackAt;
    assertThat(detectedAfter).as("decided after the threshold").isGreaterThanOrEqualTo(threshold.toNanos());
    assertThat(detectedAfter).as("decided within threshold + interval + timeout").isLessThanOrEqualTo(bound);
  }
}
