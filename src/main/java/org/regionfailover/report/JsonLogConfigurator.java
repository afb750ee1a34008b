package org.regionfailover.report;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.time.ZoneId;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.ConsoleSettings;
import org.regionfailover.config.SettingsLoader;

/**
 * The process's logging, configured in code (logback's {@link Configurator} service) instead
 * of {@code logback.xml}: our events on stdout and the libraries' lines on stderr
 * ({@link ConsoleRouting}), behind an asynchronous appender that never blocks the loop. Each
 * stream writes one JSON object a line (the Logstash encoder, started on the first line, see
 * {@link LazyEncoder}) or, for a person at a terminal, one short text line
 * ({@link TextLineEncoder}): {@code FAILOVER_LOG_FORMAT} at first, then what the command line
 * and the settings file say ({@link #useConsole}), as logback is configured before they are
 * read. The Datadog appender, attached to the root logger later, gets every line either way. Reading the XML cost every start logback's Joran configurator and a SAX parser.
 * An explicit configuration still wins: {@code -Dlogback.configurationFile} (an operator's
 * own file) or a {@code logback-test.xml} on the class path (the tests'). No
 * {@code @ConfiguratorRank}: it is the only configurator, and reading the annotation made
 * logback build an annotation proxy at every start.
 */
public final class JsonLogConfigurator extends ContextAwareBase implements Configurator {
  /** The asynchronous appender on the root logger; the demo waits for it to drain. */
  public static final String ASYNC = "ASYNC";
  /** Under {@link #ASYNC}: our lines to {@link #STDOUT}, the libraries' to {@link #STDERR}. */
  public static final String ROUTING = "CONSOLE";
  public static final String STDOUT = "STDOUT";
  public static final String STDERR = "STDERR";

  private static volatile LoggerContext configured;
  /** The console's two streams, once configured. */
  private static volatile Streams streams;
  /** The console settings the command line asked for, if it was read before logging began. */
  private static volatile ConsoleSettings requested;

  private final Map<String, String> env;
  private final boolean yieldToFiles;
  private Streams own;

  /** For logback's service loader: reads the process environment. */
  public JsonLogConfigurator() {
    this(System.getenv(), true);
  }

  /**
   * With {@code env} for {@code FAILOVER_LOG_LEVEL}, {@code FAILOVER_LOG_FORMAT},
   * {@code FAILOVER_VERBOSE} and {@code DD_SERVICE}; with {@code yieldToFiles} (the process's
   * own), an explicit configuration file wins, and settings given to {@link #useConsole}
   * before logging began are taken.
   */
  public JsonLogConfigurator(Map<String, String> env, boolean yieldToFiles) {
    this.env = Map.copyOf(env);
    this.yieldToFiles = yieldToFiles;
  }

