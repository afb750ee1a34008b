package org.regionfailover.report;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.ConsoleSettings;
import org.regionfailover.config.LogFormat;

class JsonLogConfiguratorTest {
  private final LoggerContext ctx = context();

  private static LoggerContext context() {
    LoggerContext c = new LoggerContext();
    c.setMDCAdapter(new LogbackMDCAdapter());
    return c;
  }

  @AfterEach
  void stop() {
    ctx.stop();
  }

  @Test
  void configure_writesOneJsonObjectPerLine_withService_withoutVersionThreadOrLevelValue()
      throws Exception {
    configure(Map.of("DD_SERVICE", "edge \"a\"\\b"));

    JsonNode line = encode(Level.WARN, "tunnel down");

    assertThat(line.get("message").asText()).isEqualTo("tunnel down");
    assertThat(line.get("level").asText()).isEqualTo("WARN");
    assertThat(line.get("logger_name").asText()).isEqualTo("region-failover");
    assertThat(line.get("service").asText()).isEqualTo("edge \"a\"\\b");
    assertThat(line.has("@timestamp")).isTrue();
    assertThat(line.has("@version")).isFalse();
    assertThat(line.has("level_value")).isFalse();
    assertThat(line.has("thread_name")).isFalse();
  }

  @Test
  void configure_noService_namesTheProduct() throws Exception {
    configure(Map.of());

    assertThat(encode(Level.INFO, "x").get("service").asText()).isEqualTo("region-failover");
  }

  @Test
  void configure_startsTheJsonEncoderOnlyOnTheFirstLine() throws Exception {
    configure(Map.of());
    LazyEncoder<ILoggingEvent> encoder = encoder();

    assertThat(encoder.delegateStarted()).isFalse();
    encode(Level.INFO, "first");
    assertThat(encoder.delegateStarted()).isTrue();
  }

