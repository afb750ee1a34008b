package org.regionfailover.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.Regions.EU;
import static org.regionfailover.Regions.NAM;
import static org.regionfailover.Regions.ORDER;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.FakeTicker;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.act.chain.ActionChain;
import org.regionfailover.act.chain.ActionChainStage;
import org.regionfailover.act.envfile.EnvFileWriter;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.config.TrafficRules;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Transition;
import org.regionfailover.probe.EvidenceAggregator;
import org.regionfailover.probe.ProbeResult;
import org.regionfailover.time.Backoff;

/**
 * Issue 27 at the loop: the applications' reports, taken by the endpoint's aggregator and
 * drained once per interval, reach the policy as it runs in the loop. A selective outage
 * (cloudlookup answers, the calls to EU are refused) fails over with reason traffic a
 * threshold on; with no source data nothing is posted; drops are told once a minute.
 */
class TrafficDrainerTest {
  private static final Duration INTERVAL = Duration.ofSeconds(10);
  private static final ProbeResult UP = ProbeResult.healthy(12, 200);

  @TempDir Path dir;
  private final FakeTicker ticker = new FakeTicker();
  private final RecordingEventLog log = new RecordingEventLog();
  private ActionChain act;

  @AfterEach
  void close() {
    if (act != null) {
      act.close();
    }
  }

  private FailoverLoop loop(TrafficRules rules) throws Exception {
    EnvFileWriter writer = new EnvFileWriter(dir.resolve("ext_cloud.env"));
    writer.apply(EU);
    FailoverPolicy policy = new FailoverPolicy(ORDER, PolicySettings.continuousOnly(INTERVAL,
        Duration.ofMinutes(4), Duration.ofSeconds(30)).withTraffic(rules));
    act = new ActionChain(List.of(), new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)),
        log, ticker);
    return new FailoverLoop(policy, new Transition(policy.initial(0, ticker.read()), List.of()),
        new ActionChainStage(act, List.of(writer), List.of(), List.of(), null), log, ticker,
        FailoverLoop.Stack.NONE);
  }

  @Test
  void selectiveOutage_reportedToTheEndpoint_failsOverWithReasonTraffic() throws Exception {
    FailoverLoop loop = loop(new TrafficRules(true, 20, 0.5, true));
    EvidenceAggregator evidence = new EvidenceAggregator(ticker, 1000);
    ChainProber prober = new ChainProber(loop, region -> UP, ticker, 0);
    TrafficDrainer drainer = new TrafficDrainer(loop, List.of(evidence), log, ticker);

    for (int i = 0; i <= 24; i++) {
      // 20 calls a second for the interval, 15 of them refused or answered 503.
      for (int second = 0; second < 10; second++) {
        evidence.add("EU", 5, Map.of("refused", 10L, "503", 5L), 0);
      }
      long slot = ticker.read();
      prober.tick(slot);
      drainer.tick(slot);
      loop.drain();
      if (i < 24) {
        assertThat(log.named("failover")).as("no failover before the threshold, tick " + i)
            .isEmpty();
        ticker.advance(INTERVAL);
      }
    }

    assertThat(log.named("traffic")).hasSizeGreaterThanOrEqualTo(25);
    assertThat(log.named("failover")).singleElement().satisfies(e -> {
      assertThat(String.valueOf(e.fields().get("reason"))).startsWith("traffic");
      assertThat(e.fields().get("to_region")).isEqualTo(NAM.name());
    });
  }

  @Test
  void nothingReported_postsNothing_andChangesNothing() throws Exception {
    FailoverLoop loop = loop(new TrafficRules(true, 20, 0.5, true));
    EvidenceAggregator evidence = new EvidenceAggregator(ticker, 1000);
    TrafficDrainer drainer = new TrafficDrainer(loop, List.of(evidence), log, ticker);

    drainer.tick(ticker.read());

    assertThat(loop.drain()).isZero();
    assertThat(log.named("traffic")).isEmpty();
  }

  @Test
  void droppedReports_areToldAtMostOnceAMinute_withEveryOneCounted() throws Exception {
    FailoverLoop loop = loop(new TrafficRules(true, 20, 0.5, true));
    EvidenceAggregator evidence = new EvidenceAggregator(ticker, 2);
    TrafficDrainer drainer = new TrafficDrainer(loop, List.of(evidence), log, ticker);

    long total = 0;
    for (int i = 0; i < 9; i++) {
      for (int r = 0; r < 5; r++) {
        evidence.admit();
      }
      total += 3;
      drainer.tick(ticker.read());
      ticker.advance(INTERVAL);
    }

    // At 0 s, then at 60 s: the first report, then one a minute with what came since.
    assertThat(log.named("evidence_dropped")).hasSize(2);
    long told = log.named("evidence_dropped").stream()
        .mapToLong(e -> ((Number) e.fields().get("dropped")).longValue()).sum();
    assertThat(told).isEqualTo(3 + 6 * 3);
    assertThat(total - told).as("the drops since the last report wait for the next").isEqualTo(6);
  }

  @Test
  void atAStop_theDropsNotYetTold_areTold_soEveryOneIsCounted() throws Exception {
    FailoverLoop loop = loop(new TrafficRules(true, 20, 0.5, true));
    EvidenceAggregator evidence = new EvidenceAggregator(ticker, 2);
    TrafficDrainer drainer = new TrafficDrainer(loop, List.of(evidence), log, ticker);

    long total = 0;
    for (int i = 0; i < 3; i++) {
      for (int r = 0; r < 5; r++) {
        if (!evidence.admit()) {
          total++;
        }
      }
      drainer.tick(ticker.read());
      ticker.advance(INTERVAL);
    }
    // Dropped after the last drain: still in the aggregator at the stop.
    for (int r = 0; r < 4; r++) {
      if (!evidence.admit()) {
        total++;
      }
    }
    drainer.tellDroppedAtStop();

    assertThat(total).isEqualTo(3 * 3 + 2);
    // The first at 0 s; at the stop, 20 s on, the rest: the minute's limit aside.
    assertThat(log.named("evidence_dropped")).hasSize(2);
    long told = log.named("evidence_dropped").stream()
        .mapToLong(e -> ((Number) e.fields().get("dropped")).longValue()).sum();
    assertThat(told).isEqualTo(total);
  }

  @Test
  void atAStop_withNothingDropped_nothingIsTold() throws Exception {
    FailoverLoop loop = loop(new TrafficRules(true, 20, 0.5, true));
    EvidenceAggregator evidence = new EvidenceAggregator(ticker, 2);
    TrafficDrainer drainer = new TrafficDrainer(loop, List.of(evidence), log, ticker);
    evidence.admit();
    drainer.tick(ticker.read());

    drainer.tellDroppedAtStop();

    assertThat(log.named("evidence_dropped")).isEmpty();
  }
}
