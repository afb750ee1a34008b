package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.RecordingEventLog;

/**
 * The operator's commands before they reach a server, and with nothing to reach: bad usage
 * is exit 2 before a password is asked for or sent, nothing listening is exit 3 with a
 * hint. Against a running supervisor: OperatorCommandsIT.
 */
class OperatorCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Map<String, String> env = new HashMap<>();

  private int run(String... args) {
    return new Cli(env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(1),
        new RecordingEventLog()).run(args);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void nothingListening_exit3_sayingWhereItLookedAndWhatElseItCouldBe() throws Exception {
    int port = closedPort();
    env.put("RF_PASSWORD", "pw");

    int code = run("hold", "--listen", "127.0.0.1:" + port, "--user", "alice");

    assertThat(code).isEqualTo(3);
    assertThat(err()).contains("region-failover hold: not running: nothing listens on"
        + " http://127.0.0.1:" + port + "/").contains("another --listen or --config")
        .contains("A demo prints its own status command");
  }

  @Test
  void status_nothingListening_hintsAtAnotherListener() throws Exception {
    int port = closedPort();

    assertThat(run("status", "--listen", "127.0.0.1:" + port)).isEqualTo(3);
    assertThat(err()).contains("not running: nothing listens on http://127.0.0.1:" + port)
        .contains("is it running with another --listen or --config");
  }

  @Test
  void noPasswordAnywhere_noTerminal_exit2_namingTheThreeWays() throws Exception {
    int code = run("release", "--listen", "127.0.0.1:" + closedPort(), "--user", "alice");

    assertThat(code).isEqualTo(2);
    assertThat(err()).contains("no password").contains("--password-file")
        .contains("RF_PASSWORD").contains("terminal").doesNotContain("nothing listens");
  }

  @Test
  void noUser_exit2() throws Exception {
    env.put("RF_PASSWORD", "pw");

    assertThat(run("failback", "--listen", "127.0.0.1:" + closedPort())).isEqualTo(2);
    assertThat(err()).contains("no user: give --user NAME");
  }

  @Test
  void userFromTheEnvironment_reachesTheListener() throws Exception {
    env.put("RF_PASSWORD", "pw");
    env.put("RF_USER", "alice");

    assertThat(run("release", "--listen", "127.0.0.1:" + closedPort())).isEqualTo(3);
  }

  @Test
  void badDuration_exit2_asTyped_beforeAnyPassword() throws Exception {
    int code = run("hold", "--for", "2 days", "--listen", "127.0.0.1:" + closedPort(),
        "--user", "alice");

    assertThat(code).isEqualTo(2);
    assertThat(err()).contains("--for: '2 days' is not valid").doesNotContain("password");
  }

  @Test
  void moveWithoutRegion_exit2() {
    assertThat(run("move", "--user", "alice")).isEqualTo(2);
    assertThat(err()).contains("REGION");
  }

  @Test
  void thereIsNoPasswordFlag() {
    assertThat(run("hold", "--user", "alice", "--password", "x")).isEqualTo(2);
    assertThat(err()).contains("Unknown option").contains("--password");
  }

  @Test
  void listenerOff_exit2_namingTheSetting() {
    env.put("RF_PASSWORD", "pw");

    assertThat(run("resign", "--listen", "off", "--user", "alice")).isEqualTo(2);
    assertThat(err()).contains("--listen").contains("'off' is not valid")
        .contains("resign asks the running supervisor's status server");
  }

  @Test
  void emptyPasswordFile_exit2_withoutShowingAnyOfIt() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), "\nsecond line\n");

    int code = run("release", "--listen", "127.0.0.1:" + closedPort(), "--user", "alice",
        "--password-file", file.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err()).contains("--password-file").contains("first line is empty")
        .doesNotContain("second line");
  }

  @Test
  void missingPasswordFile_exit2_namingIt() throws Exception {
    Path file = dir.resolve("nope");

    int code = run("release", "--listen", "127.0.0.1:" + closedPort(), "--user", "alice",
        "--password-file", file.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err()).contains("--password-file: '" + file + "' is not valid")
        .contains("NoSuchFileException");
  }

  @Test
  void passwordFile_winsOverTheEnvironment_itsFirstLineOnly() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), "from the file\r\nignored\n");
    env.put("RF_PASSWORD", "from the environment");

    char[] password = OperatorPassword.read(java.util.Optional.of(file), env,
        prompt -> null, "Password: ");

    assertThat(new String(password)).isEqualTo("from the file");
  }

  @Test
  void holdFrom_aLocalTime_exit2_beforeAnyPassword() throws Exception {
    int code = run("hold", "--from", "2026-12-01T02:00", "--listen",
        "127.0.0.1:" + closedPort(), "--user", "alice");

    assertThat(code).isEqualTo(2);
    assertThat(err()).contains("--from: the time '2026-12-01T02:00' has no offset")
        .doesNotContain("password");
  }

  @Test
  void posts_thePathsTheServerServes() {
    assertThat(post("hold", "--for", "2h", "--reason", "cloud maintenance, CHG-1234"))
        .isEqualTo(new OperatorCommand.Post("/hold?for=2h",
            "reason=cloud+maintenance%2C+CHG-1234"));
    assertThat(post("hold")).isEqualTo(new OperatorCommand.Post("/hold", ""));
    assertThat(post("hold", "--from", "2026-12-01T02:00Z", "--for", "2h"))
        .isEqualTo(new OperatorCommand.Post("/hold?for=2h&from=2026-12-01T02%3A00Z", ""));
    assertThat(post("release", "--set", "payments"))
        .isEqualTo(new OperatorCommand.Post("/set/payments/release", ""));
    assertThat(post("failback", "--force"))
        .isEqualTo(new OperatorCommand.Post("/failback?force=true", ""));
    assertThat(post("move", "apac"))
        .isEqualTo(new OperatorCommand.Post("/region/apac", ""));
    assertThat(post("move", "--set", "a b", "NAM", "--force"))
        .isEqualTo(new OperatorCommand.Post("/set/a%20b/region/NAM?force=true", ""));
    assertThat(post("resign")).isEqualTo(new OperatorCommand.Post("/resign", ""));
  }

  private static OperatorCommand.Post post(String... args) {
    picocli.CommandLine cl = new picocli.CommandLine(Cli.spec());
    return OperatorCommand.post(cl.parseArgs(args).subcommand());
  }
}
