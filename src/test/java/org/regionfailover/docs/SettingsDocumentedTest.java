package org.regionfailover.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.Setting;

/**
 * The README's configuration reference and the sample env file list exactly the settings
 * of the {@link Setting} registry, with their flags and defaults, so they cannot drift: a
 * setting added to the code fails this test until it is documented in both, and a
 * documented setting that the code no longer has fails it too.
 */
class SettingsDocumentedTest {
  private static final Path README = Path.of("README.md");
  private static final Path SAMPLE = Path.of("env/region-failover.env");
  private static final String BEGIN = "<!-- settings:begin -->";
  private static final String END = "<!-- settings:end -->";
  /** A table row: | flag | `ENV` | default | meaning | bounds |. */
  private static final Pattern ROW =
      Pattern.compile("^\\|([^|]*)\\|\\s*`([A-Z0-9_]+)`\\s*\\|([^|]*)\\|(.*)\\|(.*)\\|\\s*$");
  /** A variable line of the sample, commented out or not: {@code #FAILOVER_INTERVAL=10s}. */
  private static final Pattern VAR = Pattern.compile("^#?([A-Z][A-Z0-9_]*)=(.*)$");

  record Row(String group, String flags, String env, String defaultValue) {}

  @Test
  void readmeTable_listsEverySetting_andNothingElse() throws Exception {
    Map<String, Row> rows = readmeRows();
    assertThat(rows.keySet()).as("environment variables in the README's configuration table")
        .containsExactlyInAnyOrderElementsOf(envs());
  }

  @Test
  void readmeTable_hasEachSettingsFlagsDefaultAndGroup() throws Exception {
    Map<String, Row> rows = readmeRows();
    for (Setting s : Setting.values()) {
      Row row = rows.get(s.env());
      assertThat(row).as("README row for " + s.env()).isNotNull();
      assertThat(row.group()).as(s.env() + " is under its group's heading")
          .isEqualToIgnoringCase(s.group().name());
      if (s.hasFlag()) {
        for (String name : s.names()) {
          assertThat(row.flags()).as(s.env() + " flags").contains("`" + name);
        }
      } else {
        assertThat(row.flags()).as(s.env() + " has no flag").contains("environment only");
      }
      assertThat(row.defaultValue()).as(s.env() + " default")
          .isEqualTo(s.defaultValue().map(d -> "`" + d + "`").orElse("none"));
    }
  }

  @Test
  void readmeTable_rowsAreInRegistryOrder() throws Exception {
    assertThat(new ArrayList<>(readmeRows().keySet())).containsExactlyElementsOf(envs());
  }

  @Test
  void sampleEnvFile_listsEverySetting_andNothingElse() throws Exception {
    assertThat(sampleVars().keySet()).as("variables in " + SAMPLE)
        .containsExactlyInAnyOrderElementsOf(envs());
  }

  @Test
  void sampleEnvFile_commentsEachSettingWithItsFlagAndDefault() throws Exception {
    List<String> lines = Files.readAllLines(SAMPLE, StandardCharsets.UTF_8);
    Map<String, String> vars = sampleVars();
    for (Setting s : Setting.values()) {
      int at = lineOf(lines, s.env());
      String comment = lines.get(at - 1);
      assertThat(comment).as("comment above " + s.env()).startsWith("# ")
          .contains(s.hasFlag() ? s.flag() + ":" : "environment only");
      String shown = s.defaultValue().orElse("none");
      assertThat(comment).as("default of " + s.env()).contains("Default: " + shown);
      s.defaultValue().ifPresent(d ->
          assertThat(vars.get(s.env())).as("value shown for " + s.env()).isEqualTo(d));
      if (s.isSecret()) {
        assertThat(lines.get(at)).as("secret " + s.env() + " is a commented placeholder")
            .startsWith("#").matches("#" + s.env() + "=your-[a-z-]+");
      }
    }
  }

  @Test
  void sampleEnvFile_setsNothingByDefault_soAnUnconfiguredHostFailsAtStartUp() throws Exception {
    assertThat(Files.readAllLines(SAMPLE, StandardCharsets.UTF_8))
        .filteredOn(l -> VAR.matcher(l).matches())
        .allSatisfy(l -> assertThat(l).startsWith("#"));
  }

  private static List<String> envs() {
    return Stream.of(Setting.values()).map(Setting::env).toList();
  }

  private static Map<String, Row> readmeRows() throws Exception {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    assertThat(begin).as("README has " + BEGIN).isNotNegative();
    assertThat(end).as("README has " + END + " after " + BEGIN).isGreaterThan(begin);
    Map<String, Row> rows = new LinkedHashMap<>();
    String group = "";
    Set<String> groups = Stream.of(Setting.Group.values())
        .map(g -> g.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    for (String line : readme.substring(begin, end).split("\n")) {
      if (line.startsWith("### ")) {
        group = line.substring(4).strip();
        assertThat(groups).as("known group heading").contains(group.toLowerCase(Locale.ROOT));
        continue;
      }
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        Row row = new Row(group, m.group(1).strip(), m.group(2), m.group(3).strip());
        assertThat(rows.put(row.env(), row)).as(row.env() + " appears once").isNull();
      } else if (line.startsWith("|") && !line.startsWith("| flag") && !line.startsWith("|---")) {
        throw new AssertionError("unreadable row in the README's configuration table: " + line);
      }
    }
    return rows;
  }

  private static Map<String, String> sampleVars() throws Exception {
    Map<String, String> vars = new LinkedHashMap<>();
    for (String line : Files.readAllLines(SAMPLE, StandardCharsets.UTF_8)) {
      Matcher m = VAR.matcher(line);
      if (m.matches()) {
        assertThat(vars.put(m.group(1), m.group(2))).as(m.group(1) + " appears once").isNull();
      }
    }
    return vars;
  }

  private static int lineOf(List<String> lines, String env) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches("#?" + env + "=.*")) {
        return i;
      }
    }
    throw new AssertionError(env + " is not in " + SAMPLE);
  }
}
