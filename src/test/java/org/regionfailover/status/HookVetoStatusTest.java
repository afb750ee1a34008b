package org.regionfailover.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.DecideHarness.FAIL;
import static org.regionfailover.Regions.ORDER;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.regionfailover.DecideHarness;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;

/**
 * Issue 28: while the pre-switch hook vetoes a failover, {@code /status} says why the host
 * has not moved: blocked by {@code hook_veto}, since the first veto, with the hook and the
 * last line it printed. Zero wall time: the ticker and the wall clock move together.
 */
class HookVetoStatusTest {
  private static final Instant T0 = Instant.parse("2026-12-08T02:00:00Z");
  private static final String HOOK = "/etc/region-failover/pre-switch";

  private final DecideHarness run = new DecideHarness(
      new FailoverPolicy(ORDER, DecideHarness.defaults(FailbackMode.OFF)).gated(), 0, 0);
  private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
  private final StatusRecorder recorder = new StatusRecorder(run.policy(),
      Duration.ofSeconds(10), Duration.ofSeconds(30), new Clock() {
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
      }, run::now, "1.2.3", true, () -> new StatusRecorder.Check(true, "off"));

  {
    run.onStep(recorder);
  }

  private void veto(long seconds, String output) {
    run.at(seconds, new Input.SwitchAnswered(run.state().pending().id(), false, HOOK, output,
        false));
  }

  @Test
  void vetoedFailover_statusBlockedNamesTheHookAndItsOutput_sinceTheFirstVeto() {
    for (long t = 0; t <= 240; t += 10) {
      run.chain(t, FAIL);
    }
    assertThat(StatusDocument.status(recorder.snapshot(), T0).get("blocked").isNull())
        .as("waiting for the hook is no block").isTrue();
    veto(241, "DBA: replica 40 s behind");
    run.chain(250, FAIL);
    veto(251, "DBA: replica 12 s behind");

    JsonNode blocked = StatusDocument.status(recorder.snapshot(), T0.plusSeconds(251))
        .get("blocked");

    assertThat(blocked.get("reason").asText()).isEqualTo("hook_veto");
    assertThat(blocked.get("since").asText()).isEqualTo("2026-12-08T02:04:01Z");
    assertThat(blocked.get("transition").asText()).isEqualTo("failover");
    assertThat(blocked.get("hook").asText()).isEqualTo(HOOK);
    assertThat(blocked.get("output").asText()).isEqualTo("DBA: replica 12 s behind");
    assertThat(blocked.get("timed_out").asBoolean()).isFalse();
    assertThat(recorder.snapshot().phase()).isEqualTo("down");
  }
}
