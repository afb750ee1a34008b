package org.regionfailover.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.regionfailover.act.ActionChainStage;
import org.regionfailover.act.EnvFile;
import org.regionfailover.act.EnvFileWriter;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.FailoverList;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.config.ProbeSettings;
import org.regionfailover.config.Quorum;
import org.regionfailover.config.Region;
import org.regionfailover.config.Settings;
import org.regionfailover.config.UrlTemplate;
import org.regionfailover.coordinate.AppliedEpochFile;
import org.regionfailover.coordinate.Decider;
import org.regionfailover.coordinate.FleetMember;
import org.regionfailover.coordinate.ZooKeeperClient;
import org.regionfailover.decide.Budget;
import org.regionfailover.decide.fleet.FleetPolicy;
import org.regionfailover.loop.Supervisor;
import org.regionfailover.probe.HttpProbe;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Ticker;

/**
 * One host of an in-process fleet (the fleet demo; the fleet tests): the production loop
 * probing {@code chainUrl} through its chain and {@code directUrl} directly, switching by
 * rewriting its own env file (a stub stack), with its own ZooKeeper session, membership and
 * candidacy for decider. Starts on {@code start}.
 */
public final class FleetDemoHost implements AutoCloseable {
  /** How a host of the fleet runs: cadence, threshold, session, quorum. */
  public record Timing(Duration interval, Duration threshold, Duration session, Quorum quorum) {}

  private final String id;
  private final Path envFile;
  private final FailoverList list;
  private final ZooKeeperClient zk;
  private final Supervisor supervisor;
  private final FleetMember member;
  private final Decider decider;
  private boolean closed;

  /**
   * Host {@code id} of {@code cluster} at {@code connect}, on {@code start} of
   * {@code list}, its files under {@code dir}.
   */
  public FleetDemoHost(String id, Path dir, FailoverList list, String start, String chainUrl,
      String directUrl, String connect, String cluster, Timing timing, EventLog log)
      throws IOException, InterruptedException {
    this.id = id;
    this.list = list;
    Path hostDir = Files.createDirectories(dir.resolve(id));
    this.envFile = hostDir.resolve("ext_cloud.env");
    Region first = list.find(start).orElseThrow();
    Files.writeString(envFile, EnvFile.render(first));
    Ticker ticker = Ticker.system();
    ProbeSettings chain = probe(chainUrl, timing.interval());
    Settings settings = new Settings(list, Optional.of(first), chain, timing.interval(),
        timing.threshold(), envFile, false);
    PolicySettings rules = new PolicySettings(timing.interval(), timing.threshold(),
        timing.interval(), 1.0, FailbackMode.OFF, timing.threshold(), 0, Duration.ZERO, null,
        null);
    Supervisor.Acting acting = new Supervisor.Acting(new ActionChainStage(
        Supervisor.chain(Supervisor.SWITCH_BACKOFF, log, ticker),
        List.of(new EnvFileWriter(envFile)), List.of(), List.of(), null), false, null);
    supervisor = new Supervisor(settings, new HttpProbe(chain, ticker),
        new HttpProbe(probe(directUrl, timing.interval()), ticker), rules, acting, log, ticker);
    supervisor.deferToFleet();
    supervisor.start();
    zk = new ZooKeeperClient(connect, cluster, timing.session(), log);
    zk.start();
    zk.awaitConnected(timing.session());
    member = new FleetMember(zk, cluster, id, supervisor.loop(), new AppliedEpochFile(envFile),
        timing.interval(), null, ticker, log);
    member.start();
    FleetPolicy policy = new FleetPolicy(settings.order(), rules, timing.quorum());
    decider = new Decider(zk, policy, id, timing.interval(), Clock.systemUTC(), ticker, log);
    decider.start();
  }

  private static ProbeSettings probe(String url, Duration interval) {
    return new ProbeSettings(new UrlTemplate(url), Optional.of("demo-org"),
        Optional.of("demo-txn"), interval.dividedBy(2), Optional.empty(), false);
  }

  public String id() {
    return id;
  }

  /** The region its env file names ("?" for anything else). */
  public String region() throws IOException {
    String env = Files.readString(envFile);
    return list.regions().stream().filter(r -> env.equals(EnvFile.render(r)))
        .map(Region::name).findFirst().orElse("?");
  }

  public FleetMember member() {
    return member;
  }

  public Decider decider() {
    return decider;
  }

  public ZooKeeperClient zk() {
    return zk;
  }

  public Path envFile() {
    return envFile;
  }

  /** Stops the host: it leaves the election and the fleet as a dead host would. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    decider.close();
    member.close();
    zk.close();
    supervisor.stop(Duration.ofSeconds(2));
  }
}
