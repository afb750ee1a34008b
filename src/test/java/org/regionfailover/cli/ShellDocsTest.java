package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.Prerequisite;
import org.regionfailover.config.Setting;

/**
 * Shell completion and the man page (issue 29), as the build writes them (ShellDocs) and
 * as {@code region-failover completion} prints the script: completed by a real bash, the
 * page rendered by man.
 */
class ShellDocsTest {
  @TempDir Path dir;

  private Path script;

  @BeforeEach
  void writeThem() throws IOException {
    ShellDocs.write(dir);
    script = dir.resolve(ShellDocs.COMPLETION);
  }

  /** What the script completes {@code words} to, the last one being the word under the cursor. */
  private List<String> complete(String... words) throws Exception {
    StringBuilder array = new StringBuilder();
    for (String w : words) {
      array.append(" '").append(w).append('\'');
    }
    String line = String.join(" ", words);
    // As bash calls a completion function: the words, the cursor's word, the line.
    String body = ". '" + script + "'\n"
        + "COMP_WORDS=(" + array + " )\n"
        + "COMP_CWORD=" + (words.length - 1) + "\n"
        + "COMP_LINE='" + line + "'\n"
        + "COMP_POINT=${#COMP_LINE}\n"
        + "_complete_region-failover region-failover\n"
        + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    Process p = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", body)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).isZero();
    return out.lines().filter(l -> !l.isEmpty()).toList();
  }

  @Test
  void completion_completesACommand() throws Exception {
    assertThat(complete("region-failover", "st")).containsExactly("status");
    assertThat(complete("region-failover", "re")).containsExactlyInAnyOrder("replay", "reload",
        "release", "resign");
  }

  @Test
  void completion_completesTheFlagsThatStartSo() throws Exception {
    List<String> expected = Arrays.stream(Setting.values()).filter(Setting::hasFlag)
        .map(Setting::flag).filter(f -> f.startsWith("--fail")).toList();

    assertThat(expected).contains("--failover-list", "--failback");
    assertThat(complete("region-failover", "--fail")).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void completion_ofACommand_offersWhatItsHelpShows() throws Exception {
    assertThat(complete("region-failover", "status", "--l")).containsExactly("--listen");
    assertThat(complete("region-failover", "help", "sta")).containsExactly("status");
  }

  @Test
  void completion_ofAValue_offersTheWordsOrTheFilesItTakes() throws Exception {
    Files.createDirectories(dir.resolve("etc"));
    Files.writeString(dir.resolve("etc/region-failover.env"), "");
    Files.writeString(dir.resolve("etc/other.env"), "");

    assertThat(complete("region-failover", "--failback", ""))
        .containsExactlyInAnyOrder("auto", "manual", "off");
    assertThat(complete("region-failover", "--role", "")).containsExactlyInAnyOrder("fleet",
        "active-standby");
    assertThat(complete("region-failover", "check", "--config", dir + "/etc/reg"))
        .containsExactly(dir + "/etc/region-failover.env");
    assertThat(complete("region-failover", "--env-file", dir + "/etc/"))
        .containsExactlyInAnyOrder(dir + "/etc/region-failover.env", dir + "/etc/other.env");
  }

  @Test
  void settingsAreReadAsTyped_fileSettingsToo() {
    var flags = SettingOptions.values(new picocli.CommandLine(Cli.spec()).parseArgs(
        "--env-file", "/var/tmp//ext_cloud.env", "--interval", "5s", "--dry-run"));
    assertThat(flags).containsEntry(Setting.ENV_FILE, "/var/tmp//ext_cloud.env")
        .containsEntry(Setting.INTERVAL, "5s").containsEntry(Setting.DRY_RUN, "true");
  }

  @Test
  void completionCommand_printsTheScriptTheBuildWrites() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Cli cli = new Cli(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0));

    assertThat(cli.run("completion", "bash")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(Files.readString(script));
    assertThat(cli.run("completion", "fish")).isEqualTo(Cli.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("'fish'", "only bash");
  }

  private String page() throws IOException {
    try (InputStream in = new GZIPInputStream(
        Files.newInputStream(dir.resolve(ShellDocs.MAN_PAGE)))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void manPage_hasASectionPerCommand_withTheOptionsItsHelpShows() throws IOException {
    String page = page();

    assertThat(page).startsWith(".TH REGION-FAILOVER 1 ");
    for (String command : Cli.spec().subcommands().keySet()) {
      assertThat(page).contains(".SS \"region\\-failover " + ManPage.escape(command));
    }
    assertThat(page).contains(".SH EXIT STATUS", ".SH ENVIRONMENT", "DD_API_KEY",
        "\\fB\\-\\-listen\\fR=\\fIHOST:PORT\\fR");
    // No line a troff request by accident: every line of text is escaped.
    assertThat(page.lines().filter(l -> l.startsWith(".") || l.startsWith("'")))
        .allSatisfy(l -> assertThat(l).matches("\\.(TH|SH|SS|TP|PP|IP|B|BR|I|br|ad|nh)( .*)?"));
  }

  @Test
  void manPage_isTheSameBytesOnEveryBuild() throws IOException {
    byte[] first = Files.readAllBytes(dir.resolve(ShellDocs.MAN_PAGE));
    Path again = dir.resolve("again");

    ShellDocs.write(again);

    assertThat(Files.readAllBytes(again.resolve(ShellDocs.MAN_PAGE))).isEqualTo(first);
  }

  @Test
  void manPage_rendersWithManWithoutWarnings() throws Exception {
    Path man = Prerequisite.onPath("man");
    if (man == null) {
      Prerequisite.missing("man is not on PATH (Debian: apt-get install man-db)");
    }
    Path warnings = dir.resolve("warnings");
    ProcessBuilder pb = new ProcessBuilder(man.toString(), "--warnings", "-l",
        dir.resolve(ShellDocs.MAN_PAGE).toString())
        .redirectError(warnings.toFile());
    pb.environment().put("MANWIDTH", "80");
    pb.environment().put("MANPAGER", "cat");
    pb.environment().put("LC_ALL", "C.UTF-8");
    Process p = pb.start();
    String rendered;
    try (InputStream in = p.getInputStream()) {
      rendered = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();

    assertThat(p.exitValue()).isZero();
    assertThat(Files.readString(warnings)).isEmpty();
    assertThat(rendered).contains("NAME", "SYNOPSIS", "COMMANDS", "EXIT STATUS",
        "region-failover status [OPTIONS]", "region-failover help [OPTIONS] [COMMAND]",
        "--outage-threshold=DURATION");
    assertThat(rendered.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
  }
}
