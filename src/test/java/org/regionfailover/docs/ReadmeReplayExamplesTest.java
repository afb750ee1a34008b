package org.regionfailover.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.cli.Cli;

/**
 * The README's replay examples cannot go stale (issue 25: it showed 4 and 6 transitions
 * where the build printed 3 and 3): each code block that begins with
 * {@code $ region-failover replay ...} is run as the command line it shows, and the lines
 * it shows must be its output (stdout, then stderr) in order; a line {@code ...} stands
 * for any number of lines, and elsewhere shown lines are consecutive.
 */
class ReadmeReplayExamplesTest {
  private static final String PROMPT = "$ region-failover ";

  /** One example: its command line's arguments and the output shown. */
  record Example(List<String> args, List<String> shown) {}

  static List<Example> examples(String readme) {
    List<Example> out = new ArrayList<>();
    List<String> lines = readme.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).startsWith(PROMPT + "replay")) {
        continue;
      }
      StringBuilder command = new StringBuilder();
      while (lines.get(i).endsWith("\\")) {
        command.append(lines.get(i), 0, lines.get(i).length() - 1).append(' ');
        i++;
      }
      command.append(lines.get(i));
      List<String> shown = new ArrayList<>();
      for (i++; !lines.get(i).startsWith("```"); i++) {
        shown.add(lines.get(i));
      }
      out.add(new Example(Arrays.asList(command.substring(PROMPT.length()).trim()
          .split("\\s+")), shown));
    }
    return out;
  }

  /** Whether {@code shown} (with {@code ...} for any lines) is {@code actual}. */
  static boolean matches(List<String> shown, List<String> actual) {
    return matches(shown, 0, actual, 0);
  }

  private static boolean matches(List<String> shown, int s, List<String> actual, int a) {
    if (s == shown.size()) {
      return a == actual.size();
    }
    if (shown.get(s).equals("...")) {
      for (int from = a; from <= actual.size(); from++) {
        if (matches(shown, s + 1, actual, from)) {
          return true;
        }
      }
      return false;
    }
    return a < actual.size() && shown.get(s).equals(actual.get(a))
        && matches(shown, s + 1, actual, a + 1);
  }

  @Test
  void everyReplayExampleOfTheReadme_printsWhatTheReadmeShows() throws Exception {
    List<Example> examples = examples(Files.readString(Path.of("README.md"),
        StandardCharsets.UTF_8));

    assertThat(examples).as("the README's replay examples").hasSizeGreaterThanOrEqualTo(3);
    for (Example e : examples) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int exit = new Cli(Map.of(), new ByteArrayInputStream(new byte[0]),
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0),
          new RecordingEventLog()).run(e.args().toArray(String[]::new));
      List<String> actual = new ArrayList<>(out.toString(StandardCharsets.UTF_8).lines().toList());
      actual.addAll(err.toString(StandardCharsets.UTF_8).lines().toList());

      assertThat(exit).as("exit of %s", e.args()).isZero();
      assertThat(matches(e.shown(), actual))
          .as("README shows for %s:%n%s%nbut it prints:%n%s", e.args(),
              String.join("\n", e.shown()), String.join("\n", actual))
          .isTrue();
    }
  }

  @Test
  void theMatcher_failsOnAWrongLine_aMissingLine_andLinesOutsideAnEllipsis() {
    List<String> actual = List.of("a", "b", "c", "d");

    assertThat(matches(List.of("...", "b", "c", "..."), actual)).isTrue();
    assertThat(matches(List.of("a", "...", "d"), actual)).isTrue();
    assertThat(matches(List.of("...", "b", "d", "..."), actual)).as("not consecutive").isFalse();
    assertThat(matches(List.of("...", "c"), actual)).as("d follows").isFalse();
    assertThat(matches(List.of("...", "transitions: 3", "..."), actual)).isFalse();
  }
}
