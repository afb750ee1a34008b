package org.regionfailover.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.regionfailover.act.Action;
import org.regionfailover.act.chain.ActionChain;
import org.regionfailover.act.chain.ActionChainStage;
import org.regionfailover.act.chain.DryRunAction;
import org.regionfailover.act.envfile.EnvFile;
import org.regionfailover.act.envfile.EnvFileWriter;
import org.regionfailover.act.supervisord.StackRepair;
import org.regionfailover.act.supervisord.StackStart;
import org.regionfailover.act.supervisord.StackStop;
import org.regionfailover.act.supervisord.StackWatch;
import org.regionfailover.act.StartPermit;
import org.regionfailover.act.supervisord.SupervisordRestart;
import org.regionfailover.act.envfile.SwitchJournal;
import org.regionfailover.act.envfile.TransitionHistoryFile;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.Configuration;
import org.regionfailover.config.CoordinationSettings;
import org.regionfailover.config.DatadogSettings;
import org.regionfailover.config.FailoverList;
import org.regionfailover.config.ListenerSettings;
import org.regionfailover.config.ProbeSettings;
import org.regionfailover.config.Region;
import org.regionfailover.config.RegionProbeSettings;
import org.regionfailover.config.Setting;
import org.regionfailover.config.Settings;
import org.regionfailover.config.SupervisorSettings;
import org.regionfailover.config.UrlTemplate;
import org.regionfailover.config.ZooKeeperUrl;
import org.regionfailover.coordinate.standby.StackWatchdog;
import org.regionfailover.coordinate.standby.StandbyHost;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.demo.FleetDemoHost;
import org.regionfailover.report.TeeEventLog;
import org.regionfailover.demo.HostLog;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.loop.Supervisor;
import org.regionfailover.probe.HttpProbe;
import org.regionfailover.probe.Probe;
import org.regionfailover.probe.TcpConnectProbe;
import org.regionfailover.probe.TlsHandshakeProbe;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.report.datadog.DatadogCounts;
import org.regionfailover.status.http.StatusServer;
import org.regionfailover.time.Backoff;
import org.regionfailover.time.Ticker;

/**
 * The one place that builds a host from its {@link Configuration}: the status feed and
 * server, the act stage, the supervisor, and how the host coordinates ({@link Coordination}:
 * alone, in a fleet, or active/standby). The CLI, the demos and the tests all build here.
 */
public final class HostAssembler {
  /**
   * How long a stop waits for a tick, then for a switch step in progress before
   * interrupting it (a restart then finishes the program it is on). Kept well under
   * supervisord's default stopwaitsecs (10 s), after which it would SIGKILL us.
   */
  static final Duration STOP_GRACE = Duration.ofSeconds(3);
  /** Retry a failed switch after 1 s, doubling up to a minute: fast for a blip, calm for an outage. */
  static final Backoff SWITCH_BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

  private final Configuration config;
  private final Settings settings;
  private final FailoverPolicy policy;
  private final StatusListener.Security security;
  private final EventLog log;
  private final Ticker ticker;
  private Reloading reloading;

  /** A bad htpasswd or TLS file is a {@link ConfigException} here: exit 2 before any start. */
  public HostAssembler(Configuration config, EventLog log, Ticker ticker) {
    this.config = config;
    this.security = StatusListener.security(config.listener());
    this.settings = config.settings();
    // The one construction of the decide stage's policy that the loop, the status feed and
    // every supervisor an active/standby host builds share.
    this.policy = new FailoverPolicy(settings.order(), config.policy());
    this.log = log;
    this.ticker = ticker;
  }

  /** Issue 26: reloads through {@code r} while {@link #run} runs (else none). */
  HostAssembler reloading(Reloading r) {
    this.reloading = r;
    return this;
  }

