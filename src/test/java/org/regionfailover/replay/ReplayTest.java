package org.regionfailover.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.Region;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.probe.ProbeResult;
import org.regionfailover.report.Event;

/** The replay engine on hand-made probes, in zero wall time: acting, stand-ins, the clock. */
class ReplayTest {
  private static final long S = 1_000_000_000L;
  /** 2026-09-21T..., epoch nanoseconds, as the log's timestamps are. */
  private static final long T0 = 1_790_000_000L * S;
  private static final int EU = 0;
  private static final int NAM = 1;
  private static final int APAC = 2;
  private static final List<Region> ORDER = List.of(new Region("EU", "cloud.eu.example"),
      new Region("NAM", "cloud.nam.example"), new Region("APAC", "cloud.apac.example"));
  private static final ProbeResult FAIL = ProbeResult.failedWithStatus(3, 503);
  private static final ProbeResult OK = ProbeResult.healthy(12, 200);

  /** Interval 10 s, threshold 30 s, direct probes every 30 s. */
  private final FailoverPolicy policy = new FailoverPolicy(ORDER, Duration.ofSeconds(10),
      Duration.ofSeconds(30), Duration.ofSeconds(30));
  private final List<String> events = new ArrayList<>();
  private final List<Long> times = new ArrayList<>();
  private Replay replay = new Replay(policy, true, this::record);

  private void record(Event e, long at) {
    events.add(e.name() + (e.fields().containsKey("to_region")
        ? " " + e.fields().get("to_region") : e.fields().containsKey("region")
        ? " " + e.fields().get("region") : ""));
    times.add((at - T0) / S);
  }

  private void chain(long seconds, int region, ProbeResult result) throws Exception {
    replay.accept(probe(false, region, seconds, result));
  }

  private void direct(long seconds, int region, ProbeResult result) throws Exception {
    replay.accept(probe(true, region, seconds, result));
  }

  private static RecordedInput probe(boolean direct, int region, long seconds,
      ProbeResult result) {
    RecordedInput p = new RecordedInput();
    p.kind = direct ? RecordedInput.Kind.DIRECT : RecordedInput.Kind.CHAIN;
    p.region = region;
    p.at = T0 + seconds * S;
    p.result = result;
    return p;
  }

  /** A line of the recording's own switches ({@code kind}) about {@code region}, decided at. */
  private void recorded(RecordedInput.Kind kind, long millis, int region) throws Exception {
    RecordedInput p = new RecordedInput();
    p.kind = kind;
    p.region = region;
    p.at = T0 + millis * 1_000_000L;
    p.decided = true;
    p.reason = "app:stunnel FATAL";
    replay.accept(p);
  }

  /** A chain probe the loop decided on at {@code millis}. */
  private void decidedChain(long millis, int region, ProbeResult result) throws Exception {
    RecordedInput p = probe(false, region, 0, result);
    p.at = T0 + millis * 1_000_000L;
    p.decided = true;
    replay.accept(p);
  }

  /** EU fails through the chain from 10 s on; every region answers its direct probe. */
  private void euChainDownFrom10s(long until) throws Exception {
    for (long t = 0; t <= until; t += 10) {
      if (t % 30 == 0) {
        direct(t, EU, OK);
        direct(t, NAM, OK);
        direct(t, APAC, OK);
      }
      chain(t, EU, t >= 10 ? FAIL : OK);
    }
  }

  /** A recorded reload at {@code seconds} that changed the outage threshold. */
  private static RecordedInput reload(long seconds) {
    RecordedInput r = new RecordedInput();
    r.kind = RecordedInput.Kind.RELOAD;
    r.at = T0 + seconds * S;
    r.changes = java.util.Map.of("FAILOVER_OUTAGE_THRESHOLD", "60s");
    return r;
  }

  /** The rules after a reload raised the threshold from 30 s to 60 s. */
  private final Replay.Reloads thresholdTo60s = (changes, at) -> new Replay.Rules(
      new FailoverPolicy(ORDER, Duration.ofSeconds(10), Duration.ofSeconds(60),
          Duration.ofSeconds(30)), false);

  @Test
  void aReloadMidOutage_raisingTheThreshold_decidesTheFailoverLater_onTheSameOutageClock()
      throws Exception {
    replay = new Replay(policy, false, this::record);
    List<Long> reloadedAt = new ArrayList<>();
    replay.reloads((changes, at) -> {
      reloadedAt.add((at - T0) / S);
      return thresholdTo60s.reload(changes, at);
    });
    for (long t = 0; t <= 80; t += 10) {
      if (t == 30) {
        replay.accept(reload(25)); // between two probes, after the outage began at 10 s
      }
      chain(t, EU, t >= 10 ? FAIL : OK);
    }
    replay.finish();

    // 30 s would have failed over at 40 s; 60 s from the outage's start at 10 s is 70 s.
    assertThat(reloadedAt).containsExactly(25L);
    assertThat(events).containsExactly("outage_started EU", "failover NAM",
        "failover_completed NAM");
    assertThat(times).containsExactly(10L, 70L, 70L);
  }

