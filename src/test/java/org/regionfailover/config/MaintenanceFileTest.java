package org.regionfailover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenanceFileTest {
  private static final List<String> REGIONS = List.of("EU", "NAM", "APAC");

  @Test
  void readsWindowsCommentsAndBlankLines(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("maintenance");
    Files.writeString(file, "# planned\n\neu 2026-12-01T02:00Z/2h cloud maintenance\n"
        + "  # indented comment\nNAM 2026-12-01T03:00+01:00/2026-12-01T04:30+01:00 kernel"
        + " upgrade, ticket 42\n");

    List<MaintenanceWindow> windows = MaintenanceFile.read(file, REGIONS);

    assertThat(windows).containsExactly(
        new MaintenanceWindow("EU", Instant.parse("2026-12-01T02:00:00Z"), Duration.ofHours(2),
            "cloud maintenance"),
        new MaintenanceWindow("NAM", Instant.parse("2026-12-01T02:00:00Z"),
            Duration.ofMinutes(90), "kernel upgrade, ticket 42"));
  }

  @Test
  void aMissingFileHoldsNoWindows(@TempDir Path dir) {
    assertThat(MaintenanceFile.read(dir.resolve("none"), REGIONS)).isEmpty();
  }

  @Test
  void theIdIsStableAndTheLineRoundTrips() {
    MaintenanceWindow w = MaintenanceFile.line("EU 2026-12-01T02:00Z/2h cloud maintenance",
        REGIONS);
    MaintenanceWindow again = MaintenanceFile.line(w.line(), REGIONS);
    assertThat(again).isEqualTo(w);
    assertThat(again.id()).isEqualTo(w.id()).hasSize(12);
    assertThat(MaintenanceFile.line("EU 2026-12-01T02:00Z/3h cloud maintenance", REGIONS).id())
        .isNotEqualTo(w.id());
    assertThat(MaintenanceFile.parse("f", List.of(MaintenanceFile.render(List.of(w))
        .split("\n")), REGIONS)).containsExactly(w);
  }

  @Test
  void everyBadLineIsNamedWithWhatIsAllowed() {
    List<String> lines = List.of(
        "EU 2026-12-01T02:00Z/2h",
        "EU 2026-12-01T02:00/2h local time",
        "MARS 2026-12-01T02:00Z/2h no such region",
        "EU 2026-12-01T04:00Z/2026-12-01T02:00Z end before start",
        "EU 2026-12-01T02:00Z/0s nothing",
        "EU tomorrow/2h vague",
        "# fine",
        "NAM 2026-12-01T02:00Z/1h fine");
    assertThatThrownBy(() -> MaintenanceFile.parse("/etc/rf/maintenance", lines, REGIONS))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--maintenance-file (FAILOVER_MAINTENANCE_FILE): ")
        .hasMessageContaining("/etc/rf/maintenance:1: ")
        .hasMessageContaining("the reason is required")
        .hasMessageContaining("/etc/rf/maintenance:2: start '2026-12-01T02:00' has no offset;"
            + " expected an ISO-8601 time in UTC")
        .hasMessageContaining("/etc/rf/maintenance:3: region 'MARS' is not in the failover"
            + " order; expected one of EU, NAM, APAC")
        .hasMessageContaining("/etc/rf/maintenance:4: end 2026-12-01T02:00:00Z is not after the"
            + " start")
        .hasMessageContaining("/etc/rf/maintenance:5: duration: '0s' is not valid")
        .hasMessageContaining("/etc/rf/maintenance:6: start 'tomorrow' is not a time")
        .hasMessageNotContaining(":7:").hasMessageNotContaining(":8:");
  }
}
