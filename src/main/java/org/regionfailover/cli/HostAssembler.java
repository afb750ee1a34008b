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
import org.regionfailover.config.ProcessConfiguration;
import org.regionfailover.config.SetConfiguration;
import org.regionfailover.config.DatadogSettings;
import org.regionfailover.config.FailoverList;
import org.regionfailover.config.ListenerSettings;
import org.regionfailover.config.ProbeSettings;
import org.regionfailover.config.Region;
import org.regionfailover.config.RegionProbeSettings;
import org.regionfailover.config.Setting;
import org.regionfailover.config.Settings;
import org.regionfailover.config.SupervisorSettings;
import org.regionfailover.config.HookSettings;
import org.regionfailover.config.MaintenanceSettings;
import org.regionfailover.loop.MaintenanceCalendar;
import org.regionfailover.status.http.MaintenanceEndpoints;
import org.regionfailover.config.TrafficSettings;
import org.regionfailover.config.UrlTemplate;
import org.regionfailover.config.ZooKeeperUrl;
import org.regionfailover.coordinate.ZooKeeperClient;
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
import org.regionfailover.probe.EvidenceAggregator;
import org.regionfailover.probe.Probe;
import org.regionfailover.probe.TrafficSource;
import org.regionfailover.act.supervisord.LogTailTrafficSource;
import org.regionfailover.probe.TcpConnectProbe;
import org.regionfailover.probe.TlsHandshakeProbe;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.report.datadog.DatadogCounts;
import org.regionfailover.status.http.ReadEndpoints;
import org.regionfailover.status.http.Routes;
import org.regionfailover.status.http.ServedSets;
import org.regionfailover.status.metrics.PrometheusMetrics;
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
  private final EventLog log;
  private final Ticker ticker;
  /** The set's {@code endpoint} source (issue 27); null when its sources have none. */
  private EvidenceAggregator evidence;
  /** The set's traffic sources, once {@link #startSet} has supervisord's connection. */
  private List<TrafficSource> traffic = List.of();
  /** The set's hooks (issue 28); none until {@link #prepare} gives them. */
  private org.regionfailover.act.hook.SetHooks hooks;

  /** The assembler of one failover set (or of a host that runs one). */
  public HostAssembler(Configuration config, EventLog log, Ticker ticker) {
    this.config = config;
    this.settings = config.settings();
    // The one construction of the decide stage's policy that the loop, the status feed and
    // every supervisor an active/standby host builds share.
    this.policy = new FailoverPolicy(settings.order(), config.policy());
    this.log = log;
    this.ticker = ticker;
    this.evidence = config.traffic().endpoint()
        ? new EvidenceAggregator(ticker, EvidenceAggregator.DEFAULT_PER_SECOND) : null;
  }

  /**
   * This assembler with {@code started}'s traffic sources (a reload's assembler: the
   * sources, the endpoint's aggregator the status server feeds included, need a restart).
   */
  HostAssembler keepingTraffic(HostAssembler started) {
    this.evidence = started.evidence;
    this.traffic = started.traffic;
    this.hooks = started.hooks; // hooks change with a restart only; their timeout reloads
    if (hooks != null) {
      hooks.retime(config.hooks().timeout());
    }
    return this;
  }

  /**
   * The gate a switch of this set asks first (issue 28): its pre-switch hook, or the open
   * gate without one.
   */
  public org.regionfailover.act.SwitchGate switchGate() {
    return hooks == null ? org.regionfailover.act.SwitchGate.OPEN : hooks.gate();
  }

  /** Stops the set's hooks (a hook running is left to finish; the outbox keeps the rest). */
  void closeHooks() {
    if (hooks != null) {
      hooks.close();
    }
  }

  /** Closes the set's traffic sources, once no supervisor drains them any more. */
  void closeTraffic() {
    traffic.forEach(TrafficSource::close);
  }

  /** Where the set's reports to {@code POST /evidence} go; null without that source. */
  EvidenceAggregator evidence() {
    return evidence;
  }

  /**
   * The set's traffic sources (issue 27) from its settings: the endpoint's aggregator, and
   * a reader of each {@code log:PROGRAM}'s log through {@code supervisord} (none without a
   * connection: a log is only read through supervisord).
   */
  private List<TrafficSource> trafficSources(SupervisordConnection supervisord) {
    TrafficSettings t = config.traffic();
    List<TrafficSource> out = new java.util.ArrayList<>();
    if (evidence != null) {
      out.add(evidence);
    }
    if (supervisord != null) {
      for (String program : t.logPrograms()) {
        // Its own client, bounded well under the interval (H10's measure: up to 7 calls a
        // drain on a slow supervisord), so a hung one delays a drain, never a probe.
        Duration timeout = settings.interval().dividedBy(4);
        out.add(new LogTailTrafficSource(supervisord.trafficClient(
            timeout.compareTo(Duration.ofSeconds(2)) < 0 ? timeout : Duration.ofSeconds(2)),
            program, t.error(), t.ok(), log));
      }
    }
    return out;
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
        new HttpProbe(settings.probe(), ticker), directProbe(), config.regionProbe().interval(),
        traffic), acting, fleet, onLoop, log, ticker);
  }

  /**
   * What a reload changes for a running supervisor, built from the new configuration as at
   * start-up: see {@link Supervisor#reconfigure}.
   */
  public record Reconfiguration(Settings settings, FailoverPolicy policy,
      Supervisor.Probing probing) {}

  /**
   * The settings, policy and fresh probes of {@code next} for a supervisor this assembler
   * built: the restart-only parts of {@code next} (the failover order, the env file, dry
   * run) must be the running ones ({@link Supervisor#reconfigure} refuses others).
   */
  public Reconfiguration reconfiguration(Configuration next) {
    Settings s = next.settings();
    return new Reconfiguration(s, new FailoverPolicy(s.order(), next.policy()),
        new Supervisor.Probing(new HttpProbe(s.probe(), ticker), directProbe(next),
            next.regionProbe().interval()));
  }

  /**
   * Applies {@code next} to the running {@code supervisor}: its rules, probes and cadences
   * (the status page and the metrics follow the loop); the future completes once the loop
   * decides with them, after a switch in progress has ended.
   */
  public java.util.concurrent.CompletableFuture<Void> reconfigure(Supervisor supervisor,
      Configuration next) {
    Reconfiguration r = reconfiguration(next);
    try {
      return supervisor.reconfigure(r.settings(), r.policy(), r.probing());
    } catch (RuntimeException e) {
      r.probing().chain().close();
      r.probing().direct().ifPresent(Probe::close);
      throw e;
    }
  }

  /** The direct probe of the regions the settings ask for. TLS is verified, as for the chain. */
  private Optional<Probe> directProbe() {
    return directProbe(config);
  }

  private Optional<Probe> directProbe(Configuration c) {
    RegionProbeSettings direct = c.regionProbe();
    ProbeSettings chain = c.settings().probe();
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
    return fleetDemoHost(id, dir, list, start, chainUrl, directUrl, connect, cluster, timing,
        shared, ListenerSettings.off());
  }

  /** As above, with its status page on {@code listener} when it is enabled (the demo's). */
  public static FleetDemoHost fleetDemoHost(String id, Path dir, FailoverList list,
      String start, String chainUrl, String directUrl, String connect, String cluster,
      FleetDemoHost.Timing timing, EventLog shared, ListenerSettings listener)
      throws IOException, InterruptedException {
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
            CoordinationSettings.Role.FLEET, timing.session(), timing.quorum(), null),
        TrafficSettings.OFF, HookSettings.OFF, MaintenanceSettings.DEFAULT);
    HostAssembler assembler = new HostAssembler(config, log, Ticker.system());
    FleetWiring fleet = new FleetWiring(config, Clock.systemUTC(), log, Ticker.system());
    StatusFeed feed = listener.enabled() ? new StatusFeed(PrometheusMetrics.DEFAULT_SET,
        settings, assembler.policy, interval, new PrometheusMetrics(Version.get(), null), null,
        Clock.systemUTC(), Ticker.system()) : null;
    AtomicReference<FailoverLoop> running = new AtomicReference<>();
    StatusServer page = feed == null ? null : FleetDemoPage.start(listener, feed,
        settings.order(), fleet, running, log, Ticker.system());
    Supervisor supervisor = assembler.supervisor(
        assembler.switching(List.of(new EnvFileWriter(envFile))), true,
        feed == null ? loop -> { } : feed::attach);
    supervisor.start();
    running.set(supervisor.loop());
    fleet.beforeStart();
    fleet.started(supervisor.loop());
    AtomicBoolean stopped = new AtomicBoolean();
    return new FleetDemoHost(id, list, envFile, fleet.client(), fleet.member(),
        fleet.decider(), page == null ? null : page.url(), () -> {
          if (!stopped.getAndSet(true)) {
            if (page != null) {
              page.close(); // first: no command may arrive while the host leaves
            }
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
   * Runs the process until {@code stop}: emits {@code startup} once logs ship, serves the
   * status page (its URL to {@code onListening}), waits for supervisord (unless
   * {@code useSupervisord} is false: dry run only), then runs every failover set of
   * {@code process}, each alone, in its fleet, or whenever it holds its lease. The sets
   * share supervisord's connection, the status server and the Datadog shipper; each has its
   * own loop, env file, journal, history and coordination. The exit code.
   */
  static int run(ProcessConfiguration process, EventLog processLog, Ticker ticker,
      boolean lockEnvFiles, boolean useSupervisord, List<Event> startup, CountDownLatch stop,
      PrintStream err, Consumer<URI> onListening, Reloads reloads) {
    Configuration main = process.main();
    // One set alone: the process's own events carry its name too, so every line has a set.
    EventLog log = process.multiSet() ? processLog
        : new org.regionfailover.report.SetEventLog(processLog, process.sets().get(0).name());
    // A bad htpasswd or TLS file is exit 2 before anything starts.
    StatusListener.Security security = StatusListener.security(main.listener());
    // A bad line of the maintenance file is exit 2 before anything starts, too.
    MaintenanceCalendar calendar = maintenanceCalendar(process);
    // The Datadog tag follows the first set's region (one tag per process).
    AtomicReference<String> region = new AtomicReference<>("none");
    Run run = new Run(stop, err, region, log);
    try (Closeable shipping = DatadogShipping.install(main.datadog(), region::get, ticker);
        // try-with-resources skips a null resource: no connection without supervisord.
        SupervisordConnection supervisord = useSupervisord
            ? new SupervisordConnection(allPrograms(process)) : null) {
      // Changed by reloads (a set added or removed) while the process runs.
      java.util.concurrent.CopyOnWriteArrayList<SetRun> sets =
          new java.util.concurrent.CopyOnWriteArrayList<>();
      // The process's metrics (each set's series labelled with its name) and the sets the
      // status server answers for.
      PrometheusMetrics metrics = new PrometheusMetrics(Version.get(), SetRun.counts(shipping));
      ServedSets served = new ServedSets();
      // One ZooKeeper session for every set; each set's client is a namespace of it.
      ZooKeeperClient.Session zooKeeper = main.coordination().enabled()
          ? new ZooKeeperClient.Session(main.coordination()) : null;
      try {
        for (SetConfiguration set : process.sets()) {
          SetRun prepared = prepare(process.multiSet() ? inCluster(set) : set, processLog,
              ticker, SetRun.counts(shipping), metrics, zooKeeper, calendar);
          sets.add(prepared);
          served.add(prepared.served());
          // Before anything else touches the env file or supervisord: a second instance
          // must leave at once, not after it has fought the first one.
          java.util.Optional<String> held = lockEnvFiles ? prepared.lock()
              : java.util.Optional.empty();
          if (held.isPresent()) {
            return fail(run, held.get(), Cli.FAILED);
          }
        }
        startup.forEach(log::emit);
        AtomicReference<SupervisordConnection> connection = new AtomicReference<>();
        Reloading reloading = new Reloading(reloads.requests(), reloads.source(), process,
            new SetsReload(sets, new SetsReload.Sets() {
              @Override
              public SetRun prepare(SetConfiguration set, boolean lock) {
                SupervisordConnection sup = connection.get();
                if (sup != null && !set.config().settings().dryRun()) {
                  try {
                    // As at start-up: a program supervisord does not know is a mistake.
                    sup.checkPrograms(set.config().supervisor().programs());
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ConfigException(Setting.PROGRAMS.label(), "set " + set.name()
                        + ": interrupted while checking its programs");
                  }
                }
                SetRun added = HostAssembler.prepare(process.multiSet() ? inCluster(set) : set,
                    processLog, ticker, SetRun.counts(shipping), metrics, zooKeeper, calendar);
                java.util.Optional<String> held = lock && lockEnvFiles ? added.lock()
                    : java.util.Optional.empty();
                if (held.isPresent()) {
                  added.coordination().close();
                  added.feed().metrics().close();
                  throw new ConfigException(Setting.ENV_FILE.label(), "set " + set.name()
                      + " cannot start: " + held.get());
                }
                return added;
              }

              @Override
              public void start(SetRun set) throws InterruptedException {
                sets.add(set);
                served.add(set.served());
                set.log().emit(Event.info("set_added", "set " + set.name() + " added by a"
                        + " reload; starting it as at start-up")
                    .with("env_file", set.configuration().config().settings().envFile()
                        .toString()));
                Integer failed = set.assembler().startSet(run, set, connection.get(), false);
                if (failed != null) {
                  remove(set);
                }
              }

              @Override
              public void remove(SetRun set) {
                served.remove(set.name());
                sets.remove(set);
                set.stop(STOP_GRACE, ticker.read(), ticker);
                set.feed().metrics().close();
                set.unlock();
                set.log().emit(Event.info("set_removed", "set " + set.name() + " removed by a"
                    + " reload: its loop stopped and its lock released; its stack is left as a"
                    + " stop leaves it"));
              }
            }).andThen(maintenanceReload(calendar)), log);
        // After the lock (a second instance reports the lock, not a busy port) and before
        // the loop: a bad address is a start-up error, and the page is up while supervisord
        // is awaited.
        StatusServer server;
        try {
          server = main.listener().enabled() ? StatusListener.start(main.listener(), security,
              routes(sets, served, metrics, reloading, evidenceToken(main),
                  () -> security.passwords() != null, calendar), log, ticker)
              : null;
        } catch (ConfigException e) {
          return fail(run, e.getMessage(), Cli.USAGE);
        }
        try (server) {
          if (server != null) {
            onListening.accept(server.url());
          }
          connection.set(supervisord);
          return start(run, supervisord, sets, server, () -> reloading.start(security));
        }
      } finally {
        sets.forEach(set -> set.coordination().close());
        sets.forEach(SetRun::unlock);
      }
    } catch (IOException e) {
      // Closing the Datadog shipper (its bounded flush) failed; the run itself was fine.
      return Cli.OK;
    }
  }

  /**
   * The bearer token {@code POST /evidence} requires (issue 27; process-wide, the main
   * settings'), read once at start-up; never logged, and a failure names the file only.
   */
  private static Optional<String> evidenceToken(Configuration main) {
    try {
      return main.traffic().token();
    } catch (IOException e) {
      throw ConfigException.badValue(Setting.EVIDENCE_TOKEN_FILE.label(),
          main.traffic().tokenFile().map(Object::toString).orElse(""),
          "expected a readable token file (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** {@code set} as one of several: its own cluster under the configured one. */
  private static SetConfiguration inCluster(SetConfiguration set) {
    Configuration c = set.config();
    return new SetConfiguration(set.name(), new Configuration(c.settings(), c.regionProbe(),
        c.policy(), c.supervisor(), c.datadog(), c.listener(),
        c.coordination().inSet(set.name()), c.traffic(), c.hooks(), c.maintenance()),
        set.values());
  }

  /** supervisord's settings with every set's programs: its start-up check covers them all. */
  private static SupervisorSettings allPrograms(ProcessConfiguration process) {
    SupervisorSettings main = process.main().supervisor();
    List<String> programs = process.sets().stream()
        .flatMap(set -> set.config().supervisor().programs().stream()).distinct().toList();
    return new SupervisorSettings(main.url(), main.user(), main.password(), programs,
        main.timeout());
  }

  /** One set's parts before it runs: its log, assembler, status feed and coordination. */
  private static SetRun prepare(SetConfiguration set, EventLog processLog, Ticker ticker,
      DatadogCounts counts, PrometheusMetrics metrics, ZooKeeperClient.Session session,
      MaintenanceCalendar calendar) {
    Configuration config = set.config();
    // Issue 28: the set's hooks observe its log (a delivery is in the outbox before its line
    // is logged) and report on it.
    org.regionfailover.act.hook.SetHooks hooks = SetRun.hooks(set, processLog, ticker);
    EventLog log = new org.regionfailover.report.SetEventLog(hooks.observing(processLog),
        set.name());
    HostAssembler assembler = new HostAssembler(config, log, ticker);
    assembler.hooks = hooks;
    StatusFeed feed = new StatusFeed(set.name(), config.settings(), assembler.policy,
        config.regionProbe().interval(), metrics, counts, Clock.systemUTC(), ticker);
    SetRun.showHooks(hooks, feed);
    AtomicReference<FailoverLoop> loop = new AtomicReference<>();
    return new SetRun(set, assembler, log, feed, assembler.coordination(session, loop), loop,
        calendar);
  }

  /**
   * The maintenance windows of the process: the file given, or {@code maintenance} beside
   * the settings file, or else beside the (first set's) env file; every region of every set
   * may have windows.
   */
  static MaintenanceCalendar maintenanceCalendar(ProcessConfiguration process) {
    Configuration main = process.main();
    Path file = main.maintenance().file().orElseGet(() -> process.file()
        .orElse(main.settings().envFile().toAbsolutePath()).toAbsolutePath()
        .resolveSibling("maintenance"));
    List<String> regions = process.sets().stream()
        .flatMap(s -> s.config().settings().order().stream()).map(Region::name).distinct()
        .toList();
    return new MaintenanceCalendar(file, regions);
  }

  /**
   * A reload reads the maintenance file again: a bad line rejects the whole reload (the
   * windows known stay), as a bad setting does.
   */
  private static Applier maintenanceReload(MaintenanceCalendar calendar) {
    return (running, next, diff) -> {
      List<org.regionfailover.config.MaintenanceWindow> windows = calendar.read();
      boolean changed = !windows.equals(calendar.windows());
      return new Applier.Change() {
        @Override
        public void apply() {
          calendar.replace(windows);
        }

        @Override
        public List<String> files() {
          return changed ? List.of(Setting.MAINTENANCE_FILE.env() + " " + calendar.file() + ": "
              + windows.size() + " window(s)") : List.of();
        }
      };
    };
  }

  /**
   * The status server's routes: the reads and commands of every set ({@code served}), and
   * the routes of each set's coordination (under {@code /set/NAME} when there are several).
   */
  private static Routes routes(List<SetRun> sets, ServedSets served, PrometheusMetrics metrics,
      Reloading reloading, Optional<String> evidenceToken,
      java.util.function.BooleanSupplier manualControl, MaintenanceCalendar calendar) {
    ReadEndpoints reads = new ReadEndpoints(served, metrics, Clock.systemUTC())
        .withManualControl(manualControl);
    return StatusListener.routes(served, reads, evidenceToken, builder -> {
      new MaintenanceEndpoints(calendar, Clock.systemUTC()).register(builder);
      sets.forEach(set -> set.coordination().register(builder,
          sets.size() == 1 ? "" : "/set/" + set.name()));
      reloading.register(builder);
    });
  }

  /**
   * Where a process's reloads come from: {@code requests} (SIGHUP, merged) and the
   * {@code source} that reads the settings again, exactly as at start-up.
   */
  record Reloads(ReloadRequests requests, org.regionfailover.config.ConfigSource source) {}

  Ticker ticker() {
    return ticker;
  }

  /** How the set coordinates, on the process's ZooKeeper {@code session} (null: none). */
  private Coordination coordination(ZooKeeperClient.Session session,
      AtomicReference<FailoverLoop> loop) {
    CoordinationSettings c = config.coordination();
    if (!c.enabled()) {
      return new Coordination.None();
    }
    return c.role() == CoordinationSettings.Role.FLEET
        ? new FleetWiring(session, config, Clock.systemUTC(), log, ticker)
        : new StandbyWiring(new StandbyHost(session, c, settings.interval(),
            settings.outageThreshold(),
            config.supervisor().programs(), loop, log, ticker));
  }

  /**
   * One run of the process: what ends it, where start-up errors go, the region Datadog's
   * tag follows, and the process's own log (events of no one set).
   */
  private record Run(CountDownLatch stop, PrintStream err, AtomicReference<String> region,
      EventLog log) {}

  private static int start(Run run, SupervisordConnection supervisord, List<SetRun> sets,
      StatusServer server, java.util.function.Supplier<ReloadRequests> reloading) {
    try {
      if (supervisord != null) {
        supervisord.abortOnStop(run.stop(), STOP_GRACE);
        supervisord.check(run.log(), run.stop(), sets.get(0).assembler().ticker);
      }
      for (SetRun set : sets) {
        Integer failed = set.assembler().startSet(run, set, supervisord, sets.get(0) == set);
        if (failed != null) {
          stopAll(sets, sets.get(0).assembler().ticker);
          return failed;
        }
      }
      // Reloads from here on: a SIGHUP during start-up was kept, and reloads now, once
      // every set runs (a set's rules reach a running loop).
      try (ReloadRequests reloads = reloading.get()) {
        run.stop().await();
      }
      if (server != null) {
        server.close(); // first: no command may arrive while the loops wind down
      }
      stopAll(sets, sets.get(0).assembler().ticker);
      return Cli.OK;
    } catch (SupervisordConnection.Unreachable e) {
      return fail(run, e.getMessage(), Cli.FAILED);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      run.log().emit(Event.info("shutdown", "stopped during start-up"));
      stopAll(sets, sets.get(0).assembler().ticker);
      return Cli.OK;
    }
  }

  /**
   * Stops every set: first every probe (nothing seen while leaving is taken for an
   * outage: supervisord's calls may be abandoned), then each set in turn.
   */
  private static void stopAll(List<SetRun> sets, Ticker ticker) {
    long t0 = ticker.read();
    sets.forEach(SetRun::stopProbing);
    for (SetRun set : sets) {
      set.stop(STOP_GRACE, t0, ticker);
    }
  }

  /**
   * Starts one set: its supervisor (alone or in its fleet) or its standby host. Null when
   * it runs; else the exit code of a start-up failure (already reported).
   */
  private Integer startSet(Run run, SetRun set, SupervisordConnection supervisord,
      boolean tagsRegion) throws InterruptedException {
    hooks.start(); // after the env file's lock: the outbox is this process's
    if (set.coordination() instanceof StandbyWiring standby) {
      set.standingBy(standby);
      return standby(run, standby.host(), supervisord, set);
    }
    Supervisor.Acting acting = settings.dryRun() ? dryRun()
        : acting(supervisord, StartPermit.ALWAYS);
    traffic = trafficSources(supervisord);
    Supervisor supervisor = supervisor(acting, set.coordination().defersToFleet(),
        set::attach);
    if (tagsRegion) {
      run.region().set(settings.order().get(0).name());
    }
    try {
      set.coordination().beforeStart();
    } catch (InterruptedException e) {
      supervisor.stop(Duration.ZERO); // closes its probes
      throw e;
    }
    try {
      set.serve(supervisor, r -> {
        if (tagsRegion) {
          // The Datadog region tag follows the loop without ever taking its lock.
          run.region().set(r.name());
        }
      });
    } catch (IOException e) {
      return fail(run, "cannot write the env file " + settings.envFile() + ": " + e,
          Cli.FAILED);
    }
    return null;
  }

  /**
   * An active/standby set: checks the session rule against the programs' stopwaitsecs
   * (exit 2), stops its stack, joins the election, and runs a fresh supervisor whenever it
   * holds the lease. Its {@link StandbyWiring#close} stops the stack and leaves the election.
   */
  private Integer standby(Run run, StandbyHost standby, SupervisordConnection supervisord,
      SetRun set) throws InterruptedException {
    // Drained by each lease term's supervisor; kept by a reload's assembler.
    traffic = trafficSources(supervisord);
    StatusFeed feed = set.feed();
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
      // Each lease term's supervisor runs the set's latest rules (a reload's).
      standby.start(new StandbyHost.Parts(() -> set.currentAssembler().supervisor(
              settings.dryRun() ? dryRun() : acting(supervisord, standby.permit()), false,
              set::attach),
          settings.dryRun() ? Optional.empty() : Optional.of(new StackStop(
              supervisord.fencingClient(Duration.ofSeconds(longest + 10L)), sup.programs())),
          settings.dryRun() ? Optional.empty() : Optional.of(watchdog()),
          feed.recorder()::end));
    } catch (IOException e) {
      return fail(run, "cannot start the stack watchdog: " + e.getMessage(), Cli.FAILED);
    }
    return null;
  }

  private static int fail(Run run, String message, int code) {
    run.log().emit(Event.error("startup_failed", message).with("reason", message));
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
    // Every switch asks the set's pre-switch hook first (the open gate without one).
    return new Supervisor.Acting(stage, pending.isPresent(),
        Optional.of(new StackWatch(supervisord.watchClient(watchTimeout), sup.programs(),
            journal)),
        Optional.of(new TransitionHistoryFile(settings.envFile(), Clock.systemUTC(), ticker)),
        switchGate());
  }
}
