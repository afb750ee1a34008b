package org.regionfailover.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.DecideHarness.FAIL;
import static org.regionfailover.DecideHarness.OK;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.regionfailover.DecideHarness;
import org.regionfailover.Regions;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.TrafficRules;
import org.regionfailover.probe.ProbeResult;

/**
 * Issue 27's rules in zero wall time: the applications' calls count against a region only
 * at volume, only when unreachable, across a whole threshold; they keep a host whose probe
 * alone fails; they start over at every transition and never judge a region the host left.
 * Defaults: probes and reports every 10 s, threshold 4 min, ratio 0.5, volume 20.
 */
class TrafficRuleTest {
  private static final TrafficRules ON = new TrafficRules(true, 20, 0.5, true);
  private static final ProbeResult EU_UP = ProbeResult.healthy(20, 200);
  private static final ProbeResult DOWN = ProbeResult.failed(3000, "connection refused");

  private static DecideHarness host(TrafficRules rules) {
    return new DecideHarness(new FailoverPolicy(Regions.ORDER,
        DecideHarness.defaults(FailbackMode.OFF).withTraffic(rules)), 0, 0);
  }

  private static Input.Traffic report(int region, long ok, long unreachable) {
    return new Input.Traffic(region, ok, unreachable, Map.of("503", unreachable), "endpoint");
  }

  /** Probe and report at {@code t}: the probe first, as the loop posts them. */
  private static void tick(DecideHarness h, long t, ProbeResult probe, long ok, long bad) {
    h.chain(t, probe);
    h.at(t, report(h.state().active(), ok, bad));
  }

  @Test
  void selectiveOutage_probeAnswering_failsOverAThresholdOn_reasonTraffic() {
    DecideHarness h = host(ON);
    // cloudlookup answers throughout; 120 of 200 calls a report are refused.
    for (long t = 0; t < 240; t += 10) {
      tick(h, t, OK, 80, 120);
    }
    assertThat(h.all(Decision.FailOver.class)).as("not before a whole threshold").isEmpty();
    tick(h, 240, OK, 80, 120);
    assertThat(h.all(Decision.OutageStarted.class)).singleElement()
        .satisfies(o -> assertThat(o.reason()).startsWith("traffic:"));
    assertThat(h.all(Decision.FailOver.class)).singleElement().satisfies(f -> {
      assertThat(f.reason()).startsWith("traffic: 3000 of 5000 calls unreachable over the last 4 min (");
      assertThat(f.to().name()).isEqualTo("NAM");
    });
  }

  @Test
  void twoPercentRandom503s_forThirtyMinutes_noFailover() {
    DecideHarness h = host(ON);
    Random random = new Random(27);
    for (long t = 0; t <= 1800; t += 10) {
      long bad = 0;
      for (int call = 0; call < 200; call++) {
        bad += random.nextDouble() < 0.02 ? 1 : 0;
      }
      tick(h, t, OK, 200 - bad, bad);
    }
    assertThat(h.all(Decision.FailOver.class)).isEmpty();
    assertThat(h.all(Decision.OutageStarted.class)).isEmpty();
  }

  /**
   * One URI that always answers 500 (HAProxy's list: an attacker ejects every backend): a
   * 500 is the application's, never the region's, so the source counts it as neither; the
   * rest of the traffic goes through.
   */
  @Test
  void oneUriAlways500_countsAsNothing_noFailover() {
    DecideHarness h = host(ON);
    for (long t = 0; t <= 1800; t += 10) {
      // 150 calls a report: 50 to the bad URI (500, not counted), 100 fine.
      tick(h, t, OK, 100, 0);
    }
    assertThat(h.all(Decision.FailOver.class)).isEmpty();
  }

  @Test
  void tenErrorsAMinuteBelowTheVolume_concludeNothing() {
    DecideHarness h = host(new TrafficRules(true, 100, 0.5, true));
    for (long t = 0; t <= 1800; t += 10) {
      // About 10 unreachable calls a minute and nothing else: 40 per threshold < 100.
      tick(h, t, OK, 0, t % 60 == 0 ? 10 : 0);
    }
    assertThat(h.all(Decision.FailOver.class)).isEmpty();
  }

