package org.regionfailover.coordinate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.Ensembles;
import org.regionfailover.config.FailoverList;
import org.regionfailover.config.Quorum;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Operator;
import org.regionfailover.decide.RegionView;
import org.regionfailover.decide.fleet.HostView;
import org.regionfailover.cli.HostAssembler;
import org.regionfailover.demo.FleetDemoHost;
import org.regionfailover.demo.RegionSimulator;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Ticker;

/**
 * Issue 13's benchmark (not part of the suite; {@code scripts/bench-fleet.sh}): N simulated
 * hosts (default 100: the production loop, membership and decider candidacy each, a stub
 * stack that only rewrites an env file, probes against one loopback simulator) against a
 * three-server ensemble. Prints the time from a fleet decision being written to every host
 * having applied it (median, p99, max over the rounds) and ZooKeeper's writes per second at
 * steady state and during the rounds, from the ensemble's zxid. Asserts only that every
 * round completed.
 */
class FleetBenchmark {
  private static final int HOSTS = Integer.getInteger("bench.hosts", 100);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 20);
  private static final Duration STEADY = Duration.ofSeconds(Integer.getInteger("bench.steady", 30));
  private static final Duration INTERVAL = Duration.ofSeconds(2);
  private static final FailoverList LIST = FailoverList.parse("bench",
      "NAM=cloud.nam.bench.invalid,EU=cloud.eu.bench.invalid,APAC=cloud.apac.bench.invalid");

  private static final Map<String, Integer> FAILED_PROBES = new ConcurrentHashMap<>();

  @TempDir Path dir;

  @Test
  void decisionToAllAppliedAndWritesPerSecond() throws Exception {
    // 100 hosts' probe events would fill the heap; the benchmark reads state, not events.
    // Only failed probes are counted, by reason: "all hosts healthy" is checked, not assumed.
    EventLog quiet = event -> {
      if (event.level() == Event.Level.WARN
          && (event.name().equals("probe") || event.name().equals("region_probe"))) {
        FAILED_PROBES.merge(event.message().replaceAll("[0-9]+", "N"), 1, Integer::sum);
      }
    };
    List<FleetDemoHost> hosts = new ArrayList<>();
    try (TestingCluster zk = Ensembles.threeServers();
        RegionSimulator cloud = RegionSimulator.start(List.of("NAM", "EU", "APAC"))) {
      try {
        run(zk, cloud, hosts, quiet);
      } finally {
        // Before the ensemble closes: a host that leaves a dead ensemble waits out timeouts.
        hosts.forEach(FleetDemoHost::close);
      }
    }
  }

  private void run(TestingCluster zk, RegionSimulator cloud, List<FleetDemoHost> hosts,
      EventLog quiet) throws Exception {
    long t0 = System.nanoTime();
    FleetDemoHost.Timing timing = new FleetDemoHost.Timing(INTERVAL, Duration.ofSeconds(10),
        Duration.ofSeconds(15), Quorum.MAJORITY);
    for (int i = 0; i < HOSTS; i++) {
      hosts.add(HostAssembler.fleetDemoHost(String.format("h%03d", i), dir, LIST, "EU",
          cloud.urlTemplate(), cloud.urlTemplate(), zk.getConnectString(), "bench", timing,
          quiet));
    }
    awaitApplied(hosts, 0, Duration.ofMinutes(3));
    System.out.printf("BENCH fleet: %d hosts up and on epoch 0 in %.1f s (interval %d s,"
        + " session 15 s, 3 ZooKeeper servers in-process, 2 cores)%n", HOSTS,
        (System.nanoTime() - t0) / 1e9, INTERVAL.toSeconds());
    try (ZooKeeper probe = new ZooKeeper(zk.getConnectString(), 15_000, e -> { })) {
      awaitConnected(probe);
      // Steady state: every host healthy, nothing to decide. First every host's view of
      // epoch 0 and of its first direct probes must be published.
      awaitViews(probe, v -> v.appliedEpoch() == 0 && v.direct().size() == LIST.regions().size()
          && !v.direct().containsValue(RegionView.Health.UNKNOWN), "epoch 0, regions probed");
      long v0 = viewVersions(probe);
      long z0 = zxid(probe);
      long s0 = System.nanoTime();
      Map<String, Integer> changed = watchViews(probe, s0 + STEADY.toNanos());
      long steadyWrites = zxid(probe) - z0 - 1;
      long viewWrites = viewVersions(probe) - v0;
      double steadyRate = steadyWrites / ((System.nanoTime() - s0) / 1e9);
      FleetCommands commands = new FleetCommands(hosts.get(0).zk(), "h000",
          Duration.ofSeconds(10), Ticker.system());
      Operator bench = new Operator("bench", "127.0.0.1");
      List<Long> ms = new ArrayList<>();
      List<Long> answers = new ArrayList<>();
      String decision = "/" + ClusterPaths.namespace("bench") + ClusterPaths.DECISION;
      long r0 = System.nanoTime();
      long zr0 = zxid(probe);
      for (int round = 1; round <= ROUNDS; round++) {
        int target = round % 2 == 1 ? 1 : 0; // NAM, then back to EU (order EU, NAM, APAC)
        // "Written" is when an observer's watch sees the decision change, so neither the
        // command's path nor this thread's polling is part of the figure.
        AtomicLong written = new AtomicLong();
        probe.exists(decision, e -> written.compareAndSet(0, System.nanoTime()));
        AtomicLong answered = new AtomicLong();
        CompletableFuture<Decision.ManualCommand> pending = commands.submit(
            new Input.MoveCommand(target, true, "region", bench))
            .whenComplete((a, e) -> answered.set(System.nanoTime()));
        awaitApplied(hosts, round, Duration.ofMinutes(1));
        long applied = System.nanoTime();
        Decision.ManualCommand answer = pending.get();
        assertThat(answer.accepted()).as(answer.outcome()).isTrue();
        assertThat(written.get()).as("the decision's write was seen").isNotZero();
        ms.add((applied - written.get()) / 1_000_000);
        answers.add((answered.get() - written.get()) / 1_000_000);
        // Each host publishes its applied epoch before the next round is timed.
        int epoch = round;
        awaitViews(probe, v -> v.appliedEpoch() == epoch, "epoch " + round + " published");
      }
      double roundRate = (zxid(probe) - zr0 - 1) / ((System.nanoTime() - r0) / 1e9);
      List<Long> sorted = new ArrayList<>(ms);
      sorted.sort(null);
      System.out.printf("BENCH fleet: decision written -> all %d hosts applied, %d rounds:"
          + " median %d ms, p99 %d ms, max %d ms (each: %s)%n", HOSTS, ROUNDS,
          sorted.get(sorted.size() / 2),
          sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)),
          sorted.get(sorted.size() - 1), ms);
      List<Long> answerSorted = new ArrayList<>(answers);
      answerSorted.sort(null);
      System.out.printf("BENCH fleet: decision written -> the operator's command answered:"
          + " median %d ms, max %d ms%n", answerSorted.get(answerSorted.size() / 2),
          answerSorted.get(answerSorted.size() - 1));
      System.out.printf("BENCH fleet: ZooKeeper writes per second: %.2f at steady state"
          + " (%d writes in %d s, all hosts healthy; %d of them hosts' view updates),"
          + " %.1f during the rounds%n", steadyRate, steadyWrites, STEADY.toSeconds(),
          viewWrites, roundRate);
      System.out.printf("BENCH fleet: what changed in the views written at steady state"
          + " (every write, watched): %s%n", changed);
      System.out.println("BENCH fleet: failed probes during the whole run, by reason: "
          + FAILED_PROBES);
      assertThat(ms).hasSize(ROUNDS);
    }
  }

  /**
   * Watches every host's view until {@code until} and counts, by field, what changed in each
   * write: why views are written when nothing happens. A data watch sees every write, where
   * sampling would miss a flap between two reads.
   */
  private static Map<String, Integer> watchViews(ZooKeeper probe, long until) throws Exception {
    String base = "/" + ClusterPaths.namespace("bench") + ClusterPaths.HOSTS;
    Map<String, HostView> last = new ConcurrentHashMap<>();
    Map<String, Integer> changed = new ConcurrentSkipListMap<>();
    AtomicBoolean watching = new AtomicBoolean(true);
    for (String child : probe.getChildren(base, false)) {
      watchView(probe, base + "/" + child, last, changed, watching);
    }
    // The steady state is a span of wall time: what is measured is writes over it.
    for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
    watching.set(false);
    return new TreeMap<>(changed);
  }

  /** Reads {@code path} with a watch that reads it again on each write, diffing the two. */
  private static void watchView(ZooKeeper probe, String path, Map<String, HostView> last,
      Map<String, Integer> changed, AtomicBoolean watching) {
    if (!watching.get()) {
      return;
    }
    try {
      HostView v = FleetJson.view(probe.getData(path, event -> {
        if (event.getType() == Watcher.Event.EventType.NodeDataChanged) {
          watchView(probe, path, last, changed, watching);
        }
      }, null));
      HostView before = last.put(path, v);
      if (before != null && !before.sameAs(v)) {
        for (String field : differences(before, v)) {
          changed.merge(field, 1, Integer::sum);
        }
      }
    } catch (KeeperException.NoNodeException e) {
      changed.merge("host left", 1, Integer::sum);
    } catch (Exception e) {
      changed.merge("unread: " + e.getClass().getSimpleName(), 1, Integer::sum);
    }
  }

  /** Waits until every host's published view satisfies {@code ok}. */
  private static void awaitViews(ZooKeeper probe, Predicate<HostView> ok, String what) {
    String base = "/" + ClusterPaths.namespace("bench") + ClusterPaths.HOSTS;
    await(what).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
        .until(() -> {
          List<String> children = probe.getChildren(base, false);
          if (children.size() < HOSTS) {
            return false;
          }
          for (String child : children) {
            if (!ok.test(FleetJson.view(probe.getData(base + "/" + child, false, null)))) {
              return false;
            }
          }
          return true;
        });
  }

  private static List<String> differences(HostView a, HostView b) {
    List<String> out = new ArrayList<>();
    if (!a.region().equals(b.region())) {
      out.add("region");
    }
    if (!a.phase().equals(b.phase())) {
      out.add("phase " + a.phase() + "->" + b.phase());
    }
    a.direct().forEach((r, h) -> {
      if (h != b.direct().get(r)) {
        out.add("direct " + r + " " + h + "->" + b.direct().get(r));
      }
    });
    if (a.appliedEpoch() != b.appliedEpoch()) {
      out.add("applied epoch");
    }
    return out;
  }

  /** The sum of the hosts' view node versions: how often views were written. */
  private static long viewVersions(ZooKeeper probe) throws Exception {
    String base = "/" + ClusterPaths.namespace("bench") + ClusterPaths.HOSTS;
    long sum = 0;
    for (String child : probe.getChildren(base, false)) {
      org.apache.zookeeper.data.Stat stat = probe.exists(base + "/" + child, false);
      sum += stat == null ? 0 : stat.getVersion();
    }
    return sum;
  }

  /** The ensemble's last zxid: the creation zxid of a node made now (itself one write). */
  private static long zxid(ZooKeeper probe) throws Exception {
    String p = probe.create("/bench-zxid-", new byte[0],
        org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
    long z = probe.exists(p, false).getCzxid();
    probe.delete(p, -1);
    return z;
  }

  private static void awaitConnected(ZooKeeper zk) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!zk.getState().isConnected()) {
      assertThat(System.nanoTime() - deadline).as("connected").isNegative();
      LockSupport.parkNanos(10_000_000L);
    }
  }

  private static void awaitApplied(List<FleetDemoHost> hosts, int epoch, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!hosts.stream().allMatch(h -> h.member().appliedEpoch() >= epoch)) {
      assertThat(System.nanoTime() - deadline).as("every host applied epoch " + epoch)
          .isNegative();
      LockSupport.parkNanos(1_000_000L);
    }
  }
}
