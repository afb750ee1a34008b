package org.regionfailover.report.datadog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.config.DatadogSettings;
import org.regionfailover.report.ConsoleRouting;
import org.regionfailover.report.Event;
import org.regionfailover.report.JsonLogConfigurator;
import org.regionfailover.report.Slf4jEventLog;
import org.regionfailover.time.Ticker;

/**
 * Issue 29: the console sends the libraries' lines to stderr, in either format, and Datadog
 * still gets every line as before (it hangs off the root logger, not off the console), at a
 * real intake on loopback.
 */
class Issue29ConsoleStreamsDatadogTest {
  private final WireMockServer server =
      new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
  private final LoggerContext ctx = new LoggerContext();
  private DatadogAppender datadog;

  @BeforeEach
  void start() {
    ctx.setMDCAdapter(new LogbackMDCAdapter());
    server.start();
    server.stubFor(post(urlEqualTo(Intake.PATH))
        .willReturn(aResponse().withStatus(202).withBody("{}")));
  }

  @AfterEach
  void stop() {
    if (datadog != null) {
      datadog.close();
    }
    server.stop();
    ctx.stop();
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "text"})
  @SuppressWarnings("unchecked")
  void librariesToStderr_oursToStdout_datadogGetsEveryLine(String format) {
    new JsonLogConfigurator(Map.of("FAILOVER_LOG_FORMAT", format), false).configure(ctx);
    AsyncAppender async = (AsyncAppender) ctx.getLogger(Logger.ROOT_LOGGER_NAME)
        .getAppender(JsonLogConfigurator.ASYNC);
    ConsoleRouting routing = (ConsoleRouting) async.getAppender(JsonLogConfigurator.ROUTING);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ((OutputStreamAppender<ILoggingEvent>) routing.stdout()).setOutputStream(out);
    ((OutputStreamAppender<ILoggingEvent>) routing.stderr()).setOutputStream(err);
    datadog = new DatadogAppender(new DatadogSettings(DatadogAppenderTest.API_KEY, null,
        URI.create(server.baseUrl()), null, "test", List.of(), "host-1", 100,
        Duration.ofSeconds(5)), () -> "EU", Ticker.system(), new RecordingEventLog(),
        DatadogAppenderTest.FAST).attach(ctx);

    ctx.getLogger("org.apache.zookeeper.server.ServerCnxnFactory")
        .warn("maxCnxns is not configured, using default value 0.");
    new Slf4jEventLog(ctx.getLogger(Slf4jEventLog.LOGGER))
        .emit(Event.error("failover", "failing over to NAM").with("region", "EU").build());
    ctx.getLogger("org.eclipse.jetty.server.Server").info("jetty-12 started");

    await("every line at the intake").atMost(DatadogAppenderTest.WAIT)
        .until(() -> Intake.messages(server).size() == 3);
    assertThat(Intake.messages(server)).containsExactlyInAnyOrder(
        "maxCnxns is not configured, using default value 0.", "failing over to NAM",
        "jetty-12 started");
    async.stop(); // flushes the console's queue
    String stdout = out.toString(StandardCharsets.UTF_8);
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertThat(stdout.lines()).singleElement().asString().contains("failover")
        .contains("failing over to NAM");
    assertThat(stderr.lines()).hasSize(2);
    assertThat(stderr).contains("maxCnxns is not configured", "jetty-12 started")
        .doesNotContain("failing over");
    assertThat(stdout).doesNotContain("maxCnxns", "jetty");
  }
}
