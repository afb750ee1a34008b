package org.regionfailover.status.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.regionfailover.FakeTicker;

/** Failed logins per address and user over a sliding minute, in zero wall time. */
class FailureLimiterTest {
  private final FakeTicker ticker = new FakeTicker();
  private final FailureLimiter limiter = new FailureLimiter(ticker);

  @Test
  void blockedFor_fiveFailuresWithinAMinute_blocksTheSixthAttempt() {
    for (int i = 1; i <= 5; i++) {
      assertThat(limiter.blockedFor("10.0.0.1", "bob")).as("attempt %d", i).isZero();
      assertThat(limiter.failed("10.0.0.1", "bob")).isEqualTo(i);
      ticker.advance(Duration.ofSeconds(1));
    }

    assertThat(limiter.blockedFor("10.0.0.1", "bob")).as("until the first failure is a minute old")
        .isEqualTo(Duration.ofSeconds(55));
    assertThat(limiter.blockedFor("10.0.0.2", "bob")).as("another address").isZero();
    assertThat(limiter.blockedFor("10.0.0.1", "alice"))
        .as("another user from the same address (ssh -L: everyone is 127.0.0.1)").isZero();
  }

  @Test
  void blockedFor_windowSlides_oneSlotFreesWhenTheOldestFailureIsAMinuteOld() {
    for (int i = 0; i < 5; i++) {
      limiter.failed("10.0.0.1", "bob");
      ticker.advance(Duration.ofSeconds(10));
    }
    // Failures at 0, 10, 20, 30, 40 s; now 50 s.
    ticker.advance(Duration.ofSeconds(9));
    assertThat(limiter.blockedFor("10.0.0.1", "bob")).isEqualTo(Duration.ofSeconds(1));

    ticker.advance(Duration.ofSeconds(1));
    assertThat(limiter.blockedFor("10.0.0.1", "bob")).as("the failure at 0 s left the window").isZero();
    assertThat(limiter.failed("10.0.0.1", "bob")).as("four left plus this one").isEqualTo(5);
    assertThat(limiter.blockedFor("10.0.0.1", "bob")).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void blockedFor_failuresSpreadOverMoreThanAMinute_neverBlock() {
    for (int i = 0; i < 50; i++) {
      assertThat(limiter.blockedFor("10.0.0.1", "bob")).isZero();
      limiter.failed("10.0.0.1", "bob");
      ticker.advance(Duration.ofSeconds(15));
    }
  }

  @Test
  void failed_manyAddresses_tracksAtMostTheCapForgettingTheOldest() {
    FailureLimiter small = new FailureLimiter(ticker, 5, Duration.ofMinutes(1), 3);
    for (int i = 0; i < 5; i++) {
      small.failed("10.0.0.1", "bob");
    }
    small.failed("10.0.0.2", "bob");
    small.failed("10.0.0.3", "bob");
    small.failed("10.0.0.4", "bob"); // evicts 10.0.0.1, the least recently failing

    assertThat(small.tracked()).isEqualTo(3);
    assertThat(small.blockedFor("10.0.0.1", "bob")).isZero();
  }

  @Test
  void tracked_addressesWhoseFailuresExpired_areForgotten() {
    limiter.failed("10.0.0.1", "bob");
    ticker.advance(Duration.ofMinutes(2));

    assertThat(limiter.blockedFor("10.0.0.1", "bob")).isZero();
    assertThat(limiter.tracked()).isZero();
  }

  @Test
  void failed_noUser_countsUnderTheEmptyName() {
    for (int i = 0; i < 5; i++) {
      limiter.failed("10.0.0.1", null);
    }

    assertThat(limiter.blockedFor("10.0.0.1", "")).isPositive();
    assertThat(limiter.blockedFor("10.0.0.1", null)).isPositive();
    assertThat(limiter.blockedFor("10.0.0.1", "bob")).isZero();
  }

  @Test
  void failed_keepsAtMostTheLimitPerAddress() {
    for (int i = 0; i < 100; i++) {
      assertThat(limiter.failed("10.0.0.1", "bob")).isLessThanOrEqualTo(5);
    }
  }
}
