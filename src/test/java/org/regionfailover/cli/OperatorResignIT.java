package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.ClusterHosts;
import org.regionfailover.Ensembles;
import org.regionfailover.HtpasswdTool;
import org.regionfailover.RecordingEventLog;

/**
 * Issue 29, {@code region-failover resign} on an active/standby pair (a real ZooKeeper, each
 * host with its own real supervisord): refused on the standby, naming the holder (exit 1);
 * accepted on the holder (exit 0), and the other host takes the lease and starts its stack.
 */
class OperatorResignIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String PASSWORD = "correct horse";

  @TempDir Path dir;
  TestingServer zk;
  ClusterHosts cluster;
  final List<CliRun> runs = new ArrayList<>();

  /** One command's outcome. */
  record Outcome(int code, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    zk = Ensembles.oneServer();
    cluster = new ClusterHosts(dir, "pair", zk);
    HtpasswdTool.add(dir.resolve("htpasswd"), "alice", PASSWORD, "-B", "-C", "5");
    Files.writeString(dir.resolve("password"), PASSWORD + "\n");
  }

  @AfterEach
  void stop() throws Exception {
    for (CliRun r : runs) {
      r.close();
    }
    cluster.close();
  }

  private CliRun host(String id) throws Exception {
    Map<String, String> env = cluster.env(cluster.supervisord(id), id, Duration.ofSeconds(18));
    env.put("FAILOVER_INTERVAL", "1s");
    env.put("FAILOVER_OUTAGE_THRESHOLD", "3s");
    env.put("FAILOVER_REGION_INTERVAL", "2s");
    env.put("FAILOVER_ROLE", "active-standby");
    env.put("FAILOVER_HTPASSWD", dir.resolve("htpasswd").toString());
    CliRun run = new CliRun(env, List.of("--region", "EU"));
    runs.add(run);
    return run;
  }

  private static void await(CliRun run, String what, Callable<Boolean> condition) {
    Awaitility.await().atMost(WAIT).ignoreExceptions()
        .untilAsserted(() -> assertThat(condition.call()).as(() -> what + "; events: "
            + run.events.names()).isTrue());
  }

  private static boolean leads(CliRun r) {
    List<String> names = r.events.names();
    return names.lastIndexOf("became_leader") > names.lastIndexOf("lost_leadership");
  }

  /** {@code region-failover resign} against {@code host}'s listener, as alice. */
  private Outcome resign(CliRun host) {
    URI url = URI.create(host.events.named("listening").get(0).fields().get("url").toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Cli(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(1),
        new RecordingEventLog()).run("resign", "--listen", url.getHost() + ":" + url.getPort(),
        "--user", "alice", "--password-file", dir.resolve("password").toString());
    return new Outcome(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void refusedOnTheStandby_acceptedOnTheHolder_theOtherHostTakesOver() throws Exception {
    CliRun a = host("a");
    await(a, "a leads and runs the stack", () -> leads(a)
        && !a.events.named("stack_started").isEmpty());
    CliRun b = host("b");
    await(b, "b stands by", () -> !b.events.named("listening").isEmpty()
        && !b.events.named("stack_stopped_for_fencing").isEmpty());

    Outcome onStandby = resign(b);
    assertThat(onStandby.code()).as(onStandby.toString()).isEqualTo(1);
    assertThat(onStandby.err()).contains("region-failover resign: refused: this host does not"
        + " hold the lease (the stack runs on a)");
    assertThat(leads(a)).isTrue();

    Outcome onHolder = resign(a);
    assertThat(onHolder.code()).as(onHolder.toString()).isEqualTo(0);
    assertThat(onHolder.out()).startsWith("accepted: resigning the lease");
    await(b, "b takes the lease and starts the stack", () -> leads(b)
        && !b.events.named("stack_started").isEmpty());
    assertThat(a.events.named("manual_command")).singleElement().satisfies(e ->
        assertThat(e.fields()).containsEntry("command", "resign").containsEntry("user", "alice"));
    assertThat(a.events.events() + a.stderr() + b.events.events() + b.stderr() + onStandby
        + onHolder).doesNotContain(PASSWORD);
  }
}
