package org.regionfailover.coordinate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.config.FailoverList;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Operator;
import org.regionfailover.decide.fleet.HostView;
import org.regionfailover.decide.fleet.Quorum;
import org.regionfailover.demo.FleetDemoHost;
import org.regionfailover.demo.RegionSimulator;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;

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
    System.setProperty("zookeeper.admin.enableServer", "false");
    // 100 hosts' probe events would fill the heap; the benchmark reads state, not events.
    // Only failed probes are counted, by reason: "all hosts healthy" is checked, not assumed.
    EventLog quiet = event -> {
      if (event.level() == Event.Level.WARN
          && (event.name().equals("probe") || event.name().equals("region_probe"))) {
        FAILED_PROBES.merge(event.message().replaceAll("[0-9]+", "N"), 1, Integer::sum);
      }
    };
    List<FleetDemoHost> hosts = new ArrayList<>();
    try (TestingCluster zk = new TestingCluster(3);
        RegionSimulator cloud = RegionSimulator.start(List.of("NAM", "EU", "APAC"))) {
      zk.start();
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
      hosts.add(new FleetDemoHost(String.format("h%03d", i), dir, LIST, "EU",
          cloud.urlTemplate(), cloud.urlTemplate(), zk.getConnectString(), "bench", timing,
          quiet));
    }
    awaitApplied(hosts, 0, Duration.ofMinutes(3));
    System.out.printf("BENCH fleet: %d hosts up and on epoch 0 in %.1f s (interval %d s,"
        + " session 15 s, 3 ZooKeeper servers in-process, 2 cores)%n", HOSTS,
        (System.nanoTime() - t0) / 1e9, INTERVAL.toSeconds());
    try (ZooKeeper probe = new ZooKeeper(zk.getConnectString(), 15_000, e -> { })) {
      awaitConnected(probe);
      // Steady state: every host healthy, nothing to decide. First a few intervals for the
      // views of epoch 0 and of the first direct probes to be published.
      Thread.sleep(INTERVAL.multipliedBy(3).toMillis());
      long v0 = viewVersions(probe);
      long z0 = zxid(probe);
      long s0 = System.nanoTime();
      Map<String, Integer> changed = watchViews(probe, s0 + STEADY.toNanos());
      long steadyWrites = zxid(probe) - z0 - 1;
      long viewWrites = viewVersions(probe) - v0;
      double steadyRate = steadyWrites / ((System.nanoTime() - s0) / 1e9);
      FleetCommands commands = new FleetCommands(hosts.get(0).zk(), "h000",
          Duration.ofSeconds(10));
      Operator bench = new Operator("bench", "127.0.0.1");
      List<Long> ms = new ArrayList<>();
      long r0 = System.nanoTime();
      long zr0 = zxid(probe);
      for (int round = 1; round <= ROUNDS; round++) {
        int target = round % 2 == 1 ? 1 : 0; // NAM, then back to EU (order EU, NAM, APAC)
        Decision.ManualCommand answer = commands.submit(
            new Input.MoveCommand(target, true, "region", bench)).get();
        long written = System.nanoTime();
        assertThat(answer.accepted()).as(answer.outcome()).isTrue();
        awaitApplied(hosts, round, Duration.ofMinutes(1));
        ms.add((System.nanoTime() - written) / 1_000_000);
        Thread.sleep(INTERVAL.toMillis()); // let the views settle between rounds
      }
      double roundRate = (zxid(probe) - zr0 - 1) / ((System.nanoTime() - r0) / 1e9);
      List<Long> sorted = new ArrayList<>(ms);
      sorted.sort(null);
      System.out.printf("BENCH fleet: decision written -> all %d hosts applied, %d rounds:"
          + " median %d ms, p99 %d ms, max %d ms (each: %s)%n", HOSTS, ROUNDS,
          sorted.get(sorted.size() / 2),
          sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)),
          sorted.get(sorted.size() - 1), ms);
      System.out.printf("BENCH fleet: ZooKeeper writes per second: %.2f at steady state"
          + " (%d writes in %d s, all hosts healthy; %d of them hosts' view updates),"
          + " %.1f during the rounds%n", steadyRate, steadyWrites, STEADY.toSeconds(),
          viewWrites, roundRate);
      System.out.printf("BENCH fleet: what changed in the views seen at steady state (sampled"
          + " each second): %s%n", changed);
      System.out.println("BENCH fleet: failed probes during the whole run, by reason: "
          + FAILED_PROBES);
      assertThat(ms).hasSize(ROUNDS);
    }
  }

  /**
   * Reads every host's view each second until {@code until} and counts, by field, what
   * changed between two reads of the same host: why views are written when nothing happens.
   */
  private static Map<String, Integer> watchViews(ZooKeeper probe, long until) throws Exception {
    String base = "/" + ClusterPaths.namespace("bench") + ClusterPaths.HOSTS;
    Map<String, HostView> last = new HashMap<>();
    Map<String, Integer> changed = new TreeMap<>();
    while (System.nanoTime() - until < 0) {
      for (String child : probe.getChildren(base, false)) {
        HostView v;
        try {
          v = FleetJson.view(probe.getData(base + "/" + child, false, null));
        } catch (KeeperException.NoNodeException e) {
          continue;
        }
        HostView before = last.put(child, v);
        if (before != null && !before.sameAs(v)) {
          for (String field : differences(before, v)) {
            changed.merge(field, 1, Integer::sum);
          }
        }
      }
      Thread.sleep(1000);
    }
    return changed;
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
