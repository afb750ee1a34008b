package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad maintenance file stops the start with exit 2, naming the file, the line and the rule. */
class MaintenanceFileCliTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env) {
    Cli cli = new Cli(env, new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        new CountDownLatch(0));
    return cli.run(new String[0]);
  }

  @Test
  void badLinesInTheDefaultPlaceBesideTheEnvFile_exit2NamingEachLine() throws Exception {
    Path file = Files.writeString(dir.resolve("maintenance"), "# windows\n"
        + "EU 2026-12-01T02:00/2h local time\n"
        + "EU 2026-12-01T02:00Z/2h\n"
        + "EU 2026-12-01T04:00Z/2026-12-01T02:00Z end before start\n");

    assertThat(run(CliBadInputTest.baseEnv(dir))).isEqualTo(2);

    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--maintenance-file (FAILOVER_MAINTENANCE_FILE)")
        .contains(file + ":2: start '2026-12-01T02:00' has no offset")
        .contains(file + ":3: ", "the reason is required")
        .contains(file + ":4: end 2026-12-01T02:00:00Z is not after the start");
  }

  @Test
  void aGoodFileGivenByItsSetting_starts() throws Exception {
    Path file = Files.writeString(dir.resolve("windows.txt"),
        "NAM 2026-12-01T02:00+01:00/90m kernel upgrade\n");
    Map<String, String> env = CliBadInputTest.baseEnv(dir);
    env.put("FAILOVER_MAINTENANCE_FILE", file.toString());

    assertThat(run(env)).isZero();
    assertThat(List.of(err.toString(StandardCharsets.UTF_8))).containsExactly("");
  }
}