  @Test
  void probeFailing_trafficFlowingAtVolume_vetoed_reportedOnce() {
    DecideHarness h = host(ON);
    for (long t = 0; t <= 3 * 240; t += 10) {
      tick(h, t, FAIL, 200, 2);
    }
    assertThat(h.all(Decision.FailOver.class)).as("over 3 thresholds").isEmpty();
    assertThat(h.all(Decision.FailoverBlocked.class)).singleElement()
        .satisfies(b -> assertThat(b.reason()).isEqualTo(FailoverPolicy.TRAFFIC_HEALTHY));
    assertThat(h.state().blocked()).isInstanceOf(Blocked.TrafficHealthy.class);
  }

  @Test
  void vetoOff_probeFailing_failsOverAsToday() {
    DecideHarness h = host(new TrafficRules(true, 20, 0.5, false));
    for (long t = 0; t <= 240; t += 10) {
      tick(h, t, FAIL, 200, 2);
    }
    assertThat(h.all(Decision.FailOver.class)).hasSize(1);
  }

  @Test
  void trafficOff_isTodaysBehaviour() {
    DecideHarness h = host(TrafficRules.OFF);
    for (long t = 0; t <= 240; t += 10) {
      tick(h, t, OK, 0, 500);
    }
    assertThat(h.all(Decision.FailOver.class)).isEmpty();
  }

  /** The local stack is broken while EU is up on its direct probe: repair, not failover. */
  @Test
  void callsFailing_regionUpDirectly_repairsInPlace() {
    DecideHarness h = host(ON);
    for (long t = 0; t <= 240; t += 10) {
      h.direct(t, EU_UP, EU_UP, EU_UP);
      tick(h, t, OK, 10, 190);
    }
    assertThat(h.all(Decision.RepairInPlace.class)).hasSize(1);
    assertThat(h.all(Decision.FailOver.class)).isEmpty();
  }

  @Test
  void countsStartOverAtATransition_andAReportForTheRegionLeftChangesNothing() {
    DecideHarness h = host(ON);
    for (long t = 0; t <= 240; t += 10) {
      tick(h, t, OK, 0, 200);
    }
    assertThat(h.all(Decision.FailOver.class)).hasSize(1);
    h.settle(245);
    // A late report about EU, the region just left: counted in its event, decides nothing.
    List<Decision> late = h.at(250, report(0, 0, 10_000));
    assertThat(late).singleElement().isInstanceOfSatisfying(Decision.TrafficSeen.class,
        s -> assertThat(s.ignored()).isTrue());
    // On NAM the window starts empty: the calls failing on EU are not NAM's.
    List<Decision> first = h.at(255, report(1, 100, 0));
    assertThat(first).singleElement().isInstanceOfSatisfying(Decision.TrafficSeen.class,
        s -> assertThat(s.volume()).isEqualTo(100));
    for (long t = 260; t < 255 + 240; t += 10) {
      tick(h, t, OK, 0, 200);
    }
    assertThat(h.all(Decision.FailOver.class)).as("NAM judged on its own threshold")
        .hasSize(1);
  }

  /** A source that falls silent: its old counts go with time and veto nothing. */
  @Test
  void aSilentSource_oldCountsVetoNothing() {
    DecideHarness h = host(ON);
    for (long t = 0; t < 100; t += 10) {
      tick(h, t, OK, 200, 0);
    }
    for (long t = 100; t <= 100 + 240 + 10; t += 10) {
      h.chain(t, FAIL);
    }
    assertThat(h.all(Decision.FailoverBlocked.class)).isEmpty();
    assertThat(h.all(Decision.FailOver.class)).hasSize(1);
  }

  /** Failing calls from 120 s on: the outage is a threshold after they began, not sooner. */
  @Test
  void failuresLateInTheWindow_failOverAThresholdAfterTheyBegan() {
    DecideHarness h = host(ON);
    for (long t = 0; t < 120; t += 10) {
      tick(h, t, OK, 200, 0);
    }
    for (long t = 120; t < 360; t += 10) {
      tick(h, t, OK, 0, 200);
    }
    assertThat(h.all(Decision.FailOver.class)).as("the window's share passed 0.5 at ~240 s")
        .isEmpty();
    tick(h, 360, OK, 0, 200);
    assertThat(h.all(Decision.FailOver.class)).hasSize(1);
  }
}
