package org.regionfailover.demo;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.regionfailover.act.envfile.EnvFile;
import org.regionfailover.config.FailoverList;
import org.regionfailover.config.ListenerSettings;
import org.regionfailover.config.Region;
import org.regionfailover.coordinate.Decider;
import org.regionfailover.coordinate.FleetMember;
import org.regionfailover.coordinate.ZooKeeperClient;
import org.regionfailover.config.Quorum;
import org.regionfailover.report.EventLog;

/**
 * One host of an in-process fleet (the fleet demo; the fleet tests), as the CLI's assembler
 * built it: the production loop switching by rewriting its own env file (a stub stack),
 * with its own ZooKeeper session, membership and candidacy for decider, and its status
 * page at {@code page} (null: none). {@code stop} leaves the fleet and stops the loop and
 * the page, once however often it is called.
 */
public record FleetDemoHost(String id, FailoverList list, Path envFile, ZooKeeperClient zk,
    FleetMember member, Decider decider, URI page, Runnable stop) implements AutoCloseable {
  /** How a host of the fleet runs: cadence, threshold, session, quorum. */
  public record Timing(Duration interval, Duration threshold, Duration session, Quorum quorum) {}

  /** The file in a host's directory that holds its own stdout (see {@link HostLog}). */
  public static final String STDOUT = "stdout.log";

  /**
   * Builds and starts host {@code id} of {@code cluster} at {@code connect}, on
   * {@code start} of {@code list}, its files under {@code dir}, probing {@code chainUrl}
   * through its chain and {@code directUrl} directly; its status page on {@code listener}
   * (none when off).
   */
  @FunctionalInterface
  public interface Factory {
    FleetDemoHost start(String id, Path dir, FailoverList list, String start, String chainUrl,
        String directUrl, String connect, String cluster, Timing timing, EventLog log,
        ListenerSettings listener) throws IOException, InterruptedException;
  }

  /** The region its env file names ("?" for anything else). */
  public String region() throws IOException {
    String env = Files.readString(envFile);
    return list.regions().stream().filter(r -> env.equals(EnvFile.render(r)))
        .map(Region::name).findFirst().orElse("?");
  }

  /** Stops the host: it leaves the election and the fleet, then its loop stops. */
  @Override
  public void close() {
    stop.run();
  }
}
