package org.regionfailover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings file's format: today's env files (systemd's and sh's spellings) read the same. */
class SettingsFileTest {
  @TempDir Path dir;

  private SettingsFile parse(String... lines) {
    return SettingsFile.parse(Path.of("/etc/rf.env"), List.of(lines));
  }

  private static Map<String, String> values(SettingsFile f) {
    return f.entries().values().stream()
        .collect(Collectors.toMap(SettingsFile.Entry::key, SettingsFile.Entry::value));
  }

  private static List<String> messages(SettingsFile f) {
    return f.problems().stream().map(ConfigException::getMessage).toList();
  }

  @Test
  void commentsBlankLinesExportAndQuotes_readAsTheShellWould() {
    SettingsFile f = parse(
        "# a comment",
        "",
        "   ",
        "  # an indented comment",
        "FAILOVER_INTERVAL=10s",
        "export FAILOVER_REGION=EU",
        "export\tFAILOVER_DRY_RUN=true",
        "DD_TAGS=\"team:platform,owner:ops\"",
        "FAILOVER_PROGRAMS='app:a,app:b'",
        "  FAILOVER_LISTEN=127.0.0.1:9180  ",
        "DD_ENV=\"it's\"",
        "FAILOVER_CLUSTER=a=b");

    assertThat(f.problems()).isEmpty();
    assertThat(values(f)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "FAILOVER_INTERVAL", "10s",
        "FAILOVER_REGION", "EU",
        "FAILOVER_DRY_RUN", "true",
        "DD_TAGS", "team:platform,owner:ops",
        "FAILOVER_PROGRAMS", "app:a,app:b",
        "FAILOVER_LISTEN", "127.0.0.1:9180",
        "DD_ENV", "it's",
        "FAILOVER_CLUSTER", "a=b"));
    assertThat(f.entry("FAILOVER_REGION").orElseThrow().where()).isEqualTo("/etc/rf.env:6");
  }

  @Test
  void nothingElseIsInterpreted_noEscapesNoVariablesNoTrailingComments() {
    SettingsFile f = parse("A=$HOME", "B=\"a\\\"b\"", "C=10s # ten seconds", "D=\"\"", "E=");

    assertThat(values(f)).containsEntry("A", "$HOME").containsEntry("B", "a\\\"b")
        .containsEntry("C", "10s # ten seconds").containsEntry("D", "").containsEntry("E", "");
  }

  @Test
  void lineWithoutEquals_isAProblemNamingFileLineAndKey() {
    SettingsFile f = parse("FAILOVER_INTERVAL=10s", "FAILOVER_REGION EU");

    assertThat(messages(f)).singleElement().asString()
        .startsWith("/etc/rf.env:2: FAILOVER_REGION: the line is not KEY=VALUE");
    assertThat(values(f)).containsOnlyKeys("FAILOVER_INTERVAL");
  }

  @Test
  void spacesAroundEquals_areAProblem_asInTheShell() {
    assertThat(messages(parse("FAILOVER_INTERVAL = 10s"))).singleElement().asString()
        .startsWith("/etc/rf.env:1: FAILOVER_INTERVAL: the line is not KEY=VALUE");
  }

  @Test
  void lineThatIsNotEvenAKey_isNotShown_itMayBeASecret() {
    assertThat(messages(parse("hunter2 s3cret!"))).singleElement().asString()
        .startsWith("/etc/rf.env:1: line 1: not KEY=VALUE").doesNotContain("hunter2", "s3cret");
    assertThat(messages(parse("9LIVES=x"))).singleElement().asString()
        .startsWith("/etc/rf.env:1: line 1:");
  }

  @Test
  void quoteLeftOpen_isAProblem() {
    assertThat(messages(parse("DD_TAGS=\"team:platform", "DD_ENV='prod\""))).hasSize(2)
        .allSatisfy(m -> assertThat(m).contains("starts with a quote that does not end it"));
  }

  @Test
  void keyGivenTwice_isAProblemNamingBothLines_andTheFirstValueStays() {
    SettingsFile f = parse("FAILOVER_INTERVAL=10s", "# x", "FAILOVER_INTERVAL=20s");

    assertThat(messages(f)).containsExactly(
        "/etc/rf.env:3: FAILOVER_INTERVAL: given twice, on lines 1 and 3; keep one");
  }

  @Test
  void byteOrderMark_isNotPartOfTheFirstKey() {
    assertThat(values(parse("\uFEFFFAILOVER_INTERVAL=10s"))).containsOnlyKeys("FAILOVER_INTERVAL");
  }

  @Test
  void shippedSample_readsWithoutProblems_andSetsNothing() {
    SettingsFile f = SettingsFile.read(Path.of("env/region-failover.env"), "test");

    assertThat(f.problems()).isEmpty();
    assertThat(f.entries()).isEmpty();
  }

  @Test
  void shippedSample_uncommented_givesEverySettingItsDocumentedDefault() throws Exception {
    Path copy = dir.resolve("all.env");
    Files.writeString(copy, Files.readString(Path.of("env/region-failover.env"))
        .replaceAll("(?m)^#([A-Z][A-Z0-9_]*=)", "$1"));

    SettingsFile f = SettingsFile.read(copy, "test");

    assertThat(f.problems()).isEmpty();
    for (Setting s : Setting.values()) {
      assertThat(f.entry(s.env())).as(s.env()).isPresent();
      s.defaultValue().ifPresent(d -> assertThat(f.entry(s.env()).orElseThrow().value())
          .as(s.env()).isEqualTo(d));
    }
  }

  @Test
  void unreadable_isAConfigExceptionNamingTheFile() throws Exception {
    Path directory = Files.createDirectory(dir.resolve("x.env"));
    Path dangling = Files.createSymbolicLink(dir.resolve("y.env"), dir.resolve("gone"));

    assertThatThrownBy(() -> SettingsFile.read(directory, "set x"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("set x: cannot read " + directory + ": it is a directory");
    assertThatThrownBy(() -> SettingsFile.read(dangling, "set y"))
        .hasMessageStartingWith("set y: cannot read " + dangling + ": it is a link to nothing");
    assertThatThrownBy(() -> SettingsFile.read(dir.resolve("none.env"), "--config")
        ).hasMessageContaining("there is no such file");
  }

  @Test
  void closestKey_suggestsAnEditOrTwo_notAnythingFarther() {
    List<String> keys = List.of("FAILOVER_INTERVAL", "FAILOVER_REGION_INTERVAL", "DD_ENV");

    assertThat(ClosestKey.among(keys, "FAILOVER_INTERVALL")).contains("FAILOVER_INTERVAL");
    assertThat(ClosestKey.among(keys, "failover_interval")).contains("FAILOVER_INTERVAL");
    assertThat(ClosestKey.among(keys, "DD_EN")).contains("DD_ENV");
    assertThat(ClosestKey.among(keys, "JAVA_OPTS")).isEmpty();
    assertThat(ClosestKey.distance("kitten", "sitting")).isEqualTo(3);
  }
}
