package org.regionfailover.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The stack watch's cadence: 30 s, at least twice per threshold, never faster than probes. */
class StackCheckIntervalTest {
  @ParameterizedTest(name = "interval {0}, threshold {1} -> {2}")
  @CsvSource({
      "PT10S, PT4M, PT30S",       // the defaults
      "PT0.2S, PT3S, PT1.5S",     // a short threshold: half of it
      "PT10S, PT10S, PT10S",      // never faster than the probes
      "PT1M, PT10M, PT1M",
      "PT10S, PT40S, PT20S"})
  void stackCheckInterval(Duration interval, Duration threshold, Duration expected) {
    assertThat(Supervisor.stackCheckInterval(interval, threshold)).isEqualTo(expected);
  }
}
