package org.regionfailover.decide;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Holds with a start, judged on the wall clock, and holds taken up again after a restart. */
class ScheduledHoldTest {
  private static final Operator ANNA = new Operator("anna", "127.0.0.1");
  private static final Instant T0 = Instant.parse("2026-12-01T01:00:00Z");

  private MaintenanceRuleTest.Host host() {
    return new MaintenanceRuleTest.Host();
  }

  @Test
  void aHoldFromLaterBeginsAtItsStartOnTheWallClock() {
    MaintenanceRuleTest.Host host = host();
    host.step(new Input.HoldCommand(Duration.ofMinutes(30), "DB work", ANNA,
        T0.plusSeconds(60), false));

    assertThat(host.decisions).hasSize(1);
    assertThat(host.all(Decision.ManualCommand.class)).singleElement()
        .satisfies(c -> assertThat(c.outcome()).startsWith("hold scheduled from"));
    assertThat(host.state.held()).isFalse();
    host.runUntil(T0.plusSeconds(59));
    assertThat(host.state.held()).isFalse();

    host.runUntil(T0.plusSeconds(61));

    assertThat(host.state.held()).isTrue();
    assertThat(host.all(Decision.HoldStarted.class)).singleElement()
        .satisfies(h -> assertThat(h.duration()).isBetween(Duration.ofSeconds(1799),
            Duration.ofMinutes(30)));
    assertThat(host.state.maintenance().pendingHold()).isNull();
  }

  @Test
  void aClockStepOverTheStartBeginsWhatIsLeftOfIt() {
    MaintenanceRuleTest.Host host = host();
    host.step(new Input.HoldCommand(Duration.ofMinutes(30), "DB work", ANNA,
        T0.plusSeconds(60), false));
    host.wall = T0.plusSeconds(60 + 600);
    host.tick();

    assertThat(host.all(Decision.HoldStarted.class)).singleElement()
        .satisfies(h -> assertThat(h.duration())
            .isEqualTo(Duration.ofMinutes(20).minusMillis(500)));
  }

  @Test
  void aReleaseCancelsAScheduledHold() {
    MaintenanceRuleTest.Host host = host();
    host.step(new Input.HoldCommand(null, "DB work", ANNA, T0.plusSeconds(60), false));
    host.step(new Input.ReleaseCommand(ANNA));
    host.runUntil(T0.plusSeconds(70));

    assertThat(host.state.held()).isFalse();
    assertThat(host.all(Decision.ManualCommand.class)).last()
        .satisfies(c -> assertThat(c.outcome()).contains("is cancelled"));
  }

  @Test
  void aRestoredHoldLastsWhatIsLeftAndAnswersNoOperator() {
    MaintenanceRuleTest.Host host = host();
    host.step(new Input.HoldCommand(Duration.ofMinutes(10), "DB work", ANNA,
        T0.minusSeconds(120), true));

    assertThat(host.decisions).hasSize(1);
    assertThat(host.all(Decision.HoldStarted.class)).singleElement().satisfies(h -> {
      assertThat(h.restored()).isTrue();
      assertThat(h.duration()).isEqualTo(Duration.ofMinutes(8));
    });
    assertThat(host.step(new Input.HoldCommand(Duration.ofMinutes(1), "old", ANNA,
        T0.minusSeconds(120), true))).isEmpty();
  }
}
