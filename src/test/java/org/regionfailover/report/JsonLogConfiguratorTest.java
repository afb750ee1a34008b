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
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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

  private void configure(Map<String, String> env) {
    ExecutionStatus status = new JsonLogConfigurator(env, false).configure(ctx);
    assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
  }

  private AsyncAppender async() {
    return (AsyncAppender) ctx.getLogger(Logger.ROOT_LOGGER_NAME)
        .getAppender(JsonLogConfigurator.ASYNC);
  }

  @SuppressWarnings("unchecked")
  private LazyEncoder<ILoggingEvent> encoder() {
    ConsoleAppender<ILoggingEvent> stdout =
        (ConsoleAppender<ILoggingEvent>) async().getAppender("STDOUT");
    return (LazyEncoder<ILoggingEvent>) stdout.getEncoder();
  }

  private JsonNode encode(Level level, String message) throws Exception {
    Logger logger = ctx.getLogger(Slf4jEventLog.LOGGER);
    LoggingEvent event = new LoggingEvent(Logger.FQCN, logger, level, message, null, null);
    String line = new String(encoder().encode(event), StandardCharsets.UTF_8);
    assertThat(line).endsWith("\n").doesNotContain("\n{");
    return new ObjectMapper().readTree(line);
  }
}
