package org.regionfailover.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.config.SettingsFile;

/**
 * Operators uncomment the shipped sample and source it from their own scripts (an
 * EnvironmentFile, a wrapper): with every line uncommented and not one edited, it must be
 * valid shell (placeholders like {@code <org-id>} were not: "syntax error near unexpected
 * token newline"), and sh must read the values our own parser reads, so a quoted pattern
 * means the same to both.
 */
class SampleEnvFileShellTest {
  private static final Path SAMPLE = Path.of("env/region-failover.env");

  @TempDir Path dir;

  @Test
  void everyLineUncommented_sourcesInSh_withTheValuesTheSettingsFileReads() throws Exception {
    Path uncommented = dir.resolve("all.env");
    StringBuilder text = new StringBuilder();
    for (String line : Files.readAllLines(SAMPLE, StandardCharsets.UTF_8)) {
      text.append(line.matches("^#[A-Z][A-Z0-9_]*=.*") ? line.substring(1) : line).append('\n');
    }
    Files.writeString(uncommented, text);

    Process sh = new ProcessBuilder("env", "-i", "sh", "-ec",
        "set -a; . \"$0\"; env -0", uncommented.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] out = sh.getInputStream().readAllBytes();
    assertThat(sh.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(sh.exitValue()).as("sh sourcing the uncommented sample").isZero();
    Map<String, String> shell = new LinkedHashMap<>();
    for (String pair : new String(out, StandardCharsets.UTF_8).split("\0")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        shell.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }

    SettingsFile file = SettingsFile.read(uncommented, "sample");
    assertThat(file.problems()).isEmpty();
    assertThat(file.entries()).hasSizeGreaterThan(50);
    file.entries().forEach((key, entry) ->
        assertThat(shell.get(key)).as("sh's value of " + key).isEqualTo(entry.value()));
  }
}
