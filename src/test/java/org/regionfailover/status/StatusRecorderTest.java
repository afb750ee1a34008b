package org.regionfailover.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.DecideHarness.OK;
import static org.regionfailover.DecideHarness.S;
import static org.regionfailover.Regions.ORDER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.regionfailover.DecideHarness;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Operator;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.config.Region;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.State;
import org.regionfailover.probe.ProbeResult;

/**
 * The snapshot follows the real policy through a failover, in zero wall time: the ticker
 * and the wall clock move together under the test's control.
 */
class StatusRecorderTest {
  private static final Instant T0 = Instant.parse("2026-11-22T03:00:00Z");
  private static final ProbeResult FAIL = ProbeResult.failed(5000, "status 503");

  private final DecideHarness run = new DecideHarness(
      new FailoverPolicy(ORDER, DecideHarness.defaults(FailbackMode.AUTO)), 0, 0);
  private final Clock clock = new Clock() {
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
      return T0.plusNanos(run.now());
    }
  };
  private final StatusRecorder recorder = new StatusRecorder(run.policy(),
      Duration.ofSeconds(10), Duration.ofSeconds(30), clock, run::now, "1.2.3", true,
      () -> new StatusRecorder.Check(true, "off"));

  {
    run.onStep(recorder);
  }

  private void run(long from, long to, ProbeResult eu) {
    for (long t = from; t <= to; t += 10) {
      if (t % 30 == 0) {
        run.direct(t, eu, OK, OK);
      }
      run.chain(t, run.state().active() == 0 ? eu : OK);
    }
  }

  @Test
  void beforeAnyStep_theInitialStateIsPublished() {
    assertThat(recorder.snapshot()).isNull();
    recorder.begin(run.state());
    StatusSnapshot s = recorder.snapshot();
    assertThat(s.active().name()).isEqualTo("EU");
    assertThat(s.phase()).isEqualTo("watching");
    assertThat(s.component("active").orElseThrow().reason())
        .isEqualTo("EU: no probe through the chain yet");
  }

  @Test
  void throughAFailover_componentsStateAndTransitionsFollowThePolicy() {
    recorder.begin(run.state());
    run(0, 60, OK);
    assertThat(recorder.snapshot().healthy()).isTrue();
    run(70, 130, FAIL);
    StatusSnapshot down = recorder.snapshot();
    assertThat(down.phase()).isEqualTo("down");
    assertThat(down.phaseSince()).isEqualTo(T0.plusSeconds(70));
    assertThat(down.component("active").orElseThrow().ok()).isFalse();
    assertThat(down.component("region/EU").orElseThrow())
        .satisfies(c -> {
          assertThat(c.ok()).isFalse();
          assertThat(c.reason()).isEqualTo("down on its direct probe: status 503");
          assertThat(c.since()).isEqualTo(T0.plusSeconds(90));
        });
    assertThat(down.component("region/NAM").orElseThrow().ok()).isTrue();
    assertThat(down.healthy()).isFalse();
    JsonNode doc = new ObjectMapper().valueToTree(StatusDocument.status(down,
        T0.plusSeconds(135)));
    assertThat(doc.at("/outage/seconds").asDouble()).isEqualTo(65.0);
    assertThat(doc.at("/outage/threshold_s").asLong()).isEqualTo(240);
    assertThat(doc.at("/state").asText()).isEqualTo("down");

    run(140, 310, FAIL);
    StatusSnapshot switching = recorder.snapshot();
    assertThat(switching.phase()).isEqualTo("switching");
    assertThat(switching.transitions()).first().satisfies(t -> {
      assertThat(t.kind()).isEqualTo("failover");
      assertThat(t.from()).isEqualTo("EU");
      assertThat(t.to()).isEqualTo("NAM");
      assertThat(t.inProgress()).isTrue();
    });
    assertThat(switching.budget().used()).isEqualTo(1);

    run.at(312, new Input.SwitchDone(1));
    StatusSnapshot after = recorder.snapshot();
    assertThat(after.active().name()).isEqualTo("NAM");
    assertThat(after.transitions()).first().satisfies(t -> {
      assertThat(t.outcome()).isEqualTo("completed");
      assertThat(t.tookMs()).isPositive();
    });
    assertThat(after.component("active").orElseThrow().ok()).isTrue();
  }

  @Test
  void history_keepsEachRegionsProbesOfTheLastHour_bounded() {
    recorder.begin(run.state());
    run(0, 2 * 3600, OK);
    StatusSnapshot s = recorder.snapshot();
    RegionStatus eu = s.regions().get(0);
    assertThat(eu.chainHistory().size()).isEqualTo(361);
    assertThat(eu.directHistory().size()).isEqualTo(121);
    assertThat(eu.chainHistory().at(eu.chainHistory().size() - 1))
        .isEqualTo(T0.plusSeconds(7200).toEpochMilli());
    assertThat(eu.chainHistory().at(0)).isEqualTo(T0.plusSeconds(7200 - 3600).toEpochMilli());
    assertThat(s.regions().get(1).chainHistory().size()).isZero();
    assertThat(s.regions().get(1).directHistory().size()).isEqualTo(121);
  }

  @Test
  void snapshotsAreImmutable_aLaterStepDoesNotChangeAnEarlierOne() {
    recorder.begin(run.state());
    run(0, 30, OK);
    StatusSnapshot before = recorder.snapshot();
    int n = before.regions().get(0).chainHistory().size();
    run(40, 100, FAIL);
    assertThat(before.regions().get(0).chainHistory().size()).isEqualTo(n);
    assertThat(before.phase()).isEqualTo("watching");
  }

  @Test
  void stackAndSupervisordComponents_followTheStackChecks() {
    recorder.begin(run.state());
    run(0, 30, OK);
    run.at(31, new Input.StackChecked(List.of("app:stunnel STOPPED"), null));
    StatusSnapshot repairing = recorder.snapshot();
    assertThat(repairing.component("stack").orElseThrow().ok()).isFalse();
    run.at(32, new Input.StackRepaired(List.of("app:stunnel"), 1));
    assertThat(recorder.snapshot().component("stack").orElseThrow().ok()).isTrue();
    run.at(60, new Input.StackChecked(List.of(), "connection refused"));
    StatusSnapshot gone = recorder.snapshot();
    assertThat(gone.component("supervisord").orElseThrow().reason())
        .isEqualTo("connection refused");
    assertThat(gone.component("supervisord").orElseThrow().ok()).isFalse();
  }

  @Test
  void holdAndManualMove_appearInTheTransitions() {
    recorder.begin(run.state());
    run(0, 30, OK);
    Operator anna = new Operator("anna", "10.0.0.7");
    run.at(35, new Input.HoldCommand(Duration.ofMinutes(30), "tunnel work", anna));
    StatusSnapshot held = recorder.snapshot();
    assertThat(held.holdUntil()).isEqualTo(T0.plusSeconds(35 + 1800));
    assertThat(held.transitions()).first().satisfies(t -> {
      assertThat(t.kind()).isEqualTo("hold");
      assertThat(t.by()).isEqualTo("anna");
      assertThat(t.reason()).isEqualTo("tunnel work");
    });
    run.at(40, new Input.MoveCommand(2, false, "region", anna));
    assertThat(recorder.snapshot().transitions()).first().satisfies(t -> {
      assertThat(t.kind()).isEqualTo("manual");
      assertThat(t.to()).isEqualTo("APAC");
    });
    assertThat(recorder.snapshot().state().phase()).isInstanceOf(State.Switching.class);
  }

  /** Campaign finding 1: a loop that failed every input still answered /health OK. */
  @Test
  void aFailingInput_failsTheLoopComponentAndHealth_untilAnInputIsHandledAgain() {
    recorder.begin(run.state());
    run(0, 30, OK);
    assertThat(recorder.snapshot().healthy()).isTrue();
    recorder.failed(new Input.Probed(0, OK), 35 * S, new NullPointerException("boom"));
    StatusSnapshot failed = recorder.snapshot();
    assertThat(failed.component("loop").orElseThrow()).satisfies(c -> {
      assertThat(c.ok()).isFalse();
      assertThat(c.reason()).isEqualTo("handling Probed failed: java.lang.NullPointerException: boom");
      assertThat(c.aggregated()).isTrue();
    });
    assertThat(failed.healthy()).isFalse();
    run(40, 40, OK);
    assertThat(recorder.snapshot().component("LOOP").orElseThrow().ok()).isTrue();
    assertThat(recorder.snapshot().healthy()).isTrue();
  }

  /**
   * Issue 25, defect 7: a failover blocked for want of a healthy region is logged once, so
   * {@code /status} shows it for as long as it lasts, and no longer once the host moves.
   */
  @Test
  void issue25_defect7_failoverBlocked_showsInStatusUntilTheHostMoves() {
    recorder.begin(run.state());
    run.at(0, new Input.RegionProbed(0, OK)); // direct access works from this host
    for (long t = 0; t <= 300; t += 10) {
      if (t % 30 == 0) {
        run.at(t, new Input.RegionProbed(0, FAIL));
        run.at(t, new Input.RegionProbed(1, FAIL));
        run.at(t, new Input.RegionProbed(2, FAIL));
      }
      run.at(t, new Input.Probed(0, FAIL));
      JsonNode doc = new ObjectMapper().valueToTree(StatusDocument.status(recorder.snapshot(),
          T0.plusSeconds(t)));
      if (t < 240) {
        assertThat(doc.get("blocked").isNull()).as("not blocked at %d s", t).isTrue();
      } else {
        assertThat(doc.at("/blocked/reason").asText()).isEqualTo("no_healthy_target");
        assertThat(doc.at("/blocked/since").asText()).isEqualTo(T0.plusSeconds(240).toString());
      }
    }

    run.at(305, new Input.RegionProbed(1, OK)); // NAM is back: the next probe moves there
    run.at(310, new Input.Probed(0, FAIL));
    assertThat(recorder.snapshot().phase()).isEqualTo("switching");
    assertThat(recorder.snapshot().blockedSince()).isNull();
    assertThat(new ObjectMapper().valueToTree(StatusDocument.status(recorder.snapshot(),
        T0.plusSeconds(310))).get("blocked").isNull()).isTrue();
  }

  /** Campaign finding 2: another region, or Datadog, failing is reported, not aggregated. */
  @Test
  void anotherRegionDown_reportedByItsComponent_notByHealth() {
    recorder.begin(run.state());
    run(0, 30, OK);
    run.at(40, new Input.RegionProbed(2, FAIL));
    StatusSnapshot s = recorder.snapshot();
    assertThat(s.component("region/APAC").orElseThrow().ok()).isFalse();
    assertThat(s.component("region/APAC").orElseThrow().aggregated()).isFalse();
    assertThat(s.healthy()).isTrue();
  }
}
