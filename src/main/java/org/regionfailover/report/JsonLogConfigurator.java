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
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;

/**
 * The process's logging, configured in code (logback's {@link Configurator} service) instead
 * of {@code logback.xml}: one JSON object a line on stdout (the Logstash encoder, started on
 * the first line, see {@link LazyEncoder}), behind an asynchronous appender that never blocks
 * the loop. Reading the XML cost every start logback's Joran configurator and a SAX parser.
 * An explicit configuration still wins: {@code -Dlogback.configurationFile} (an operator's
 * own file) or a {@code logback-test.xml} on the class path (the tests'). No
 * {@code @ConfiguratorRank}: it is the only configurator, and reading the annotation made
 * logback build an annotation proxy at every start.
 */
public final class JsonLogConfigurator extends ContextAwareBase implements Configurator {
  /** The asynchronous appender on the root logger; the demo waits for it to drain. */
  public static final String ASYNC = "ASYNC";

  private static volatile LoggerContext configured;

  private final Map<String, String> env;
  private final boolean yieldToFiles;

  /** For logback's service loader: reads the process environment. */
  public JsonLogConfigurator() {
    this(System.getenv(), true);
  }

  /**
   * With {@code env} for {@code FAILOVER_LOG_LEVEL} and {@code DD_SERVICE}; with
   * {@code yieldToFiles}, an explicit configuration file wins.
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
    // No status chatter on stdout: every line there is one JSON event.
    ctx.getStatusManager().add(new NopStatusListener());

    ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
    stdout.setContext(ctx);
    stdout.setName("STDOUT");
    LazyEncoder<ILoggingEvent> encoder = new LazyEncoder<>(this::logstash);
    encoder.setContext(ctx);
    encoder.start();
    stdout.setEncoder(encoder);
    stdout.start();

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
    async.addAppender(stdout);
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
