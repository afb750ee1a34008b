package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.FakeCloud;
import org.regionfailover.HtpasswdTool;
import org.regionfailover.PemFiles;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.Regions;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.act.envfile.EnvFile;

/**
 * Issue 29, the operator's commands ({@code region-failover hold}, {@code release},
 * {@code failback}, {@code move}) against a running supervisor: the loop in this JVM with a
 * real supervisord, an htpasswd file made by Debian's {@code htpasswd -B}, WireMock for the
 * chain and each region's direct probe; each command run as an operator runs it (the
 * production command line, in-process, and once as a child process through
 * {@code bin/region-failover}, whose command line is read from /proc while it runs).
 */
class OperatorCommandsIT {
  private static final String PASSWORD = "s3cret horse ünïcode";

  @TempDir Path dir;
  FakeCloud cloud;
  SupervisordFixture supervisord;
  CliRun run;
  String listen;
  Path passwordFile;
  /** Everything every command printed, to look for the password in. */
  final StringBuilder printed = new StringBuilder();

  /** One command's outcome. */
  record Outcome(int code, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    cloud = new FakeCloud();
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    Files.writeString(supervisord.envFile(), EnvFile.render(Regions.EU));
    passwordFile = dir.resolve("password");
    Files.writeString(passwordFile, PASSWORD + "\n");
  }

  @AfterEach
  void stop() throws Exception {
    if (run != null) {
      run.close();
    }
    supervisord.close();
    cloud.close();
  }

  /** Starts the loop on EU, with an htpasswd file for alice or none; waits for the stack. */
  private void startLoop(boolean htpasswd) throws Exception {
    startLoop(htpasswd, Map.of());
  }

