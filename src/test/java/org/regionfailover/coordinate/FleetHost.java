package org.regionfailover.coordinate;

import java.nio.file.Path;
import java.time.Duration;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.config.FailoverList;
import org.regionfailover.cli.HostAssembler;
import org.regionfailover.config.Quorum;
import org.regionfailover.demo.FleetDemoHost;

/**
 * One host of a test fleet, in-process ({@link FleetDemoHost}: the production loop,
 * membership and decider candidacy), probing a WireMock cloud through
 * {@code /HOST/chain/{region}} and each region directly through {@code /direct/{region}},
 * with its events recorded.
 */
final class FleetHost implements AutoCloseable {
  static final Duration INTERVAL = Duration.ofMillis(200);
  static final Duration THRESHOLD = Duration.ofSeconds(1);
  static final FailoverList LIST = FailoverList.parse("list",
      "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com,APAC=cloud.apac.ext.com");

  final String id;
  final Path envFile;
  final RecordingEventLog log = new RecordingEventLog();
  final ZooKeeperClient zk;
  final FleetMember member;
  final Decider decider;
  private final FleetDemoHost host;

  FleetHost(String id, Path dir, int cloudPort, String connect, String cluster,
      Duration session) throws Exception {
    this.id = id;
    String base = "http://127.0.0.1:" + cloudPort;
    host = HostAssembler.fleetDemoHost(id, dir, LIST, "EU", base + "/" + id + "/chain/{region}",
        base + "/direct/{region}", connect, cluster,
        new FleetDemoHost.Timing(INTERVAL, THRESHOLD, session, Quorum.MAJORITY), log);
    envFile = host.envFile();
    zk = host.zk();
    member = host.member();
    decider = host.decider();
  }

  /** The region its env file names. */
  String region() throws Exception {
    return host.region();
  }

  /** Moves made because the fleet decided, as the loop reported them (any kind). */
  long fleetSwitches() {
    return java.util.stream.Stream.of("failover", "failback", "manual_switch")
        .flatMap(name -> log.named(name).stream())
        .filter(e -> Boolean.TRUE.equals(e.fields().get("fleet"))).count();
  }

  @Override
  public void close() {
    host.close();
  }
}
