package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.ClusterHosts;
import org.regionfailover.Ensembles;
import org.regionfailover.HtpasswdTool;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.report.Event;

/**
 * Issue 26 on an active/standby pair: two hosts from the command line, each with its own
 * settings file ({@code --config}) and its own real supervisord, against a three-server
 * ZooKeeper ensemble. The lease holder is reloaded ({@code POST /reload}) with a new outage
 * threshold: it applies it (its {@code /status} shows it in the next outage) while the lease
 * stays where it was (same holder, same epoch, no lease event on either host) and no program
 * of either stack restarts. A reload of the standby changes nothing of the lease either. A
 * reload that changes a setting only a restart takes (the cluster, the role) is
 * {@code reload_partial} naming it, the lease again untouched.
 */
class Issue26StandbyReloadIT {
  private static final Duration SESSION = Duration.ofSeconds(9);
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration TICK = Duration.ofMillis(500);
  private static final String PASSWORD = "correct horse";
  /** Events that mean the lease moved or was doubted. */
  private static final List<String> LEASE_EVENTS =
      List.of("became_leader", "lost_leadership", "stack_stopped_for_fencing");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  TestingCluster zk;
  ClusterHosts cluster;
  final List<CliRun> runs = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    zk = Ensembles.threeServers(TICK);
    cluster = new ClusterHosts(dir, "pair", zk);
    HtpasswdTool.add(dir.resolve("htpasswd"), "alice", PASSWORD, "-B", "-C", "5");
  }

  @AfterEach
  void stop() throws Exception {
    for (CliRun r : runs) {
      r.close();
    }
    cluster.close();
  }

  /** Host {@code id}'s settings, as its settings file holds them. */
  private Map<String, String> settings(String id, SupervisordFixture s) {
    Map<String, String> env = new TreeMap<>(cluster.env(s, id, SESSION));
    env.put("FAILOVER_INTERVAL", INTERVAL.toMillis() + "ms");
    env.put("FAILOVER_OUTAGE_THRESHOLD", "3s");
    env.put("FAILOVER_PROBE_TIMEOUT", "500ms");
    env.put("FAILOVER_REGION_INTERVAL", "2s");
    env.put("FAILOVER_ROLE", "active-standby");
    env.put("FAILOVER_REGION", "EU");
    env.put("FAILOVER_HTPASSWD", dir.resolve("htpasswd").toString());
    return env;
  }

  private static Path write(Path file, Map<String, String> settings) throws Exception {
    StringBuilder b = new StringBuilder("# written by Issue26StandbyReloadIT\n");
    settings.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
    Files.writeString(file, b.toString());
    return file;
  }

  private CliRun host(String id, Map<String, String> settings) throws Exception {
    Path file = write(dir.resolve(id).resolve("region-failover.env"), settings);
    CliRun run = new CliRun(Map.of(), List.of("--config", file.toString()));
    runs.add(run);
    return run;
  }

  private static boolean leads(CliRun r) {
    List<String> names = r.events.names();
    return names.lastIndexOf("became_leader") > names.lastIndexOf("lost_leadership");
  }

  private static URI base(CliRun r) {
    return URI.create(r.events.named("listening").get(0).fields().get("url").toString());
  }

  private HttpResponse<String> get(CliRun r, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(base(r).resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** POST /reload as alice: the reload's outcome, once done. */
  private JsonNode reload(CliRun r) throws Exception {
    HttpResponse<String> reply = http.send(HttpRequest.newBuilder(base(r).resolve("/reload"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            ("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    return JSON.readTree(reply.body());
  }

  /** The lease epoch {@code /health/role} reports for the leader {@code r}. */
  private int epoch(CliRun r) throws Exception {
    String reason = JSON.readTree(get(r, "/health/role?verbose").body()).path("reason").asText();
    Matcher m = Pattern.compile("leader at lease epoch (\\d+)").matcher(reason);
    assertThat(m.find()).as("role of the leader: " + reason).isTrue();
    return Integer.parseInt(m.group(1));
  }

  /** The pids supervisord runs each program of {@code s} under. */
  private static Map<String, Integer> pids(SupervisordFixture s) throws Exception {
    Map<String, Integer> pids = new TreeMap<>();
    s.client().getAllProcessInfo().forEach(p -> pids.put(p.name(), p.pid()));
    return pids;
  }

  /** The lease events of {@code r} after its first {@code from} events. */
  private static List<String> leaseEventsSince(CliRun r, int from) {
    List<String> names = r.events.names();
    return names.subList(from, names.size()).stream().filter(LEASE_EVENTS::contains).toList();
  }

  private static List<Event> since(CliRun r, int from, String name) {
    List<Event> all = r.events.events();
    return all.subList(from, all.size()).stream().filter(e -> e.name().equals(name)).toList();
  }

  @Test
  void reloadsOfTheLeaseHolderAndTheStandby_changeNoLease_andRestartNoProgram()
      throws Exception {
    SupervisordFixture sa = cluster.supervisord("a", 1);
    SupervisordFixture sb = cluster.supervisord("b", 1);
    Map<String, String> aSettings = settings("a", sa);
    Map<String, String> bSettings = settings("b", sb);
    CliRun a = host("a", aSettings);
    await("a leads and runs its stack").atMost(Duration.ofSeconds(90)).ignoreExceptions()
        .until(() -> leads(a) && !a.events.named("stack_started").isEmpty()
            && pids(sa).values().stream().allMatch(p -> p > 0));
    CliRun b = host("b", bSettings);
    await("b is a candidate with its stack stopped").atMost(Duration.ofSeconds(90))
        .until(() -> !b.events.named("stack_stopped_for_fencing").isEmpty());
    await("a's loop probes").atMost(Duration.ofSeconds(30))
        .until(() -> !a.events.named("probe").isEmpty());

    int epoch = epoch(a);
    List<String> aRecords = sa.records();
    List<String> bRecords = sb.records();
    Map<String, Integer> aPids = pids(sa);
    int aFrom = a.events.names().size();
    int bFrom = b.events.names().size();

    // The leader's rules change: a longer outage threshold.
    aSettings.put("FAILOVER_OUTAGE_THRESHOLD", "60s");
    write(dir.resolve("a").resolve("region-failover.env"), aSettings);
    JsonNode applied = reload(a);
    assertThat(applied.path("outcome").asText()).as(applied.toString()).isEqualTo("applied");
    assertThat(applied.path("changed").toString()).contains("FAILOVER_OUTAGE_THRESHOLD")
        .contains("\"old\":\"3s\"").contains("\"new\":\"60s\"");
    assertThat(applied.path("restart_pending")).as(applied.toString()).isEmpty();
    assertThat(since(a, aFrom, "reload_applied")).hasSize(1);
    assertThat(since(a, aFrom, "reload_partial")).isEmpty();

    // The standby is reloaded too: nothing of its own runs, it takes the rules at its term.
    bSettings.put("FAILOVER_OUTAGE_THRESHOLD", "60s");
    write(dir.resolve("b").resolve("region-failover.env"), bSettings);
    assertThat(reload(b).path("outcome").asText()).isEqualTo("applied");
    assertThat(since(b, bFrom, "reload_applied")).hasSize(1);

    // The leader's loop runs the new threshold: an outage of its region shows it.
    cluster.cloud.chain("EU", 503);
    try {
      await("a's /status shows the outage with the new threshold").atMost(Duration.ofSeconds(30))
          .ignoreExceptions().untilAsserted(() -> {
            JsonNode status = JSON.readTree(get(a, "/status").body());
            assertThat(status.at("/outage/threshold_s").asLong()).as(() -> "outage "
                + status.path("outage") + ", transitions " + status.path("transitions"))
                .isEqualTo(60);
          });
    } finally {
      cluster.cloud.chain("EU", 200);
    }
    await("a's loop sees EU again").atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .untilAsserted(() -> assertThat(JSON.readTree(get(a, "/status").body()).path("outage")
            .isNull()).isTrue());

    assertNothingMoved(a, b, aFrom, bFrom, epoch, sa, sb, aRecords, bRecords, aPids);

    // A setting only a restart takes: the cluster. It keeps its running value.
    int aFrom2 = a.events.names().size();
    aSettings.put("FAILOVER_CLUSTER", "another-pair");
    write(dir.resolve("a").resolve("region-failover.env"), aSettings);
    JsonNode partial = reload(a);
    assertThat(partial.path("restart_pending").toString()).as(partial.toString())
        .contains("FAILOVER_CLUSTER").contains("\"old\":\"pair\"")
        .contains("\"new\":\"another-pair\"");
    List<Event> partials = since(a, aFrom2, "reload_partial");
    assertThat(partials).hasSize(1);
    assertThat(partials.get(0).fields().get("restart_pending").toString())
        .contains("FAILOVER_CLUSTER");
    // The role too, on the standby: it stays a candidate of the pair.
    int bFrom2 = b.events.names().size();
    bSettings.put("FAILOVER_ROLE", "fleet");
    write(dir.resolve("b").resolve("region-failover.env"), bSettings);
    assertThat(reload(b).path("restart_pending").toString()).contains("FAILOVER_ROLE");
    assertThat(since(b, bFrom2, "reload_partial")).hasSize(1);

    assertNothingMoved(a, b, aFrom, bFrom, epoch, sa, sb, aRecords, bRecords, aPids);
    System.out.printf("standby reload: lease epoch %d held by a throughout; a's events since"
        + " the first reload %s%n", epoch, a.events.names().subList(aFrom,
        a.events.names().size()).stream().distinct().toList());
  }

  /**
   * The lease where it was (a leads at {@code epoch}, b does not, no lease event since the
   * reloads on either host) and no program restarted: the record files and a's pids as
   * before. Checked over a few of the leader's steps, so a late effect would show.
   */
  private void assertNothingMoved(CliRun a, CliRun b, int aFrom, int bFrom, int epoch,
      SupervisordFixture sa, SupervisordFixture sb, List<String> aRecords,
      List<String> bRecords, Map<String, Integer> aPids) throws Exception {
    int probes = a.events.named("probe").size();
    await("a goes on probing").atMost(Duration.ofSeconds(30))
        .until(() -> a.events.named("probe").size() >= probes + 3);
    assertThat(leaseEventsSince(a, aFrom)).as("a's lease events since the reload").isEmpty();
    assertThat(leaseEventsSince(b, bFrom)).as("b's lease events since the reload").isEmpty();
    assertThat(leads(a)).isTrue();
    assertThat(leads(b)).isFalse();
    assertThat(epoch(a)).as("the lease epoch").isEqualTo(epoch);
    assertThat(sa.records()).as("a's programs started since").isEqualTo(aRecords);
    assertThat(sb.records()).as("b's programs started since").isEqualTo(bRecords);
    assertThat(pids(sa)).as("a's programs' pids").isEqualTo(aPids);
    assertThat(pids(sb).values()).as("b's stack stays stopped").allMatch(p -> p == 0);
    assertThat(since(a, aFrom, "program_started")).isEmpty();
    assertThat(since(b, bFrom, "program_started")).isEmpty();
    assertThat(a.isRunning() && b.isRunning()).isTrue();
  }
}
