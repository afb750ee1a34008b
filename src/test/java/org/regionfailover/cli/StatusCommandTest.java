package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code region-failover status} against what may answer on the listener's port: the exit
 * code says running and healthy (0), running but not (1), not ours or misconfigured (2),
 * or nothing there (3); never a stack trace.
 */
class StatusCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private URI serve(int status, String body) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private int run(URI base, boolean json) {
    return new StatusCommand(base, null, json, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).call();
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void nothingListening_exit3() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThat(run(URI.create("http://127.0.0.1:" + port + "/"), false)).isEqualTo(3);
    assertThat(err()).contains("not running: nothing listens on");
  }

  @Test
  void starting_exit1_withTheServersWords() throws Exception {
    assertThat(run(serve(503, "starting: the loop has not started yet"), false)).isEqualTo(1);
    assertThat(err()).contains("running but not ready: starting: the loop has not started yet");
  }

  @Test
  void anotherProgramsJson_exit2_noStackTrace() throws Exception {
    assertThat(run(serve(200, "{\"hello\":1}"), false)).isEqualTo(2);
    assertThat(err()).contains("is not region-failover's status").doesNotContain("Exception:");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void anHtmlPage_exit2() throws Exception {
    assertThat(run(serve(200, "<html>hello</html>"), true)).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void a404_exit2() throws Exception {
    assertThat(run(serve(404, "no"), false)).isEqualTo(2);
    assertThat(err()).contains("HTTP 404");
  }

  @Test
  void ourDocument_unhealthy_exit1_tableNamesTheState() throws Exception {
    String doc = "{\"version\":\"0.1.0\",\"generated_at\":\"2026-11-22T03:00:00Z\","
        + "\"healthy\":false,\"active_region\":\"EU\",\"active_host\":\"cloud.eu.ext.com\","
        + "\"state\":\"down\",\"state_since\":\"2026-11-22T02:59:00Z\",\"state_reason\":\"EU"
        + " fails\",\"outage\":{\"seconds\":60,\"threshold_s\":240,\"reason\":\"status 503\"},"
        + "\"budget\":{\"used\":0,\"max\":3,\"window_s\":3600},\"failback\":{\"mode\":\"auto\"},"
        + "\"regions\":[],\"components\":[],\"transitions\":[]}";
    assertThat(run(serve(200, doc), false)).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("on EU (cloud.eu.ext.com), DOWN since 2026-")
        .contains("NOT healthy").contains("outage: 60 s of the 240 s threshold (status 503)")
        .contains("budget: 0 of 3 transitions in 1h 0m");
  }

  @Test
  void theWindowsAheadAreListed() throws Exception {
    String doc = "{\"version\":\"0.1.0\",\"generated_at\":\"2026-11-22T03:00:00Z\","
        + "\"healthy\":true,\"active_region\":\"NAM\",\"active_host\":\"cloud.nam.ext.com\","
        + "\"state\":\"watching\",\"state_since\":\"2026-11-22T02:59:00Z\","
        + "\"maintenance\":[{\"id\":\"3f2a9c01b7de\",\"region\":\"EU\",\"start\":"
        + "\"2026-11-22T03:05:00Z\",\"end\":\"2026-11-22T05:05:00Z\",\"move_from\":"
        + "\"2026-11-22T02:55:00Z\",\"reason\":\"cloud maintenance\",\"state\":\"lead\"}],"
        + "\"budget\":{\"used\":1,\"max\":3,\"window_s\":3600},\"failback\":{\"mode\":\"auto\"},"
        + "\"regions\":[],\"components\":[],\"transitions\":[]}";
    assertThat(run(serve(200, doc), false)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("MAINTENANCE EU"
        + " 2026-11-22T03:05:00Z to 2026-11-22T05:05:00Z (lead, id 3f2a9c01b7de): cloud"
        + " maintenance");
  }
}