  /** The act stage that switches with {@code actions} alone: no stack to start or watch. */
  public Supervisor.Acting switching(List<Action> actions) {
    return new Supervisor.Acting(new ActionChainStage(chain(), actions, List.of(), List.of(),
        null), false, Optional.empty(), Optional.empty());
  }

  /**
   * A supervisor acting through {@code acting}, probing as configured, deferring to the
   * fleet or not, calling {@code onLoop} with its loop; not started.
   */
  public Supervisor supervisor(Supervisor.Acting acting, boolean fleet,
      Consumer<FailoverLoop> onLoop) {
    return new Supervisor(settings, policy, new Supervisor.Probing(
        new HttpProbe(settings.probe(), ticker), directProbe(), config.regionProbe().interval()),
        acting, fleet, onLoop, log, ticker);
  }

  /** The direct probe of the regions the settings ask for. TLS is verified, as for the chain. */
  private Optional<Probe> directProbe() {
    RegionProbeSettings direct = config.regionProbe();
    ProbeSettings chain = settings.probe();
    return Optional.ofNullable(switch (direct.kind()) {
      case NONE -> null;
      case TLS -> new TlsHandshakeProbe(chain.caFile(), direct.timeout(), ticker,
          OptionalInt.of(direct.port()));
      case TCP -> new TcpConnectProbe(direct.port(), direct.timeout(), ticker);
      case HTTP -> new HttpProbe(new ProbeSettings(direct.url(), chain.orgId(), chain.txnId(),
          direct.timeout(), chain.caFile(), false), ticker);
    });
  }

