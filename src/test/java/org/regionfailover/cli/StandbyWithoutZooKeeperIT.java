package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.ClusterHosts;
import org.regionfailover.Ensembles;

/**
 * An active/standby pair when ZooKeeper goes away, as a fault campaign found it: the
 * standby's {@code /health} and {@code /status} asked ZooKeeper who holds the lease on the
 * request's thread, Curator retried for minutes, and a dozen requests took every thread of
 * the status server. Now both answer from the last read and say ZooKeeper is unreachable;
 * and both hosts stop on request without ZooKeeper.
 */
class StandbyWithoutZooKeeperIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  TestingServer zk;
  ClusterHosts cluster;
  final List<CliRun> runs = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    for (CliRun r : runs) {
      if (r.isRunning()) {
        r.close();
      }
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private CliRun host(String id) throws Exception {
    Map<String, String> env = cluster.env(cluster.supervisord(id), id, Duration.ofSeconds(18));
    env.put("FAILOVER_INTERVAL", "1s");
    env.put("FAILOVER_OUTAGE_THRESHOLD", "3s");
    env.put("FAILOVER_REGION_INTERVAL", "2s");
    env.put("FAILOVER_ROLE", "active-standby");
    CliRun run = new CliRun(env, List.of("--region", "EU"));
    runs.add(run);
    return run;
  }

  private static void await(CliRun run, String what, Callable<Boolean> condition) {
    Awaitility.await().atMost(WAIT).ignoreExceptions()
        .untilAsserted(() -> assertThat(condition.call()).as(() -> what + "; events: "
            + run.events.names()).isTrue());
  }

  /** GET {@code path}; the 30 s timeout only tells a hung server from a slow one. */
  private CompletableFuture<HttpResponse<String>> get(CliRun run, String path) {
    URI base = URI.create((String) run.events.named("listening").get(0).fields().get("url"));
    return http.sendAsync(HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theStandbyAnswersEveryReadWithoutZooKeeper_andBothStop() throws Exception {
    zk = Ensembles.oneServer();
    cluster = new ClusterHosts(dir, "pair", zk);
    CliRun a = host("a");
    await(a, "a leads and runs the stack", () -> !a.events.named("became_leader").isEmpty()
        && !a.events.named("stack_started").isEmpty());
    CliRun b = host("b");
    await(b, "b listening", () -> !b.events.named("listening").isEmpty());
    await(b, "b names the holder", () -> get(b, "/health?verbose").join().body()
        .contains("the stack runs on a (cluster pair)"));

    assertThat(get(a, "/health/coordination").join().body()).as("on the leader").isEqualTo("OK");

    zk.stop();
    await(a, "a fenced", () -> !a.events.named("stack_stopped_for_fencing").isEmpty());
    await(b, "b lost ZooKeeper", () -> !b.events.named("coordination_lost").isEmpty());
    List<CompletableFuture<HttpResponse<String>>> reads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      for (String path : List.of("/health", "/health?verbose", "/status")) {
        reads.add(get(b, path));
      }
    }
    assertThat(reads).as("12 reads at once, more than the server's threads").allSatisfy(
        f -> assertThat(f.join().statusCode()).isIn(200, 503));
    assertThat(get(b, "/health?verbose").join().body())
        .contains("ZooKeeper unreachable", "last known: a");

    assertThat(b.stop()).as("the standby stops without ZooKeeper").isZero();
    assertThat(a.stop()).as("the fenced leader stops without ZooKeeper").isZero();
  }
}