  /** As above, with {@code more} settings. */
  private void startLoop(boolean htpasswd, Map<String, String> more) throws Exception {
    Map<String, String> env = cloud.loopEnv(supervisord, FakeCloud.EU_NAM_APAC);
    env.putAll(more);
    env.put("FAILOVER_REGION_INTERVAL", "200ms");
    env.put("FAILOVER_FAILBACK", "off");
    if (htpasswd) {
      Path file = dir.resolve("htpasswd");
      HtpasswdTool.add(file, "alice", PASSWORD, "-B", "-C", "5");
      env.put("FAILOVER_HTPASSWD", file.toString());
    }
    run = new CliRun(env, List.of("--region", "EU"));
    await("the stack started").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> run.events.named("stack_started").size() == 1);
    URI url = URI.create(run.events.named("listening").get(0).fields().get("url").toString());
    listen = url.getHost() + ":" + url.getPort();
  }

  /** {@code region-failover ARGS --listen ... --user alice} with {@code env}, in-process. */
  private Outcome command(Map<String, String> env, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--listen", listen, "--user", "alice"));
    return exactly(env, all);
  }

  /** {@code region-failover ARGS} with {@code env}, in-process. */
  private Outcome exactly(Map<String, String> env, List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Cli(env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(1),
        new RecordingEventLog()).run(args.toArray(String[]::new));
    Outcome o = new Outcome(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
    printed.append(o).append('\n');
    return o;
  }

  /** As above, the password from {@code --password-file}. */
  private Outcome command(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--password-file", passwordFile.toString()));
    return command(Map.of(), all.toArray(String[]::new));
  }

  private int count(String event) {
    return run.events.named(event).size();
  }

  private boolean nowDown(String region) {
    List<org.regionfailover.report.Event> probes = run.events.named("region_probe").stream()
        .filter(e -> region.equals(e.fields().get("region"))).toList();
    return !probes.isEmpty()
        && Boolean.FALSE.equals(probes.get(probes.size() - 1).fields().get("healthy"));
  }

  @Test
  void eachCommand_acceptedOrRefusedWithTheReason_theWrongPassword4_nothingListening3()
      throws Exception {
    startLoop(true);

    // Refused (exit 1), the loop's reason on stderr.
    Outcome failback = command("failback");
    assertThat(failback.code()).as(failback.toString()).isEqualTo(1);
    assertThat(failback.err()).contains("region-failover failback: failback refused:")
        .contains("already on EU");
    assertThat(failback.out()).isEmpty();

    Outcome unknown = command("move", "Mars");
    assertThat(unknown.code()).as(unknown.toString()).isEqualTo(1);
    assertThat(unknown.err()).contains("no region 'Mars'; the regions are EU, NAM, APAC");

    cloud.direct("NAM", 503);
    await("NAM seen down on its direct probe").atMost(Duration.ofSeconds(30))
        .ignoreExceptions().until(() -> nowDown("NAM"));
    Outcome ontoDown = command("move", "nam");
    assertThat(ontoDown.code()).as(ontoDown.toString()).isEqualTo(1);
    assertThat(ontoDown.err()).contains("region refused:").contains("NAM is down");

    Outcome release = command("release");
    assertThat(release.code()).as(release.toString()).isEqualTo(1);
    assertThat(release.err()).contains("the host is not held");

    Outcome noSet = command("hold", "--set", "payments");
    assertThat(noSet.code()).as(noSet.toString()).isEqualTo(1);
    assertThat(noSet.err()).contains("no set 'payments'; the sets are default");

    // Not authorised (exit 4): the server's words, and nothing done.
    Outcome wrong = command(Map.of("RF_PASSWORD", "not it"), "hold");
    assertThat(wrong.code()).as(wrong.toString()).isEqualTo(4);
    assertThat(wrong.err()).contains("region-failover hold: not authorised: wrong user name or"
        + " password (user 'alice')");
    assertThat(run.events.named("auth_failed")).singleElement().satisfies(e ->
        assertThat(e.fields()).containsEntry("user", "alice"));

    // Accepted (exit 0), the answer on stdout; the password from the environment this time.
    Outcome hold = command(Map.of("RF_PASSWORD", PASSWORD), "hold", "--for", "2h",
        "--reason", "cloud maintenance, CHG-1234");
    assertThat(hold.code()).as(hold.toString()).isEqualTo(0);
    assertThat(hold.out()).startsWith("hold accepted: held: no automatic transition for");
    assertThat(run.events.named("hold_started")).singleElement().satisfies(e ->
        assertThat(e.fields()).containsEntry("user", "alice")
            .containsEntry("reason", "cloud maintenance, CHG-1234")
            .containsEntry("duration_s", 7200L));
    Outcome perSet = command("release", "--set", "default");
    assertThat(perSet.code()).as(perSet.toString()).isEqualTo(0);
    assertThat(perSet.out()).isEqualTo("release accepted: released: automatic transitions"
        + " resume\n");

    Outcome move = command("move", "APAC");
    assertThat(move.code()).as(move.toString()).isEqualTo(0);
    assertThat(move.out()).contains("region accepted:").contains("APAC");
    await("the move to APAC").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> count("failover_completed") == 1);
    assertThat(Files.readString(supervisord.envFile())).contains("EXT_REGION=APAC");

    Outcome back = command("failback");
    assertThat(back.code()).as(back.toString()).isEqualTo(0);
    assertThat(back.out()).contains("failback accepted:").contains("EU");
    await("the fail-back to EU").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> count("failover_completed") == 2);
    assertThat(Files.readString(supervisord.envFile())).contains("EXT_REGION=EU");
    assertThat(run.events.named("manual_command").stream()
        .map(e -> e.fields().get("command") + " " + e.fields().get("outcome")).toList())
        .contains("hold accepted", "region accepted", "failback accepted");

    // As a child process, as an operator runs it: the password is in no command line.
    assertThat(childHoldReadingItsCommandLine()).isEqualTo(0);

    // Nothing listens once the supervisor has stopped (exit 3).
    run.stop();
    Outcome gone = command("release");
    assertThat(gone.code()).as(gone.toString()).isEqualTo(3);
    assertThat(gone.err()).contains("not running: nothing listens on http://" + listen + "/");

    String everything = run.events.events() + run.stderr() + printed;
    assertThat(everything).doesNotContain(PASSWORD, "not it", "$2y$");
  }

  /**
   * {@code bin/region-failover hold --password-file F}; while it runs, the command lines of
   * it and its children (what ps shows) are read from /proc. Returns its exit code.
   */
  private int childHoldReadingItsCommandLine() throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bin/region-failover", "hold", "--reason",
        "from a child", "--listen", listen, "--user", "alice", "--password-file",
        passwordFile.toString());
    pb.environment().keySet().removeIf(k -> k.startsWith("FAILOVER_") || k.startsWith("RF_"));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    List<String> commandLines = new ArrayList<>();
    do {
      commandLine(p.toHandle()).ifPresent(commandLines::add);
      p.toHandle().descendants().forEach(h -> commandLine(h).ifPresent(commandLines::add));
      // Read again every few milliseconds until it ends; it ends within a JVM's start-up.
    } while (!p.waitFor(5, TimeUnit.MILLISECONDS));
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    printed.append(output);
    assertThat(commandLines).as("the child's command lines, read while it ran")
        .anySatisfy(c -> assertThat(c).contains("java").contains("hold")
            .contains("--password-file"));
    assertThat(commandLines).noneSatisfy(c -> assertThat(c).contains(PASSWORD));
    assertThat(output).as(output).startsWith("hold accepted:");
    assertThat(run.events.named("hold_started")).last().satisfies(e ->
        assertThat(e.fields()).containsEntry("reason", "from a child"));
    return p.exitValue();
  }

  private static java.util.Optional<String> commandLine(ProcessHandle h) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline"));
      return raw.length == 0 ? java.util.Optional.empty()
          : java.util.Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' '));
    } catch (IOException e) {
      return java.util.Optional.empty(); // it ended between the listing and the read
    }
  }

  @Test
  void overTls_foundFromTheSettingsFile_trustingItsCertificateOnly() throws Exception {
    PemFiles own = PemFiles.rsa(dir, "own");
    PemFiles other = PemFiles.rsa(dir, "other");
    startLoop(true, Map.of("FAILOVER_TLS_CERT", own.cert().toString(),
        "FAILOVER_TLS_KEY", own.key().toString()));
    assertThat(run.events.named("listening").get(0).fields().get("url").toString())
        .startsWith("https://");
    // The operator's view of the settings file: where it listens, its certificate.
    Path settings = Files.writeString(dir.resolve("region-failover.env"),
        "FAILOVER_LISTEN=" + listen + "\nFAILOVER_TLS_CERT=" + own.cert()
            + "\nFAILOVER_TLS_KEY=" + own.key() + "\nFAILOVER_HTPASSWD=" + dir.resolve("htpasswd")
            + "\n");

    Outcome hold = exactly(Map.of("RF_PASSWORD", PASSWORD, "RF_USER", "alice"),
        List.of("hold", "--config", settings.toString()));
    Outcome notOurs = exactly(Map.of("RF_PASSWORD", PASSWORD, "RF_USER", "alice"),
        List.of("release", "--config", settings.toString(), "--tls-cert",
            other.cert().toString(), "--tls-key", other.key().toString()));

    assertThat(hold.code()).as(hold.toString()).isEqualTo(0);
    assertThat(hold.out()).startsWith("hold accepted: held: no automatic transition until"
        + " released");
    assertThat(notOurs.code()).as(notOurs.toString()).isEqualTo(2);
    assertThat(notOurs.err()).contains("TLS with https://" + listen + "/ failed")
        .contains("not the one in --tls-cert");
    assertThat(run.events.named("hold_ended")).isEmpty();
  }

  @Test
  void manualControlOff_exit4_sayingSo() throws Exception {
    startLoop(false);

    Outcome hold = command(new HashMap<>(Map.of("RF_PASSWORD", PASSWORD)), "hold");

    assertThat(hold.code()).as(hold.toString()).isEqualTo(4);
    assertThat(hold.err()).contains("not authorised: manual control is off");
    assertThat(run.events.names()).doesNotContain("manual_command", "hold_started");
  }
}