  @Test
  void reloadsAreIgnored_unlessAReplayIsToldWhatTheyMake() throws Exception {
    replay = new Replay(policy, false, this::record);
    for (long t = 0; t <= 40; t += 10) {
      if (t == 30) {
        replay.accept(reload(25));
      }
      chain(t, EU, t >= 10 ? FAIL : OK);
    }
    replay.finish();

    assertThat(times).containsExactly(10L, 40L, 40L);
  }

  @Test
  void aReloadBeforeTheFirstProbe_setsTheRulesTheReplayStartsWith() throws Exception {
    replay = new Replay(policy, false, this::record).reloads(thresholdTo60s);
    replay.accept(reload(0));
    for (long t = 0; t <= 80; t += 10) {
      chain(t, EU, t >= 10 ? FAIL : OK);
    }
    replay.finish();

    assertThat(times).containsExactly(10L, 70L, 70L);
  }

  @Test
  void switch_isDoneTheInstantItIsDecided() throws Exception {
    replay = new Replay(policy, false, this::record);
    euChainDownFrom10s(40);
    replay.finish(); // the recording did not make the switch: no line of it follows

    assertThat(events).containsExactly("outage_started EU", "failover NAM",
        "failover_completed NAM");
    assertThat(times).containsExactly(10L, 40L, 40L);
  }

  @Test
  void afterMovingAway_recordedChainProbesStandForTheNewRegionsLastDirectProbe()
      throws Exception {
    replay = new Replay(policy, false, this::record);
    euChainDownFrom10s(120); // the recording stayed on EU, failing

    // NAM's direct probes say up: the replayed host is fine there and stays.
    assertThat(events).containsExactly("outage_started EU", "failover NAM",
        "failover_completed NAM");
    ReplayStats stats = replay.finish();
    assertThat(stats.stoodIn).isEqualTo(8); // chain probes at 50..120 s
    assertThat(stats.chainUsed).isEqualTo(5); // at 0..40 s
    assertThat(stats.nanosOn(EU)).isEqualTo(40 * S);
    assertThat(stats.nanosOn(NAM)).isEqualTo(80 * S);
  }

  @Test
  void aStandInThatFails_countsAsAFailureOfTheNewRegion() throws Exception {
    replay = new Replay(policy, false, this::record);
    euChainDownFrom10s(40);
    for (long t = 50; t <= 90; t += 10) {
      direct(t, NAM, FAIL);
      chain(t, EU, FAIL);
    }

    assertThat(events).containsExactly("outage_started EU", "failover NAM",
        "failover_completed NAM", "outage_started NAM", "failover APAC",
        "failover_completed APAC");
  }

  @Test
  void noDirectProbeOfTheNewRegion_aRecordedChainProbeIsNotEvidence() throws Exception {
    for (long t = 0; t <= 100; t += 10) {
      chain(t, EU, t >= 10 ? FAIL : OK);
    }

    assertThat(events).containsExactly("outage_started EU", "failover NAM",
        "failover_completed NAM");
    assertThat(replay.finish().noEvidence).isEqualTo(6);
  }

  @Test
  void repairInPlace_isDoneAtOnceToo_andTheNextThresholdFailsOver() throws Exception {
    euChainDownFrom10s(80);
    replay.finish();

    assertThat(events).containsExactly("outage_started EU", "repair EU",
        "repair_completed EU", "outage_started EU", "failover NAM", "failover_completed NAM");
    assertThat(times).containsExactly(10L, 40L, 40L, 50L, 80L, 80L);
  }

  @Test
  void regionProbeNone_directProbesDoNotReachTheCore_soNoRepair() throws Exception {
    replay = new Replay(policy, false, this::record);
    euChainDownFrom10s(40);

    assertThat(events).doesNotContain("repair EU").contains("failover NAM");
  }

  @Test
  void directProbesBeforeTheFirstChainProbe_theReplayStartsOnTheRecordedRegion()
      throws Exception {
    direct(0, EU, FAIL);
    direct(0, NAM, FAIL);
    for (long t = 5; t <= 45; t += 10) {
      chain(t, NAM, t >= 15 ? FAIL : OK);
    }
    ReplayStats stats = replay.finish();

    assertThat(events).containsExactly("outage_started NAM", "failover APAC",
        "failover_completed APAC");
    assertThat(stats.nanosOn(NAM)).isEqualTo(45 * S); // from the first record, at 0 s
  }

  @Test
  void recordedTimeSteppingBack_isHeldAtTheLastTime() throws Exception {
    chain(0, EU, OK);
    chain(10, EU, FAIL);
    chain(5, EU, FAIL); // a wall-clock correction
    chain(20, EU, FAIL);
    chain(30, EU, FAIL);
    chain(40, EU, FAIL);

    assertThat(replay.finish().clockBack).isEqualTo(1);
    assertThat(times).containsExactly(10L, 40L, 40L);
  }

