package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.Prerequisite;

/**
 * Issue 29: {@code bin/region-failover demo} on a terminal, as a person runs it, under a
 * pseudo-terminal made by util-linux's {@code script}: the text form, with colour, no JSON on
 * the screen, each failover one line, the probes folded, and the outcome and the status
 * page's URL in the last lines. (Piped, the same command prints JSON lines only, each with
 * an event: {@link DemoIT}.)
 */
class Issue29ConsoleDemoIT {
  private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*m");

  @Test
  void demo_onATerminal_printsTextLines_failoversOneLineEach_summaryAndUrlLast(
      @TempDir Path dir) throws Exception {
    if (Prerequisite.onPath("script") == null) {
      Prerequisite.missing("util-linux's script is not installed (apt-get install bsdutils)");
    }
    Path screen = dir.resolve("screen.txt");
    ProcessBuilder pb = new ProcessBuilder("script", "-qec", "bin/region-failover demo",
        "/dev/null").redirectErrorStream(true).redirectOutput(screen.toFile());
    Map<String, String> env = pb.environment();
    env.put("TERM", "xterm-256color");
    env.remove("NO_COLOR");
    env.remove("FAILOVER_LOG_FORMAT");
    env.remove("FAILOVER_VERBOSE");
    Process demo = pb.start();
    demo.getOutputStream().close();

    boolean exited = demo.waitFor(120, TimeUnit.SECONDS); // generous: a busy machine is slower
    if (!exited) {
      demo.destroyForcibly();
    }
    String raw = Files.readString(screen, StandardCharsets.UTF_8);
    assertThat(exited).as(raw).isTrue();
    assertThat(demo.exitValue()).as(raw).isZero();
    List<String> lines = raw.replace("\r", "").lines().toList();
    List<String> plain = lines.stream().map(l -> ANSI.matcher(l).replaceAll("")).toList();

    assertThat(plain).as("no JSON on the screen").noneMatch(l -> l.strip().startsWith("{"));
    assertThat(plain).filteredOn(l -> l.matches("\\d\\d:\\d\\d:\\d\\d ERROR failover .*"))
        .as("each failover one line").hasSize(2)
        .satisfiesExactly(
            l -> assertThat(l).contains(" EU->NAM "),
            l -> assertThat(l).contains(" NAM->APAC "));
    assertThat(lines).as("the level in colour")
        .anyMatch(l -> l.contains("\u001b[1;31mERROR\u001b[0m failover"));
    // Folded: one line per change of a region's health, not one a second (about 40 probes).
    assertThat(plain).filteredOn(l -> l.matches("\\d\\d:\\d\\d:\\d\\d \\w+ +probe .*"))
        .as("chain probes shown").hasSizeBetween(3, 8);
    List<String> last = plain.stream().filter(l -> !l.isBlank()).toList();
    last = last.subList(Math.max(0, last.size() - 5), last.size());
    assertThat(last).as("the last five lines").anyMatch(l -> l.startsWith(
        "Demo summary: complete, 2 failovers"));
    assertThat(last).anyMatch(l -> l.matches(" +status page: +http://127\\.0\\.0\\.1:\\d+/ .*"));
  }
}
