package org.regionfailover.coordinate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.act.ActionChainStage;
import org.regionfailover.act.EnvFile;
import org.regionfailover.act.EnvFileWriter;
import org.regionfailover.config.FailoverList;
import org.regionfailover.config.ProbeSettings;
import org.regionfailover.config.Settings;
import org.regionfailover.config.UrlTemplate;
import org.regionfailover.decide.Budget;
import org.regionfailover.decide.FailbackMode;
import org.regionfailover.decide.PolicySettings;
import org.regionfailover.decide.fleet.FleetPolicy;
import org.regionfailover.decide.fleet.Quorum;
import org.regionfailover.loop.Supervisor;
import org.regionfailover.probe.HttpProbe;
import org.regionfailover.time.Ticker;

/**
 * One host of a test fleet, in-process: the production loop ({@link Supervisor}) probing a
 * WireMock cloud through {@code /HOST/chain/{region}} and each region directly through
 * {@code /direct/{region}}, switching by rewriting its own env file, with its own
 * ZooKeeper client, membership and decider candidacy.
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
  final Supervisor supervisor;
  final FleetMember member;
  final Decider decider;

  FleetHost(String id, Path dir, int cloudPort, String connect, String cluster,
      Duration session) throws Exception {
    this.id = id;
    Path hostDir = Files.createDirectories(dir.resolve(id));
    this.envFile = hostDir.resolve("ext_cloud.env");
    Files.writeString(envFile, EnvFile.render(LIST.find("EU").orElseThrow()));
    Ticker ticker = Ticker.system();
    ProbeSettings chain = probe("http://127.0.0.1:" + cloudPort + "/" + id + "/chain/{region}");
    Settings settings = new Settings(LIST, LIST.find("EU"), chain, INTERVAL, THRESHOLD,
        envFile, false);
    PolicySettings rules = new PolicySettings(INTERVAL, THRESHOLD, INTERVAL, 1.0,
        FailbackMode.OFF, THRESHOLD, 0, Duration.ZERO, null, null);
    Supervisor.Acting acting = new Supervisor.Acting(new ActionChainStage(
        Supervisor.chain(Supervisor.SWITCH_BACKOFF, log, ticker),
        List.of(new EnvFileWriter(envFile)), List.of(), List.of(), null), false, null);
    supervisor = new Supervisor(settings, new HttpProbe(chain, ticker),
        new HttpProbe(probe("http://127.0.0.1:" + cloudPort + "/direct/{region}"), ticker),
        rules, acting, log, ticker);
    supervisor.deferToFleet();
    supervisor.start();
    zk = new ZooKeeperClient(connect, cluster, session, log);
    zk.start();
    zk.awaitConnected(Duration.ofSeconds(10));
    member = new FleetMember(zk, cluster, id, supervisor.loop(), new AppliedEpochFile(envFile),
        INTERVAL, null, ticker, log);
    member.start();
    FleetPolicy policy = new FleetPolicy(settings.order(), THRESHOLD, Quorum.MAJORITY,
        FailbackMode.OFF, THRESHOLD, new Budget(0, Duration.ZERO));
    decider = new Decider(zk, policy, id, INTERVAL, Clock.systemUTC(), ticker, log);
    decider.start();
  }

  private static ProbeSettings probe(String url) {
    return new ProbeSettings(new UrlTemplate(url), Optional.of("org"), Optional.empty(),
        Duration.ofMillis(150), Optional.empty(), false);
  }

  /** The region its env file names. */
  String region() throws Exception {
    String env = Files.readString(envFile);
    for (var r : LIST.regions()) {
      if (env.equals(EnvFile.render(r))) {
        return r.name();
      }
    }
    return "?";
  }

  /** Moves made because the fleet decided, as the loop reported them. */
  long fleetSwitches() {
    return log.named("manual_switch").stream()
        .filter(e -> "fleet".equals(e.fields().get("user"))).count();
  }

  @Override
  public void close() {
    decider.close();
    member.close();
    zk.close();
    supervisor.stop(Duration.ofSeconds(2));
  }
}