  /** The act stage's runner: one thread, retries with backoff and jitter. */
  private ActionChain chain() {
    return new ActionChain(List.of(), SWITCH_BACKOFF, log, ticker,
        () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * One host of an in-process fleet (the fleet demo, the fleet tests): host {@code id} of
   * {@code cluster} at {@code connect}, on {@code start} of {@code list}, its files under
   * {@code dir}, probing {@code chainUrl} through its chain and {@code directUrl} directly,
   * switching by rewriting its own env file (a stub stack). Started.
   */
  public static FleetDemoHost fleetDemoHost(String id, Path dir, FailoverList list,
      String start, String chainUrl, String directUrl, String connect, String cluster,
      FleetDemoHost.Timing timing, EventLog shared) throws IOException, InterruptedException {
    Path envFile = Files.createDirectories(dir.resolve(id)).resolve("ext_cloud.env");
    // The host's own stdout as well as the demo's shared one: replay takes it as it is.
    HostLog own = HostLog.open(dir.resolve(id).resolve(FleetDemoHost.STDOUT), Clock.systemUTC());
    own.emit(HostLog.startup(id, list, start, timing.interval(), timing.threshold(), directUrl,
        connect));
    EventLog log = new TeeEventLog(shared, own);
    Region first = list.find(start).orElseThrow();
    Files.writeString(envFile, EnvFile.render(first));
    Duration interval = timing.interval();
    Duration timeout = interval.dividedBy(2);
    Settings settings = new Settings(list, Optional.of(first), new ProbeSettings(
        new UrlTemplate(chainUrl), Optional.of("demo-org"), Optional.of("demo-txn"), timeout,
        Optional.empty(), false), interval, timing.threshold(), envFile, false);
    Configuration config = new Configuration(settings, new RegionProbeSettings(
            RegionProbeSettings.Kind.HTTP, 0, new UrlTemplate(directUrl), interval, timeout),
        new PolicySettings(interval, timing.threshold(), interval, 1.0, FailbackMode.OFF,
            timing.threshold(), 0, Duration.ZERO, null, null),
        new SupervisorSettings("unix:///nonexistent/supervisor.sock", Optional.empty(),
            Optional.empty(), SupervisordRestart.DEFAULT_PROGRAMS, Duration.ofSeconds(60)),
        new DatadogSettings(null, null, null, null, null, List.of(), null, 0, null),
        ListenerSettings.off(),
        new CoordinationSettings(ZooKeeperUrl.parse(Setting.COORDINATION.label(),
            "zookeeper://" + connect).servers(), "", cluster, id,
            CoordinationSettings.Role.FLEET, timing.session(), timing.quorum(), null));
    HostAssembler assembler = new HostAssembler(config, log, Ticker.system());
    FleetWiring fleet = new FleetWiring(config, Clock.systemUTC(), log, Ticker.system());
    Supervisor supervisor = assembler.supervisor(
        assembler.switching(List.of(new EnvFileWriter(envFile))), true, loop -> { });
    supervisor.start();
    fleet.beforeStart();
    fleet.started(supervisor.loop());
    AtomicBoolean stopped = new AtomicBoolean();
    return new FleetDemoHost(id, list, envFile, fleet.client(), fleet.member(),
        fleet.decider(), () -> {
          if (!stopped.getAndSet(true)) {
            fleet.close();
            supervisor.stop(Duration.ofSeconds(2));
            try {
              own.close();
            } catch (IOException e) {
              // the demo's shared stdout has every event anyway
            }
          }
        });
  }

  /**
   * Runs the host until {@code stop}: emits {@code startup} once logs ship, serves the
   * status page (its URL to {@code onListening}), waits for supervisord (unless
   * {@code useSupervisord} is false: dry run only), then runs the supervisor, alone, in the
   * fleet, or whenever it holds the lease. The exit code.
   */
  int run(boolean useSupervisord, List<Event> startup, CountDownLatch stop, PrintStream err,
      Consumer<URI> onListening) {
    AtomicReference<String> region = new AtomicReference<>("none");
    // Commands reach the loop through this once it runs; until then they are refused.
    AtomicReference<FailoverLoop> loop = new AtomicReference<>();
    Run run = new Run(stop, err, region, loop);
    try (Closeable shipping = DatadogShipping.install(config.datadog(), region::get, ticker);
        // try-with-resources skips a null resource: no connection without supervisord.
        SupervisordConnection supervisord = useSupervisord
            ? new SupervisordConnection(config.supervisor()) : null;
        Coordination coordination = coordination(loop)) {
      startup.forEach(log::emit);
      StatusFeed feed = new StatusFeed(settings, policy, config.regionProbe().interval(),
          shipping instanceof DatadogCounts counts ? counts : null, Clock.systemUTC(), ticker);
      org.regionfailover.status.http.ReadEndpoints reads = feed.endpoints();
      coordination.show(feed, reads);
      // After the lock (a second instance reports the lock, not a busy port) and before
      // the loop: a bad address is a start-up error, and the page is up while supervisord
      // is awaited.
      StatusServer server;
      try {
        server = config.listener().enabled() ? StatusListener.start(config.listener(), security,
            StatusListener.routes(settings.order(), command -> coordination.command(command, loop),
                reads, routes -> {
                  coordination.register(routes);
                  if (reloading != null) {
                    reloading.register(routes);
                  }
                }), log, ticker) : null;
      } catch (ConfigException e) {
        return fail(run, e.getMessage(), Cli.USAGE);
      }
      try (server; ReloadRequests reloads = reloading == null ? null
          : reloading.start(security)) {
        if (server != null) {
          onListening.accept(server.url());
        }
        return start(run, supervisord, coordination, server, feed);
      }
    } catch (IOException e) {
      // Closing the Datadog shipper (its bounded flush) failed; the run itself was fine.
      return Cli.OK;
    }
  }

  private Coordination coordination(AtomicReference<FailoverLoop> loop) {
    CoordinationSettings c = config.coordination();
    if (!c.enabled()) {
      return new Coordination.None();
    }
    return c.role() == CoordinationSettings.Role.FLEET
        ? new FleetWiring(config, Clock.systemUTC(), log, ticker)
        : new StandbyWiring(new StandbyHost(c, settings.interval(), settings.outageThreshold(),
            config.supervisor().programs(), loop, log, ticker));
  }

  /**
   * One run of the host: what ends it, where start-up errors go, the region Datadog's tag
   * follows, and the loop the status server's commands reach once it runs.
   */
  private record Run(CountDownLatch stop, PrintStream err, AtomicReference<String> region,
      AtomicReference<FailoverLoop> loop) {}

  private int start(Run run, SupervisordConnection supervisord, Coordination coordination,
      StatusServer server, StatusFeed feed) {
    try {
      if (supervisord != null) {
        supervisord.abortOnStop(run.stop(), STOP_GRACE);
        supervisord.check(log, run.stop(), ticker);
      }
      if (coordination instanceof StandbyWiring standby) {
        return standby(run, standby.host(), supervisord, feed, server);
      }
      Supervisor.Acting acting = settings.dryRun() ? dryRun()
          : acting(supervisord, StartPermit.ALWAYS);
      Supervisor supervisor = supervisor(acting, coordination.defersToFleet(), feed::attach);
      run.region().set(settings.order().get(0).name());
      try {
        coordination.beforeStart();
      } catch (InterruptedException e) {
        supervisor.stop(Duration.ZERO); // closes its probes
        throw e;
      }
      return serve(run, supervisor, coordination, server);
    } catch (SupervisordConnection.Unreachable e) {
      return fail(run, e.getMessage(), Cli.FAILED);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.emit(Event.info("shutdown", "stopped during start-up"));
      return Cli.OK;
    }
  }

  private int serve(Run run, Supervisor supervisor, Coordination coordination,
      StatusServer server) throws InterruptedException {
    try {
      supervisor.start();
      run.loop().set(supervisor.loop());
      run.region().set(supervisor.loop().activeRegion().name());
      // The Datadog region tag follows the loop without ever taking its lock.
      supervisor.loop().onActiveRegion(r -> run.region().set(r.name()));
      coordination.started(supervisor.loop());
    } catch (IOException e) {
      supervisor.stop(Duration.ofSeconds(1));
      return fail(run, "cannot write the env file " + settings.envFile() + ": " + e, Cli.FAILED);
    }
    run.stop().await();
    long t0 = ticker.read();
    if (server != null) {
      server.close(); // first: no command may arrive while the loop winds down
    }
    supervisor.stopProbing(); // no evidence gathered while leaving: calls may be abandoned
    coordination.close(); // leaves the fleet: another host decides, no decision arrives mid-stop
    supervisor.stop(STOP_GRACE);
    Region last = supervisor.loop().activeRegion();
    log.emit(Event.info("shutdown", "stopped on request; final region " + last.name())
        .with("region", last.name())
        .with("duration_ms", (ticker.read() - t0) / 1_000_000));
    return Cli.OK;
  }

  /**
   * An active/standby host: checks the session rule against the programs' stopwaitsecs
   * (exit 2), stops its stack, joins the election, and runs a fresh supervisor whenever it
   * holds the lease. On the way out it stops the stack and leaves the election.
   */
  private int standby(Run run, StandbyHost standby, SupervisordConnection supervisord,
      StatusFeed feed, StatusServer server) throws InterruptedException {
    SupervisorSettings sup = config.supervisor();
    Map<String, Integer> stopWait;
    try {
      stopWait = supervisord.client().stopWaitSecs(sup.programs());
    } catch (org.regionfailover.act.supervisord.xmlrpc.XmlRpcException e) {
      return fail(run, "cannot read the programs' stopwaitsecs from supervisord: "
          + e.getMessage(), Cli.FAILED);
    }
    try {
      StandbyHost.checkSessionRule(config.coordination().sessionTimeout(),
          settings.interval(), stopWait);
    } catch (ConfigException e) {
      return fail(run, e.getMessage(), Cli.USAGE);
    }
    int longest = stopWait.values().stream().mapToInt(Integer::intValue).max().orElse(10);
    try {
      standby.start(new StandbyHost.Parts(() -> supervisor(settings.dryRun() ? dryRun()
              : acting(supervisord, standby.permit()), false, feed::attach),
          settings.dryRun() ? Optional.empty() : Optional.of(new StackStop(
              supervisord.fencingClient(Duration.ofSeconds(longest + 10L)), sup.programs())),
          settings.dryRun() ? Optional.empty() : Optional.of(watchdog()),
          feed.recorder()::end));
    } catch (IOException e) {
      return fail(run, "cannot start the stack watchdog: " + e.getMessage(), Cli.FAILED);
    }
    run.stop().await();
    long t0 = ticker.read();
    if (server != null) {
      server.close();
    }
    boolean reachable = standby.connected();
    standby.close(); // stops the stack if it runs here, then leaves the election
    log.emit(Event.info("shutdown", "stopped on request; stack stopped, " + (reachable
            ? "lease released" : "lease left to expire with the session (ZooKeeper unreachable)"))
        .with("duration_ms", (ticker.read() - t0) / 1_000_000));
    return Cli.OK;
  }

  private int fail(Run run, String message, int code) {
    log.emit(Event.error("startup_failed", message).with("reason", message));
    run.err().println("region-failover: " + message);
    return code;
  }

  /** The act stage of a dry run: decisions are logged, nothing is changed. */
  private Supervisor.Acting dryRun() {
    return switching(List.of(new DryRunAction(log)));
  }

  /**
   * The process that stops the stack when this one is killed or paused while it leads
   * (python3 comes with supervisord); a start-up error without python3.
   */
  private StackWatchdog watchdog() {
    String python = StackWatchdog.findPython();
    if (python == null) {
      throw new ConfigException(Setting.ROLE.label(), "active-standby needs python3 on the"
          + " PATH for its stack watchdog (Debian's supervisor package brings it)");
    }
    SupervisorSettings sup = config.supervisor();
    return new StackWatchdog(python, sup.url(), sup.user().orElse(null),
        sup.password().orElse(null), sup.programs(),
        StandbyHost.watchdogDeadline(config.coordination().sessionTimeout()), log);
  }

  /**
   * The act stage that changes the host: switches (journal, env file, ordered restart),
   * the start of the stack at start-up, and its repair, every program start first asking
   * {@code permit}. Whether this start follows a switch cut short is read from the journal
   * and reported here; what to do about it (restart the whole stack) is the decide stage's
   * call.
   */
  private Supervisor.Acting acting(SupervisordConnection supervisord, StartPermit permit) {
    SupervisorSettings sup = config.supervisor();
    SupervisordRestart restart = new SupervisordRestart(
        supervisord.client().withStartPermit(permit), sup.programs(), log, ticker);
    SwitchJournal journal = new SwitchJournal(settings.envFile());
    ActionChainStage stage = new ActionChainStage(chain(),
        List.of(journal.begin(), new EnvFileWriter(settings.envFile()), restart, journal.end()),
        List.of(new StackStart(restart)), List.of(restart, journal.end()), List.of(restart),
        new StackRepair(restart, journal));
    var pending = journal.pending();
    pending.ifPresent(region -> log.emit(Event.warn("switch_resumed", "a switch to " + region
            + " did not finish (" + journal.marker() + " is present): restarting the whole"
            + " stack on the region the env file names")
        .with("region", region).with("marker", journal.marker().toString())));
    // The watch's own deadline, at most an interval: a slow supervisord answer must not let
    // the outage reach the threshold before the check that would have stopped it.
    Duration watchTimeout = sup.timeout().compareTo(settings.interval()) < 0 ? sup.timeout()
        : settings.interval();
    return new Supervisor.Acting(stage, pending.isPresent(),
        Optional.of(new StackWatch(supervisord.watchClient(watchTimeout), sup.programs(),
            journal)),
        Optional.of(new TransitionHistoryFile(settings.envFile(), Clock.systemUTC(), ticker)));
  }
}
