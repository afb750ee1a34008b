package org.regionfailover.status.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.ReloadOutcome;

/** The answers of {@code POST /reload} other than a finished reload. */
class ReloadEndpointTest {
  private static Request post(String accept) {
    return new Request("POST", "/reload", "", Map.of(),
        accept == null ? Map.of() : Map.of("Accept", List.of(accept)), "", "127.0.0.1", "alice");
  }

  @Test
  void notRunningYet_503WithRetryAfter() {
    Reply r = new ReloadEndpoint(user -> CompletableFuture.failedFuture(
        new IllegalStateException("the supervisor is still starting"))).reload(post(null));

    assertThat(r.status()).isEqualTo(503);
    assertThat(r.bodyText()).contains("still starting");
    assertThat(r.headers()).containsKey("Retry-After");
  }

  @Test
  void slowerThanTheWait_202_theOutcomeGoesToTheLog() {
    Reply r = new ReloadEndpoint(user -> new CompletableFuture<>(), Duration.ofMillis(1))
        .reload(post(null));

    assertThat(r.status()).isEqualTo(202);
    assertThat(r.bodyText()).contains("reload_applied");
  }

  @Test
  void rejected_422_asTextWhenAskedFor() {
    Reply r = new ReloadEndpoint(user -> CompletableFuture.completedFuture(
        ReloadOutcome.rejected("/etc/x.env line 3: FAILOVER_INTERVAL: 'banana' is not valid")))
        .reload(post("text/plain"));

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.bodyText()).startsWith("reload rejected, nothing changed: /etc/x.env line 3");
  }

  @Test
  void unchangedWithARestartPending_200() {
    ReloadOutcome o = new ReloadOutcome(ReloadOutcome.Kind.UNCHANGED, Optional.empty(),
        List.of(), List.of(), List.of(), List.of(), List.of(new org.regionfailover.config
            .ConfigDiff.Change(Optional.empty(), org.regionfailover.config.Setting.LISTEN,
            "127.0.0.1:9180", "127.0.0.1:9181", false)));
    Reply r = new ReloadEndpoint(user -> CompletableFuture.completedFuture(o))
        .reload(post(null));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).contains("\"outcome\":\"unchanged\"",
        "\"restart_pending\":[{\"setting\":\"FAILOVER_LISTEN\"", "\"user\":\"alice\"");
  }
}