  @Test
  void configure_rootLevelFromEnvironment_invalidFallsBackToInfo() {
    configure(Map.of("FAILOVER_LOG_LEVEL", "warn"));
    assertThat(ctx.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);

    LoggerContext other = context();
    new JsonLogConfigurator(Map.of("FAILOVER_LOG_LEVEL", "chatty"), false).configure(other);
    assertThat(other.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    other.stop();
  }

  @Test
  void configure_asyncAppenderNeverBlocksTheLoop_andHttpClientIsQuiet() {
    configure(Map.of());
    AsyncAppender async = async();

    assertThat(async.isNeverBlock()).isTrue();
    assertThat(async.getQueueSize()).isEqualTo(8192);
    assertThat(async.getDiscardingThreshold()).isZero();
    assertThat(async.getMaxFlushTime()).isEqualTo(2000);
    assertThat(ctx.getLogger("org.apache.hc").getLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void configure_explicitConfigurationFileWins() {
    // logback-test.xml is on the test class path: the service configurator steps aside.
    ExecutionStatus status = new JsonLogConfigurator(Map.of(), true).configure(ctx);

    assertThat(status).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(JsonLogConfigurator.ASYNC))
        .isNull();
  }

  private JsonLogConfigurator configure(Map<String, String> env) {
    JsonLogConfigurator configurator = new JsonLogConfigurator(env, false);
    ExecutionStatus status = configurator.configure(ctx);
    assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    return configurator;
  }

  /** Issue 29: stdout holds our events only; ZooKeeper's and Jetty's lines go to stderr. */
  @Test
  void issue29_json_oursToStdout_librariesToStderr() throws Exception {
    configure(Map.of("FAILOVER_LOG_FORMAT", "json"));
    Captured c = capture();

    logOursAndTheLibraries();

    assertThat(c.outLines()).hasSize(2).allSatisfy(l -> assertThat(new ObjectMapper().readTree(l)
        .has("logger_name")).isTrue());
    assertThat(new ObjectMapper().readTree(c.outLines().get(0)).get("event").asText())
        .isEqualTo("outage_started");
    assertThat(c.outLines().get(1)).contains("intake refused a batch");
    assertThat(c.errLines()).hasSize(2);
    JsonNode zk = new ObjectMapper().readTree(c.errLines().get(0));
    assertThat(zk.get("logger_name").asText())
        .isEqualTo("org.apache.zookeeper.server.ServerCnxnFactory");
    assertThat(zk.get("message").asText()).startsWith("maxCnxns is not configured");
    assertThat(c.errLines().get(1)).contains("jetty-12 started");
  }

  @Test
  void issue29_textFromTheEnvironment_eventsOnStdout_librariesOnStderr_noJson() {
    configure(Map.of("FAILOVER_LOG_FORMAT", "text"));
    Captured c = capture();

    logOursAndTheLibraries();

    assertThat(c.outLines()).hasSize(2);
    assertThat(c.outLines().get(0)).matches("\\d\\d:\\d\\d:\\d\\d WARN  outage_started +EU +outage of EU"
        + " started");
    // A line of ours without an event field is shown by its logger's name.
    assertThat(c.outLines().get(1)).endsWith("WARN  shipper: intake refused a batch");
    assertThat(c.errLines()).hasSize(2);
    assertThat(c.errLines().get(0)).endsWith("WARN  ServerCnxnFactory: maxCnxns is not"
        + " configured, using default value 0.");
    assertThat(c.outLines()).noneMatch(l -> l.startsWith("{"));
    assertThat(c.errLines()).noneMatch(l -> l.startsWith("{"));
  }

  /** The command line's format is put in place after logging was configured. */
  @Test
  void issue29_console_switchesTheFormatOfBothStreams() {
    JsonLogConfigurator configurator = configure(Map.of());
    Captured c = capture();
    configurator.console(new ConsoleSettings(LogFormat.TEXT, false));

    logOursAndTheLibraries();

    assertThat(c.outLines()).hasSize(2).noneMatch(l -> l.startsWith("{"));
    assertThat(c.outLines().get(0)).contains("outage_started");
    assertThat(c.errLines()).hasSize(2).noneMatch(l -> l.startsWith("{"));
  }

  @Test
  void issue29_autoWithoutATerminal_orABadValue_isJson() throws Exception {
    configure(Map.of("FAILOVER_LOG_FORMAT", "yaml"));
    Captured c = capture();

    logOursAndTheLibraries();

    assertThat(new ObjectMapper().readTree(c.outLines().get(0)).get("event").asText())
        .isEqualTo("outage_started");
  }

  private AsyncAppender async() {
    return (AsyncAppender) ctx.getLogger(Logger.ROOT_LOGGER_NAME)
        .getAppender(JsonLogConfigurator.ASYNC);
  }

  private ConsoleRouting routing() {
    return (ConsoleRouting) async().getAppender(JsonLogConfigurator.ROUTING);
  }

  @SuppressWarnings("unchecked")
  private LazyEncoder<ILoggingEvent> encoder() {
    ConsoleAppender<ILoggingEvent> stdout = (ConsoleAppender<ILoggingEvent>) routing().stdout();
    return (LazyEncoder<ILoggingEvent>)
        ((SwitchingEncoder<ILoggingEvent>) stdout.getEncoder()).current();
  }

  /** What each stream gets, captured in place of the process's stdout and stderr. */
  private record Captured(ByteArrayOutputStream out, ByteArrayOutputStream err) {
    List<String> outLines() {
      return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    List<String> errLines() {
      return err.toString(StandardCharsets.UTF_8).lines().toList();
    }
  }

  @SuppressWarnings("unchecked")
  private Captured capture() {
    Captured c = new Captured(new ByteArrayOutputStream(), new ByteArrayOutputStream());
    ((OutputStreamAppender<ILoggingEvent>) routing().stdout()).setOutputStream(c.out());
    ((OutputStreamAppender<ILoggingEvent>) routing().stderr()).setOutputStream(c.err());
    return c;
  }

  /** Logs what a fleet demo logs: ZooKeeper's own warning, an event, Jetty's own line. */
  private void logOursAndTheLibraries() {
    ctx.getLogger("org.apache.zookeeper.server.ServerCnxnFactory")
        .warn("maxCnxns is not configured, using default value 0.");
    new Slf4jEventLog(ctx.getLogger(Slf4jEventLog.LOGGER))
        .emit(Event.warn("outage_started", "outage of EU started").with("set", "default")
            .with("region", "EU").build());
    ctx.getLogger("org.eclipse.jetty.server.Server").info("jetty-12 started");
    ctx.getLogger(org.regionfailover.report.datadog.DatadogAppender.SHIPPER_LOGGER)
        .warn("intake refused a batch");
    async().stop(); // flushes the queue into the streams
  }

  private JsonNode encode(Level level, String message) throws Exception {
    Logger logger = ctx.getLogger(Slf4jEventLog.LOGGER);
    LoggingEvent event = new LoggingEvent(Logger.FQCN, logger, level, message, null, null);
    String line = new String(encoder().encode(event), StandardCharsets.UTF_8);
    assertThat(line).endsWith("\n").doesNotContain("\n{");
    return new ObjectMapper().readTree(line);
  }
}