  @Override
  public ExecutionStatus configure(LoggerContext ctx) {
    if (yieldToFiles && explicitFile()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    // No status chatter on stdout: every line there is one event.
    ctx.getStatusManager().add(new NopStatusListener());

    Streams made = new Streams(ctx, Terminal.stdout(), env);
    // The process's own configurator takes what the command line asked for, if it came first.
    ConsoleSettings wanted = yieldToFiles ? requested : null;
    made.use(wanted != null ? wanted : fromEnvironment(env));
    own = made;
    if (yieldToFiles) {
      streams = made;
    }
    ConsoleRouting routing = new ConsoleRouting(console(ctx, STDOUT, "System.out", made.out),
        console(ctx, STDERR, "System.err", made.err));
    routing.setContext(ctx);
    routing.setName(ROUTING);
    routing.start();

    AsyncAppender async = new AsyncAppender();
    async.setContext(ctx);
    async.setName(ASYNC);
    // The loop never waits on stdout: a full pipe drops lines instead of delaying a probe.
    async.setQueueSize(8192);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(true);
    // Stop budget: 3 s tick + up to 6 s switch step + 5 s Datadog flush + this must fit the
    // 20 s stopwaitsecs / TimeoutStopSec that packaging/ ships.
    async.setMaxFlushTime(2000);
    async.addAppender(routing);
    async.start();

    ctx.getLogger("org.apache.hc").setLevel(Level.WARN);
    ctx.getLogger("org.glassfish").setLevel(Level.WARN);
    // ZooKeeper and Curator narrate every connection at INFO; our own events say what matters.
    ctx.getLogger("org.apache.zookeeper").setLevel(Level.WARN);
    ctx.getLogger("org.apache.curator").setLevel(Level.WARN);
    // Without ZooKeeper these warn at every reconnect attempt, many with a stack trace
    // (about 100 KB a minute, all shipped to Datadog); coordination_lost and
    // coordination_restored say it once each way.
    ctx.getLogger("org.apache.zookeeper.ClientCnxn").setLevel(Level.ERROR);
    ctx.getLogger("org.apache.curator.ConnectionState").setLevel(Level.ERROR);
    ctx.getLogger("org.apache.curator.retry").setLevel(Level.ERROR);
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(env.get("FAILOVER_LOG_LEVEL"), Level.INFO));
    root.addAppender(async);
    configured = ctx;
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Stops logging (flushing the asynchronous queue) if it was ever configured; a command that
   * never logged does not start logback just to stop it.
   */
  public static void stopIfStarted() {
    LoggerContext ctx = configured;
    if (ctx != null) {
      ctx.stop();
    }
  }

  /**
   * Writes events as {@code settings} say from now on: called once the command line is read.
   * Before logging is configured (nothing logged yet), the settings are kept for when it is.
   * Does nothing under an explicit configuration file (the operator's own, or the tests').
   */
  public static void useConsole(ConsoleSettings settings) {
    requested = settings;
    Streams s = streams;
    if (s != null) {
      s.use(settings);
    }
  }

  /** As {@link #useConsole}, for the context this configured only. */
  void console(ConsoleSettings settings) {
    own.use(settings);
  }

  /** The settings from FAILOVER_LOG_FORMAT and FAILOVER_VERBOSE; a bad value is caught later. */
  private static ConsoleSettings fromEnvironment(Map<String, String> env) {
    try {
      return new SettingsLoader(Map.of(), env).console();
    } catch (ConfigException e) {
      return ConsoleSettings.DEFAULT; // the command line's validation stops the start with exit 2
    }
  }

  private static ConsoleAppender<ILoggingEvent> console(LoggerContext ctx, String name,
      String target, SwitchingEncoder<ILoggingEvent> encoder) {
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(ctx);
    appender.setName(name);
    appender.setTarget(target);
    encoder.start();
    appender.setEncoder(encoder);
    return appender;
  }

  /**
   * The encoders of stdout and stderr and what decides between JSON and text: whether stdout
   * is a terminal, and whether it takes colour.
   */
  private final class Streams {
    private final SwitchingEncoder<ILoggingEvent> out;
    private final SwitchingEncoder<ILoggingEvent> err;
    private final boolean terminal;
    private final boolean colour;

    Streams(LoggerContext ctx, boolean terminal, Map<String, String> env) {
      this.out = new SwitchingEncoder<>();
      this.err = new SwitchingEncoder<>();
      out.setContext(ctx);
      err.setContext(ctx);
      this.terminal = terminal;
      this.colour = terminal && Terminal.colour(env);
    }

    void use(ConsoleSettings settings) {
      if (settings.format().text(terminal)) {
        ProbeFolding folding = new ProbeFolding(settings.verbose());
        out.use(new TextLineEncoder(colour, folding, ZoneId.systemDefault()));
        err.use(new TextLineEncoder(colour, folding, ZoneId.systemDefault()));
      } else {
        out.use(new LazyEncoder<>(JsonLogConfigurator.this::logstash));
        err.use(new LazyEncoder<>(JsonLogConfigurator.this::logstash));
      }
    }
  }

  private static boolean explicitFile() {
    return System.getProperty("logback.configurationFile") != null
        || JsonLogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null;
  }

  private LogstashEncoder logstash() {
    LogstashEncoder e = new LogstashEncoder();
    String service = env.getOrDefault("DD_SERVICE", "");
    // DD_SERVICE is the operator's text: quoted by Jackson (loaded by now), so a quote in
    // it cannot break a line.
    char[] quoted = JsonStringEncoder.getInstance()
        .quoteAsString(service.isEmpty() ? "region-failover" : service);
    e.setCustomFields("{\"service\":\"" + new String(quoted) + "\"}");
    e.getFieldNames().setVersion("[ignore]");
    e.getFieldNames().setLevelValue("[ignore]");
    e.getFieldNames().setThread("[ignore]");
    return e;
  }
}
