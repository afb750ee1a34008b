package org.regionfailover.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.Regions.ORDER;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.TrafficRules;
import org.regionfailover.DecideHarness;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
import org.regionfailover.probe.ProbeResult;

/**
 * Issue 27: {@code /health/traffic} says whether the applications' evidence arrives: OK
 * with no source, OK while reports came within two intervals, FAIL with how long since
 * otherwise; never part of {@code /health} as a whole.
 */
class TrafficHealthTest {
  private static final Instant T0 = Instant.parse("2026-12-07T03:00:00Z");
  private static final ProbeResult OK = ProbeResult.healthy(12, 200);

  private static StatusRecorder recorder(DecideHarness run) {
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    Clock moving = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return clock.instant().plusNanos(run.now());
      }
    };
    StatusRecorder r = new StatusRecorder(run.policy(), Duration.ofSeconds(10),
        Duration.ofSeconds(30), moving, run::now, "1.2.3", true,
        () -> new StatusRecorder.Check(true, "off"));
    run.onStep(r);
    r.begin(run.state());
    return r;
  }

  private static DecideHarness host(TrafficRules rules) {
    return new DecideHarness(new FailoverPolicy(ORDER,
        DecideHarness.defaults(FailbackMode.OFF).withTraffic(rules)), 0, 0);
  }

  @Test
  void noSource_isOk() {
    DecideHarness run = host(TrafficRules.OFF);
    StatusRecorder recorder = recorder(run);
    run.chain(0, OK);

    Component c = recorder.snapshot().component("traffic").orElseThrow();
    assertThat(c.ok()).isTrue();
    assertThat(c.reason()).contains("off");
    assertThat(c.aggregated()).isFalse();
  }

  @Test
  void neverAnyEvidence_failsTwoIntervalsAfterTheStart() {
    DecideHarness run = host(new TrafficRules(true, 20, 0.5, true));
    StatusRecorder recorder = recorder(run);
    run.chain(0, OK);
    run.chain(20, OK);
    assertThat(recorder.snapshot().component("traffic").orElseThrow().ok()).isTrue();
    run.chain(30, OK);

    Component c = recorder.snapshot().component("traffic").orElseThrow();
    assertThat(c.ok()).isFalse();
    assertThat(c.reason()).isEqualTo("no evidence for 30 s");
  }

  @Test
  void evidence_withinTwoIntervals_isOk_thenFailsSayingHowLong() {
    DecideHarness run = host(new TrafficRules(true, 20, 0.5, true));
    StatusRecorder recorder = recorder(run);
    run.chain(0, OK);
    assertThat(recorder.snapshot().component("traffic").orElseThrow())
        .satisfies(c -> assertThat(c.reason()).startsWith("waiting for the first evidence"))
        .satisfies(c -> assertThat(c.ok()).isTrue());

    run.at(10, new Input.Traffic(0, 30, 0, Map.of(), "endpoint"));
    run.chain(20, OK);
    run.chain(30, OK);
    Component fresh = recorder.snapshot().component("traffic").orElseThrow();
    run.chain(40, OK);
    Component stale = recorder.snapshot().component("traffic").orElseThrow();

    assertThat(fresh.ok()).as(fresh.reason()).isTrue();
    assertThat(stale.ok()).isFalse();
    assertThat(stale.reason()).isEqualTo("no evidence for 30 s");
    assertThat(recorder.snapshot().healthy()).as("not part of /health").isTrue();
    com.fasterxml.jackson.databind.JsonNode traffic = StatusDocument.status(
        recorder.snapshot(), T0.plusSeconds(40)).path("traffic");
    assertThat(traffic.path("region").asText()).isEqualTo("EU");
    assertThat(traffic.path("ok").asLong()).isEqualTo(30);
    assertThat(traffic.path("window_volume").asLong()).isEqualTo(30);
    assertThat(traffic.path("last_report_at").asText()).isEqualTo(T0.plusSeconds(10).toString());
  }
}