  @Test
  void longestOutage_isTheLongestRunOfFailuresAsTheCoreCountsIt() throws Exception {
    chain(0, EU, OK);
    chain(10, EU, FAIL);
    chain(20, EU, OK); // 10 s
    chain(30, EU, FAIL);
    chain(40, EU, FAIL);
    chain(50, EU, FAIL); // 20 s, still going at the end

    ReplayStats stats = replay.finish();
    assertThat(stats.longestOutageNanos()).isEqualTo(20 * S);
    assertThat(stats.transitions()).isZero();
  }

  @Test
  void probeEchoes_areNotPrinted_theyAreTheInput() throws Exception {
    for (long t = 0; t <= 60; t += 10) {
      direct(t, NAM, OK);
      chain(t, EU, OK);
    }

    assertThat(events).isEmpty();
  }

  /**
   * Issue 25: a switch the recording made too ends when the recording's did; the probes
   * meanwhile count as the loop counted them (not at all), so the next outage is timed
   * from the same probe as the loop's.
   */
  @Test
  void aSwitchTheRecordingMadeToo_endsWhenTheRecordingsDid() throws Exception {
    replay = new Replay(policy, false, this::record);
    euChainDownFrom10s(40);
    recorded(RecordedInput.Kind.SWITCH_BEGUN, 40_000, NAM); // the loop's failover line
    chain(50, EU, FAIL); // probed before the switch ended: ignored by the loop too
    recorded(RecordedInput.Kind.SWITCH_DONE, 53_000, NAM);
    for (long t = 60; t <= 90; t += 10) {
      chain(t, NAM, FAIL);
    }
    replay.finish();

    assertThat(events).containsExactly("outage_started EU", "failover NAM",
        "failover_completed NAM", "outage_started NAM", "failover APAC",
        "failover_completed APAC");
    assertThat(times).containsExactly(10L, 40L, 53L, 60L, 90L, 90L);
  }

  @Test
  void aSwitchTheRecordingGaveUp_isGivenUpWhenTheRecordingDid() throws Exception {
    replay = new Replay(policy, false, this::record);
    euChainDownFrom10s(40);
    recorded(RecordedInput.Kind.SWITCH_BEGUN, 40_000, NAM);
    recorded(RecordedInput.Kind.SWITCH_ABANDONED, 75_000, NAM);

    assertThat(events).containsExactly("outage_started EU", "failover NAM",
        "failover_failed NAM");
    assertThat(times).containsExactly(10L, 40L, 75L);
  }

  @Test
  void aRecordingRestartedMidSwitch_endsTheFollowedSwitch_probesCountAgain() throws Exception {
    replay = new Replay(policy, false, this::record);
    euChainDownFrom10s(40);
    recorded(RecordedInput.Kind.SWITCH_BEGUN, 40_000, NAM);
    recorded(RecordedInput.Kind.STACK_STARTING, 45_000, EU); // killed, started again
    for (long t = 50; t <= 80; t += 10) {
      chain(t, NAM, FAIL);
    }

    assertThat(events).containsExactly("outage_started EU", "failover NAM",
        "failover_completed NAM", "outage_started NAM", "failover APAC");
    assertThat(times).containsExactly(10L, 40L, 45L, 50L, 80L);
  }

  @Test
  void theRecordingsStackStart_isTheReplaysStart_probesCountOnceItRuns() throws Exception {
    recorded(RecordedInput.Kind.STACK_STARTING, 0, NAM);
    chain(2, NAM, FAIL); // while the stack starts: not evidence
    recorded(RecordedInput.Kind.SWITCH_DONE, 3_000, NAM);
    for (long t = 12; t <= 42; t += 10) {
      chain(t, NAM, FAIL);
    }

    assertThat(events).containsExactly("stack_starting NAM", "stack_started NAM",
        "outage_started NAM", "failover APAC");
    assertThat(times).containsExactly(0L, 3L, 12L, 42L);
  }

  /**
   * Issue 25: the loop decides on its inputs' times, which need not rise line after line (a
   * slow chain probe is logged after a quicker direct probe of a later slot): they are
   * taken as they are, and the threshold is met at the probe where the loop met it.
   */
  @Test
  void decidedTimes_areTakenAsTheLoopTookThem() throws Exception {
    replay = new Replay(policy, false, this::record);
    for (long t = 0; t <= 30; t += 10) {
      decidedChain(t * 1000, EU, t >= 10 ? FAIL : OK);
    }
    RecordedInput direct = probe(true, NAM, 0, OK);
    direct.at = T0 + 40_100_000_000L; // its line was written first...
    direct.decided = true;
    replay.accept(direct);
    decidedChain(39_950, EU, FAIL); // ...this probe's a little after: 29.95 s of outage

    assertThat(events).containsExactly("outage_started EU");
    assertThat(replay.finish().clockBack).isZero();
  }
}
