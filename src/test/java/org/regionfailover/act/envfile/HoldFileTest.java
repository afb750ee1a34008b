package org.regionfailover.act.envfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.FakeTicker;
import org.regionfailover.decide.Hold;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Operator;

class HoldFileTest {
  private static final Instant NOW = Instant.parse("2026-12-01T01:00:00Z");
  private static final Operator ANNA = new Operator("anna", "127.0.0.1");

  @Test
  void aHoldAndAScheduledOneRoundTripInWallClockTime(@TempDir Path dir) throws Exception {
    FakeTicker ticker = new FakeTicker();
    HoldFile file = new HoldFile(dir.resolve("cloud.env"), Clock.fixed(NOW, ZoneOffset.UTC),
        ticker);
    long since = ticker.read() - Duration.ofMinutes(5).toNanos();
    Hold hold = new Hold(ANNA, "DB work = slow, 100%", since,
        since + Duration.ofMinutes(30).toNanos(), true, false);
    Input.HoldCommand later = new Input.HoldCommand(null, "night", ANNA,
        NOW.plusSeconds(3600), false);

    file.save(hold, later);

    assertThat(file.file()).isEqualTo(dir.resolve(".cloud.env.hold").toAbsolutePath());
    assertThat(file.load()).containsExactly(
        new Input.HoldCommand(Duration.ofMinutes(30), "DB work = slow, 100%", ANNA,
            NOW.minusSeconds(300), true),
        new Input.HoldCommand(null, "night", ANNA, NOW.plusSeconds(3600), true));
  }

  @Test
  void aMissingOrDamagedFileHoldsNothingItCannotRead(@TempDir Path dir) throws Exception {
    HoldFile file = new HoldFile(dir.resolve("cloud.env"), Clock.systemUTC(), new FakeTicker());
    assertThat(file.load()).isEmpty();
    Files.writeString(file.file(), "garbage\nfrom=2026-12-01T01:00:00Z until=none user=a"
        + " address=b reason=ok\n");
    assertThat(file.load()).hasSize(1);
  }
}
