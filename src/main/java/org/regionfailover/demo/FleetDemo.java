package org.regionfailover.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;
import org.regionfailover.config.FailoverList;
import org.regionfailover.config.ListenAddress;
import org.regionfailover.config.ListenerSettings;
import org.regionfailover.config.Quorum;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Ticker;

/**
 * {@code region-failover demo --fleet N}: N supervisors in one process, each with its own
 * simulated cloud, against an embedded ZooKeeper. EU goes down for a majority of them; the
 * elected decider writes one fleet decision and every host applies it once. Then the
 * decider's host stops and another host takes the decider's role. Each host serves its
 * status page on a free loopback port (commands on with an htpasswd file); with
 * {@code stay}, the hosts still running keep running, pages up, until the demo is stopped.
 */
public final class FleetDemo {
  /** Past this the demo gives up; the issue promises under 60 s. */
  public static final Duration DEADLINE = Duration.ofSeconds(55);
  private static final List<String> REGIONS = List.of("NAM", "EU", "APAC");
  private static final FailoverList LIST = FailoverList.parse("demo",
      "NAM=cloud.nam.demo.invalid,EU=cloud.eu.demo.invalid,APAC=cloud.apac.demo.invalid");
  private static final FleetDemoHost.Timing TIMING = new FleetDemoHost.Timing(
      Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(4), Quorum.MAJORITY);

  private final int size;
  private final PrintStream err;
  private final EventLog log;
  private final FleetDemoHost.Factory hosts;
  private final ListenerSettings pages;
  private final CountDownLatch stay;
  private final Ticker ticker = Ticker.system();
  private volatile boolean staying;
  private long start;

  /** {@code hosts} builds each host (the CLI's assembler); pages without commands. */
  public FleetDemo(int size, PrintStream err, EventLog log, FleetDemoHost.Factory hosts) {
    this(size, err, log, hosts, Optional.empty(), null);
  }

  /**
   * As above, each host's page taking commands from the operators of {@code htpasswd}
   * (empty: manual control off); with {@code stay} non-null, once the scenario succeeded the
   * hosts still running run on until it counts down.
   */
  public FleetDemo(int size, PrintStream err, EventLog log, FleetDemoHost.Factory hosts,
      Optional<Path> htpasswd, CountDownLatch stay) {
    if (size < 2 || size > 9) {
      throw new IllegalArgumentException("a demo fleet has 2 to 9 hosts: " + size);
    }
    this.size = size;
    this.err = err;
    this.log = log;
    this.hosts = hosts;
    this.pages = new ListenerSettings(new ListenAddress("127.0.0.1", 0), htpasswd,
        Optional.empty(), Optional.empty());
    this.stay = stay;
  }

  /** Whether the scenario is over and the hosts run on until stopped ({@code stay}). */
  public boolean staying() {
    return staying;
  }

  /** Runs the scenario in {@code dir}; true when every step happened in time. */
  public boolean run(Path dir) throws Exception {
    start = ticker.read();
    List<RegionSimulator> clouds = new ArrayList<>();
    List<FleetDemoHost> hosts = new ArrayList<>();
    ZooKeeperServerEmbedded zk = zooKeeper(dir);
    try {
      String connect = zk.getConnectionString();
      say("embedded ZooKeeper at " + connect + "; " + size + " hosts in cluster demo, each"
          + " with its own simulated cloud; order EU > NAM > APAC, interval 0.5 s, outage"
          + " threshold 3 s, quorum majority");
      for (int i = 1; i <= size; i++) {
        RegionSimulator cloud = RegionSimulator.start(REGIONS);
        clouds.add(cloud);
        FleetDemoHost host = this.hosts.start("host-" + i, dir, LIST, "EU",
            cloud.urlTemplate(), cloud.urlTemplate(), connect, "demo", TIMING, log, pages);
        hosts.add(host);
        if (host.page() != null) {
          say(host.id() + "'s status page: " + host.page());
        }
      }
      if (!await("every host applied the first decision (epoch 0, EU)",
          () -> hosts.stream().allMatch(h -> h.member().appliedEpoch() == 0))) {
        return false;
      }
      FleetDemoHost decider = deciderOf(hosts);
      say(decider.id() + " is the decider");
      int broken = size / 2 + 1;
      for (int i = 0; i < broken; i++) {
        clouds.get(i).setUp("EU", false);
      }
      say("EU is down for " + broken + " of " + size + " hosts (their chain and their direct"
          + " probe); " + (size - broken) + (size - broken == 1 ? " still sees" : " still see")
          + " it up");
      if (!await("one fleet decision, applied by every host",
          () -> hosts.stream().allMatch(h -> h.member().appliedEpoch() == 1))) {
        return false;
      }
      for (FleetDemoHost h : hosts) {
        say(h.id() + " applied fleet epoch 1: now on " + h.region());
      }
      decider = deciderOf(hosts);
      say("stopping the decider, " + decider.id() + " (its ZooKeeper session ends)");
      decider.close();
      FleetDemoHost gone = decider;
      if (!await("another host decides", () -> hosts.stream()
          .anyMatch(h -> h != gone && h.decider().leading()))) {
        return false;
      }
      say(deciderOf(hosts.stream().filter(h -> h != gone).toList()).id()
          + " decides for the fleet now, from epoch 1");
      if (stay != null) {
        stayUntilStopped(hosts.stream().filter(h -> h != gone).toList(), gone);
      }
      return true;
    } finally {
      hosts.forEach(FleetDemoHost::close);
      clouds.forEach(RegionSimulator::close);
      zk.close();
    }
  }

  /** The scenario is over: the hosts still running run on, their pages listed, until stopped. */
  private void stayUntilStopped(List<FleetDemoHost> running, FleetDemoHost gone)
      throws IOException, InterruptedException {
    staying = true;
    say("scenario complete; " + running.size() + " hosts and their status pages run on until"
        + " Ctrl-C (" + gone.id() + " was stopped, its page with it):");
    for (FleetDemoHost h : running) {
      say("  " + h.id() + " (on " + h.region() + "): " + h.page());
    }
    stay.await();
  }

  private FleetDemoHost deciderOf(List<FleetDemoHost> hosts) {
    await("a decider is elected", () -> hosts.stream().anyMatch(h -> h.decider().leading()));
    return hosts.stream().filter(h -> h.decider().leading()).findFirst().orElseThrow();
  }

  private boolean await(String what, BooleanSupplier done) {
    while (!done.getAsBoolean()) {
      if (ticker.read() - start - DEADLINE.toNanos() > 0) {
        say("did not happen within " + DEADLINE.toSeconds() + " s: " + what);
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private void say(String line) {
    err.printf("region-failover demo --fleet: %5.1f s  %s%n",
        (ticker.read() - start) / 1e9, line);
  }

  private static ZooKeeperServerEmbedded zooKeeper(Path dir) throws Exception {
    Path base = Files.createDirectories(dir.resolve("zookeeper"));
    Properties p = new Properties();
    p.setProperty("clientPort", Integer.toString(freePort()));
    p.setProperty("clientPortAddress", "127.0.0.1");
    p.setProperty("tickTime", "500");
    p.setProperty("admin.enableServer", "false");
    ZooKeeperServerEmbedded zk = ZooKeeperServerEmbedded.builder().baseDir(base)
        .configuration(p).exitHandler(org.apache.zookeeper.server.embedded.ExitHandler.LOG_ONLY)
        .build();
    zk.start(Duration.ofSeconds(20).toMillis());
    return zk;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
