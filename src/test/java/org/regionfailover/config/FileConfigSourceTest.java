package org.regionfailover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link FileConfigSource#load} gives the runtime: the sets, their values, the files. */
class FileConfigSourceTest {
  private static final String LIST = "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com";

  @TempDir Path dir;
  private Path config;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    config = dir.resolve("rf.env");
    Files.createDirectories(dir.resolve("a"));
    Files.createDirectories(dir.resolve("b"));
    Files.write(config, List.of("EXT_CLOUD_FAILOVER_LIST=" + LIST,
        "CONNECTION_KEEPALIVE_ORG_ID=org", "CONNECTION_KEEPALIVE_TXN_ID=txn",
        "EXT_CLOUD_ENV_FILE=" + dir.resolve("ext_cloud.env"), "FAILOVER_INTERVAL=20s",
        "FAILOVER_LISTEN=127.0.0.1:0"));
  }

  private FileConfigSource source() {
    return new FileConfigSource(Map.of(), config.toString(), env, true);
  }

  private void writeSet(String name, String... lines) throws Exception {
    Files.createDirectories(dir.resolve("sets.d"));
    Files.write(dir.resolve("sets.d").resolve(name), List.of(lines));
  }

  @Test
  void withoutSetsDirectory_oneDefaultSet_withTheFilesValues() {
    ProcessConfiguration p = source().load();

    assertThat(p.multiSet()).isFalse();
    assertThat(p.file()).contains(config);
    assertThat(p.setsDir()).isEmpty();
    SetConfiguration set = p.sets().get(0);
    assertThat(set.name()).isEqualTo(SetConfiguration.DEFAULT);
    assertThat(set.value(Setting.INTERVAL)).contains("20s");
    assertThat(set.value(Setting.OUTAGE_THRESHOLD)).as("a default").contains("4m");
    assertThat(set.value(Setting.REGION)).as("no value, no default").isEmpty();
    assertThat(set.config().settings().interval()).hasSeconds(20);
  }

  @Test
  void withoutAnySettingsFile_theFlagsAndEnvironmentAloneAreTheDefaultSet() {
    env.put("EXT_CLOUD_FAILOVER_LIST", LIST);
    env.put("CONNECTION_KEEPALIVE_ORG_ID", "org");
    env.put("CONNECTION_KEEPALIVE_TXN_ID", "txn");
    env.put("EXT_CLOUD_ENV_FILE", dir.resolve("ext_cloud.env").toString());

    ProcessConfiguration p = new FileConfigSource(Map.of(Setting.INTERVAL, "30s"), null, env,
        false).load();

    assertThat(p.file()).isEmpty();
    assertThat(p.sets()).singleElement().satisfies(s ->
        assertThat(s.value(Setting.INTERVAL)).contains("30s"));
  }

  @Test
  void sets_inNameOrder_eachWithItsValues_overTheMainFile_andTheSameProcessWideParts()
      throws Exception {
    writeSet("b.env", "EXT_CLOUD_ENV_FILE=" + dir.resolve("b/ext_cloud.env"),
        "FAILOVER_PROGRAMS=b:x", "FAILOVER_INTERVAL=15s");
    writeSet("a.env", "EXT_CLOUD_ENV_FILE=" + dir.resolve("a/ext_cloud.env"),
        "FAILOVER_PROGRAMS=a:x");

    ProcessConfiguration p = source().load();

    assertThat(p.multiSet()).isTrue();
    assertThat(p.setsDir()).contains(dir.resolve("sets.d"));
    assertThat(p.sets()).extracting(SetConfiguration::name).containsExactly("a", "b");
    assertThat(p.set("a").orElseThrow().value(Setting.INTERVAL)).contains("20s");
    assertThat(p.set("b").orElseThrow().value(Setting.INTERVAL)).contains("15s");
    assertThat(p.set("b").orElseThrow().config().supervisor().programs()).containsExactly("b:x");
    assertThat(p.set("a").orElseThrow().config().listener())
        .isEqualTo(p.set("b").orElseThrow().config().listener());
  }

  /** An editor's lock (.#a.env, Emacs: a dangling link) or any hidden file is not a set. */
  @Test
  void hiddenFiles_areNotSets() throws Exception {
    writeSet("a.env", "EXT_CLOUD_ENV_FILE=" + dir.resolve("a/ext_cloud.env"),
        "FAILOVER_PROGRAMS=a:x");
    Files.createSymbolicLink(dir.resolve("sets.d/.#a.env"), Path.of("root@host.1234:1700000000"));
    writeSet(".b.env", "EXT_CLOUD_ENV_FILE=" + dir.resolve("b/ext_cloud.env"));
    writeSet("..env", "EXT_CLOUD_ENV_FILE=" + dir.resolve("b/ext_cloud.env"));

    assertThat(source().validate().problems()).isEmpty();
    assertThat(source().load().sets()).extracting(SetConfiguration::name).containsExactly("a");
  }

  @Test
  void everyLoadReadsTheFilesAgain() throws Exception {
    FileConfigSource source = source();
    assertThat(source.load().sets().get(0).value(Setting.INTERVAL)).contains("20s");

    Files.writeString(config, Files.readString(config).replace("FAILOVER_INTERVAL=20s",
        "FAILOVER_INTERVAL=25s"));
    assertThat(source.load().sets().get(0).value(Setting.INTERVAL)).contains("25s");

    writeSet("a.env", "EXT_CLOUD_ENV_FILE=" + dir.resolve("a/ext_cloud.env"));
    assertThat(source.load().sets()).extracting(SetConfiguration::name).containsExactly("a");

    Files.writeString(config, "FAILOVER_INTERVAL=soon\n", java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(source::load).isInstanceOf(ConfigException.class)
        .hasMessageContaining(config + ":7: FAILOVER_INTERVAL");
  }

  @Test
  void theEnvFileMustBeWritable_forTheLoop_notForCheck() throws Exception {
    // /proc exists and is a directory, but no file can be created in it (even by root).
    Files.writeString(config, Files.readString(config).replace(
        "EXT_CLOUD_ENV_FILE=" + dir.resolve("ext_cloud.env"), "EXT_CLOUD_ENV_FILE=/proc/x.env"));

    assertThat(new FileConfigSource(Map.of(), config.toString(), env, false).validate()
        .problems()).isEmpty();
    assertThat(source().validate().problems()).singleElement()
        .extracting(ConfigException::getMessage).asString()
        .startsWith(config + ":4: EXT_CLOUD_ENV_FILE (--env-file): '/proc/x.env' is not valid;"
            + " its directory /proc must exist and be writable");
  }

  @Test
  void theFirstProblemIsTheOneValidateAllThrows() {
    List<Map<String, String>> cases = List.of(
        Map.of("FAILOVER_INTERVAL", "x", "FAILOVER_FAILBACK", "sometimes"),
        Map.of("FAILOVER_PROBE_TIMEOUT", "30s", "DD_SITE", ""),
        Map.of("FAILOVER_FAILBACK_AFTER", "1s", "FAILOVER_TLS_TIMEOUT", "-1s"),
        Map.of("FAILOVER_CLUSTER", "c", "FAILOVER_QUORUM", "most"),
        Map.of("EXT_CLOUD_FAILOVER_LIST", "NAM", "FAILOVER_REGION", "MARS"));
    for (Map<String, String> bad : cases) {
      Map<String, String> vars = new HashMap<>(Map.of("EXT_CLOUD_FAILOVER_LIST", LIST,
          "CONNECTION_KEEPALIVE_ORG_ID", "org", "CONNECTION_KEEPALIVE_TXN_ID", "txn",
          "EXT_CLOUD_ENV_FILE", dir.resolve("ext_cloud.env").toString()));
      vars.putAll(bad);
      SettingsLoader loader = new SettingsLoader(Map.of(), vars);
      String first = catchMessage(loader::validateAll).orElseThrow();

      assertThat(new EliminatingValidator(loader).problems(false)).as(bad.toString())
          .first().extracting(ConfigException::getMessage).isEqualTo(first);
    }
  }

  @Test
  void independentProblems_areAllFound_consequencesAreNot() {
    Map<String, String> vars = new HashMap<>(Map.of("EXT_CLOUD_FAILOVER_LIST", LIST,
        "CONNECTION_KEEPALIVE_ORG_ID", "org", "CONNECTION_KEEPALIVE_TXN_ID", "txn",
        "EXT_CLOUD_ENV_FILE", dir.resolve("ext_cloud.env").toString()));
    vars.putAll(Map.of("FAILOVER_INTERVAL", "x", "FAILOVER_FAILBACK", "sometimes",
        "FAILOVER_TLS_TIMEOUT", "-1s", "FAILOVER_OUTAGE_THRESHOLD", "1s"));

    // The threshold is checked against the interval, which is bad: not a problem of its own.
    assertThat(new EliminatingValidator(new SettingsLoader(Map.of(), vars)).problems(false))
        .extracting(ConfigException::setting).containsExactly(Setting.INTERVAL.label(),
            Setting.FAILBACK.label(), Setting.TLS_TIMEOUT.label());
  }

  private static Optional<String> catchMessage(Runnable r) {
    try {
      r.run();
      return Optional.empty();
    } catch (ConfigException e) {
      return Optional.of(e.getMessage());
    }
  }
}
