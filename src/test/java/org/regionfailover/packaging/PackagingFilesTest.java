package org.regionfailover.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The systemd unit, the example start script and the cron example do what the docs say. */
class PackagingFilesTest {
  private static final Path UNIT = Path.of("packaging/systemd/region-failover.service");
  private static final Path START_STUNNEL = Path.of("packaging/supervisor/start-stunnel.sh");

  @TempDir Path dir;

  @Test
  void systemdUnit_isHardened_andDoesNotRestartOnBadConfig() throws Exception {
    List<String> lines = Files.readAllLines(UNIT);
    assertThat(lines).contains(
        "ExecStart=/usr/bin/region-failover --config /etc/region-failover/region-failover.env",
        "ExecReload=/bin/kill -HUP $MAINPID",
        "Restart=on-failure",
        "RestartPreventExitStatus=2",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ReadWritePaths=/opt/application/tmp",
        "PrivateTmp=yes",
        "ProtectHome=yes");
    assertThat(lines).filteredOn(l -> l.startsWith("ReadWritePaths=")).hasSize(1);
    // One reader of the settings file, the program: a reload must see what a start sees.
    assertThat(lines).noneMatch(l -> l.startsWith("EnvironmentFile="));
  }

  @Test
  void supervisordProgram_passesTheSettingsFile_withoutSourcingIt() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("packaging/supervisor/region-failover.conf"));
    assertThat(lines).contains(
        "command=/usr/bin/region-failover --config /etc/region-failover/region-failover.env");
    assertThat(lines).noneMatch(l -> !l.startsWith(";") && l.contains("set -a"));
  }

  @Test
  void debianPackage_installsTheCompletionAndTheManPage_theBuildWrites() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    // Written in the package phase by the jar just built, before jdeb packs them.
    int exec = pom.indexOf("<id>shell-docs</id>");
    assertThat(exec).as("pom.xml runs ShellDocs").isPositive();
    assertThat(pom.substring(exec, pom.indexOf("</execution>", exec)))
        .contains("<phase>package</phase>", "org.regionfailover.cli.ShellDocs",
            "${project.build.directory}/shell-docs");
    assertThat(exec).as("after the jar is shaded").isGreaterThan(pom.indexOf("<goal>shade</goal>"));
    for (var file : java.util.Map.of(
        "shell-docs/region-failover", "/usr/share/bash-completion/completions",
        "shell-docs/region-failover.1.gz", "/usr/share/man/man1").entrySet()) {
      int at = pom.indexOf("<src>${project.build.directory}/" + file.getKey() + "</src>");
      assertThat(at).as("pom.xml ships " + file.getKey()).isPositive();
      assertThat(pom.substring(at, pom.indexOf("</data>", at)))
          .contains("<prefix>" + file.getValue() + "</prefix>", "<filemode>644</filemode>");
    }
  }

  @Test
  void debianPackage_shipsTheSetFileExample_amongTheExamples() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    int at = pom.indexOf("<src>${project.basedir}/env/sets.d/payments.env.example</src>");
    assertThat(at).as("pom.xml ships env/sets.d/payments.env.example").isPositive();
    assertThat(pom.substring(at, pom.indexOf("</data>", at)))
        .contains("<prefix>/usr/share/doc/region-failover/examples/sets.d</prefix>");
  }

  @Test
  void sampleMaintenanceFile_parses_andIsShippedAmongTheExamples() throws Exception {
    Path sample = Path.of("env/maintenance.example");
    assertThat(org.regionfailover.config.MaintenanceFile.read(sample,
        List.of("EU", "NAM", "APAC"))).hasSize(2);
    String pom = Files.readString(Path.of("pom.xml"));
    int at = pom.indexOf("<src>${project.basedir}/env/maintenance.example</src>");
    assertThat(at).as("pom.xml ships env/maintenance.example").isPositive();
    assertThat(pom.substring(at, pom.indexOf("</data>", at)))
        .contains("<prefix>/usr/share/doc/region-failover/examples</prefix>");
  }

  @Test
  void systemdUnit_passesSystemdAnalyzeVerify() throws Exception {
    Path analyze = onPath("systemd-analyze");
    if (analyze == null) {
      System.err.println("SKIPPED: systemd-analyze is not on PATH; the unit is not verified");
      Assumptions.abort("systemd-analyze is not on PATH");
    }
    // verify also checks that ExecStart exists: point it at the launcher in this checkout
    // (the package puts that same script at /usr/bin/region-failover).
    Path unit = dir.resolve("region-failover.service");
    Files.writeString(unit, Files.readString(UNIT).replace("ExecStart=/usr/bin/region-failover",
        "ExecStart=" + Path.of("bin/region-failover").toAbsolutePath()));
    Process p = new ProcessBuilder(analyze.toString(), "verify", unit.toString())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    // Unknown keys and bad values are only warnings ("..., ignoring"): fail on those too.
    assertThat(output.lines().filter(l -> l.contains("region-failover.service")))
        .as("systemd-analyze warnings about the unit").isEmpty();
  }

  @Test
  void startStunnel_withoutExtCloud_refusesToStartWithExit5() throws Exception {
    Path envFile = dir.resolve("ext_cloud.env");
    assertThat(runStartScript(envFile)).as("env file missing").isEqualTo(5);
    Files.writeString(envFile, "export EXT_REGION=EU\n");
    assertThat(runStartScript(envFile)).as("env file without EXT_CLOUD").isEqualTo(5);
  }

  @Test
  void sampleExtCloudEnv_isExactlyTheTwoExportLines() throws Exception {
    assertThat(Files.readString(Path.of("env/ext_cloud.env")))
        .matches("export EXT_CLOUD=[a-z0-9.-]+\nexport EXT_REGION=[A-Z]+\n");
  }

  @Test
  void cronExample_runsTheOneShotCheck() throws Exception {
    assertThat(Files.readString(Path.of("packaging/cron/region-failover-check"))).contains(
        "/usr/bin/region-failover check --config /etc/region-failover/region-failover.env");
  }

  private int runStartScript(Path envFile) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", START_STUNNEL.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
    pb.environment().put("EXT_CLOUD_ENV_FILE", envFile.toString());
    pb.environment().remove("EXT_CLOUD");
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  private static Path onPath(String name) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path c = Path.of(d.isEmpty() ? "." : d, name);
      if (Files.isExecutable(c)) {
        return c;
      }
    }
    return null;
  }
}
