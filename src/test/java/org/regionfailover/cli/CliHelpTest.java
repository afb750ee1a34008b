package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.regionfailover.config.Setting;

/**
 * Help that fits the command (issue 29): {@code help [COMMAND]}, each command's help lists
 * the settings it reads (grouped as the README groups them) while accepting every setting,
 * "Required." only where it is, and exit codes in columns at 80 characters.
 */
class CliHelpTest {
  @TempDir Path dir;

  private ByteArrayOutputStream out = new ByteArrayOutputStream();
  private ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    Cli cli = new Cli(env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0));
    return cli.run(args);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** The help {@code args} prints, which must exit 0. */
  private String help(String... args) {
    assertThat(run(Map.of(), args)).as(String.join(" ", args) + ": " + stderr()).isZero();
    return stdout();
  }

  static List<String> commands() {
    return List.copyOf(Cli.spec().subcommands().keySet());
  }

  @Test
  void help_printsTheLoopsHelp() {
    assertThat(help("help")).isEqualTo(help("--help")).startsWith("Usage: region-failover ");
  }

  @ParameterizedTest(name = "help {0}")
  @MethodSource("commands")
  void helpCommand_printsWhatCommandHelpPrints(String command) {
    assertThat(help("help", command)).isEqualTo(help(command, "--help"))
        .startsWith("Usage: region-failover " + command);
  }

  @Test
  void help_ofNoSuchCommand_exits2NamingTheCommands() {
    assertThat(run(Map.of(), "help", "stauts")).isEqualTo(Cli.USAGE);
    assertThat(stderr()).contains("'stauts'").contains("status").contains("check");
    assertThat(stdout()).isEmpty();
  }

  static Stream<List<String>> everyHelp() {
    List<List<String>> all = new ArrayList<>();
    all.add(List.of("--help"));
    commands().forEach(c -> all.add(List.of(c, "--help")));
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyHelp")
  void everyHelp_fitsIn80Columns_andItsExitCodesWrapInTheirOwnColumn(List<String> args) {
    List<String> lines = help(args.toArray(String[]::new)).lines().toList();

    assertThat(lines).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(80));
    int heading = lines.indexOf("Exit codes:");
    assertThat(heading).as("an exit codes section").isPositive();
    List<String> codes = lines.subList(heading + 1, lines.size()).stream()
        .takeWhile(l -> !l.isEmpty()).toList();
    assertThat(codes).isNotEmpty();
    assertThat(codes.get(0)).matches("  \\d   \\S.*");
    // A meaning too long for its line continues under itself, never under the codes.
    assertThat(codes).allSatisfy(l -> assertThat(l).matches("  \\d   \\S.*|\\s{6,}\\S.*"));
  }

  @Test
  void statusHelp_listsTheListenersSettingsOnly_andNothingRequired() {
    String help = help("status", "--help");

    assertThat(help).contains("--listen=HOST:PORT", "--tls-cert=PATH", "--config=FILE",
        "Listener:", "Every other setting of the loop");
    assertThat(help).doesNotContain("--failover-list", "--interval", "--hook-notify",
        "Essentials:", "Required.");
    assertThat(help.lines().count()).as("was 200 lines").isLessThan(50);
  }

  @Test
  void checkHelp_listsWhatCheckReads_byGroup_withTheFailoverListRequired() {
    String help = help("check", "--help");

    assertThat(help).contains("--failover-list=LIST", "--cloudlookup-url=URL",
        "--tls-timeout=DURATION", "--env-file=PATH");
    assertThat(help).doesNotContain("--hook-notify", "--supervisor-url", "--quorum",
        "--interval=");
    assertThat(help.replaceAll("\\s+", ""))
        .contains("EU=cloud.eu.ext.com.Required.Env:EXT_CLOUD_FAILOVER_LIST");
    assertThat(help.indexOf("\nEssentials:\n")).isPositive()
        .isLessThan(help.indexOf("\nTuning:\n"));
    assertThat(help.lines().count()).as("was 208 lines").isLessThan(100);
  }

  @Test
  void replayHelp_listsTheRuleSettings_notTheHosts() {
    String help = help("replay", "--help");

    assertThat(help).contains("--outage-threshold=DURATION", "--failback=MODE",
        "--traffic-veto=MODE", "FILE...");
    assertThat(help).doesNotContain("--supervisor-url", "--listen=", "--hook-notify",
        "Required.");
  }

  @Test
  void loopHelp_listsEverySetting_groupedInTheReadmesOrder() {
    String help = help("--help");

    int at = 0;
    for (Setting.Group g : Setting.Group.values()) {
      int next = help.indexOf("\n" + SettingOptions.heading(g) + ":\n");
      assertThat(next).as(g.name()).isGreaterThan(at);
      at = next;
    }
    for (Setting s : Setting.values()) {
      assertThat(help).contains(s.flag(), s.env());
    }
    assertThat(help.replaceAll("\\s+", ""))
        .contains("EU=cloud.eu.ext.com.Required.Env:EXT_CLOUD_FAILOVER_LIST");
  }

  @Test
  void loopHelp_listsEachCommandOnOneLine() {
    String help = help("--help");
    List<String> list = help.lines().dropWhile(l -> !l.equals("Commands:")).skip(1)
        .takeWhile(l -> !l.isEmpty()).toList();

    assertThat(list).anySatisfy(l -> assertThat(l).matches("  status +Where the running"
        + " supervisor stands, for a person"));
    assertThat(list).anySatisfy(l -> assertThat(l).startsWith("  help "));
    assertThat(list).anySatisfy(l -> assertThat(l).startsWith("  completion "));
  }

  @Test
  void status_acceptsTheLoopsSettings_andSaysItDoesNotUseThem() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = CliBadInputTest.baseEnv(dir);
    env.put("FAILOVER_LISTEN", "127.0.0.1:" + port);

    // Parsed, not refused: the loop's own command line works for status. Nothing listens
    // there, so "not running".
    assertThat(run(env, "status", "--interval", "10s", "--hook-timeout", "30s")).isEqualTo(3);
    assertThat(stderr()).doesNotContain("Unknown option");
    assertThat(help("status", "--help").replaceAll("\\s+", " "))
        .contains("is accepted too, so that the loop's flags and --config can be given as they"
            + " are, and not used.");
  }

  @Test
  void check_validatesTheSettingsItDoesNotShow_andItsHelpSaysSo() {
    Map<String, String> env = CliBadInputTest.baseEnv(dir);

    assertThat(run(env, "check", "--offline", "--hook-timeout", "soon")).isEqualTo(Cli.USAGE);
    assertThat(stderr()).contains("--hook-timeout (FAILOVER_HOOK_TIMEOUT)", "'soon'");
    assertThat(help("check", "--help").replaceAll("\\s+", " "))
        .contains("is accepted too, and validated as the loop validates it");
  }

  @Test
  void settingsAreHiddenNotRemoved_everyCommandThatReadsSettingsParsesEach() {
    for (String command : List.of("check", "status", "reload", "replay")) {
      var spec = Cli.spec().subcommands().get(command).getCommandSpec();
      List<String> missing = Arrays.stream(Setting.values()).filter(Setting::hasFlag)
          .map(Setting::flag).filter(f -> spec.findOption(f) == null).toList();
      assertThat(missing).as(command).isEmpty();
    }
  }
}
