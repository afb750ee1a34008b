package org.regionfailover.act.supervisord.xmlrpc;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transport's HTTP side: auth header, status mapping, timeouts and unreachable endpoints. */
class XmlRpcHttpTransportTest {
  private static final String PASSWORD = "hunter2-Secret";
  private static final String OK = "<?xml version='1.0'?><methodResponse><params><param>"
      + "<value><struct><member><name>statename</name><value><string>RUNNING</string></value>"
      + "</member></struct></value></param></params></methodResponse>";

  private final WireMockServer server = new WireMockServer(options().dynamicPort());

  @BeforeEach
  void start() {
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private XmlRpcHttpTransport transport(String user, String password) {
    return new XmlRpcHttpTransport("http://127.0.0.1:" + server.port(), user, password, Duration.ofSeconds(5));
  }

  @Test
  void call_withCredentials_postsXmlToRpc2WithBasicAuth() throws Exception {
    server.stubFor(post("/RPC2").willReturn(aResponse().withStatus(200).withBody(OK)));
    Object answer = transport("failover", PASSWORD).call("supervisor.getState", List.of());
    assertThat(answer).isEqualTo(java.util.Map.of("statename", "RUNNING"));
    server.verify(postRequestedFor(urlEqualTo("/RPC2"))
        .withHeader("Authorization", equalTo("Basic ZmFpbG92ZXI6aHVudGVyMi1TZWNyZXQ="))
        .withHeader("Content-Type", containing("text/xml"))
        .withRequestBody(containing("<methodName>supervisor.getState</methodName>")));
  }

  @Test
  void call_401_throwsCredentialsRejectedWithoutPassword() {
    server.stubFor(post("/RPC2").willReturn(aResponse().withStatus(401)));
    assertThatThrownBy(() -> transport("failover", PASSWORD).call("supervisor.getState", List.of()))
        .isInstanceOf(CredentialsRejectedException.class)
        .hasMessageContaining("rejected the credentials of user 'failover'")
        .satisfies(e -> assertThat(String.valueOf(e) + e.getCause()).doesNotContain(PASSWORD));
  }

  @Test
  void call_500_throwsTransportExceptionNamingStatus() {
    server.stubFor(post("/RPC2").willReturn(aResponse().withStatus(500)));
    assertThatThrownBy(() -> transport(null, null).call("supervisor.getState", List.of()))
        .isExactlyInstanceOf(XmlRpcTransportException.class).hasMessageContaining("HTTP 500");
  }

  @Test
  void call_htmlInsteadOfXmlRpc_throwsMalformed() {
    server.stubFor(post("/RPC2").willReturn(aResponse().withStatus(200).withBody("<html>oops</html>")));
    assertThatThrownBy(() -> transport(null, null).call("supervisor.getState", List.of()))
        .isInstanceOf(MalformedXmlRpcException.class);
  }

  @Test
  void call_slowerThanTimeout_throwsUnreachableNamingTimeout() {
    server.stubFor(post("/RPC2").willReturn(aResponse().withStatus(200).withBody(OK).withFixedDelay(3000)));
    var slow = new XmlRpcHttpTransport("http://127.0.0.1:" + server.port(), null, null, Duration.ofMillis(200));
    assertThatThrownBy(() -> slow.call("supervisor.getState", List.of()))
        .isInstanceOf(EndpointUnreachableException.class).hasMessageContaining("within 200 ms");
  }

  @Test
  void call_missingUnixSocket_throwsUnreachableNamingUrl(@TempDir Path dir) {
    String url = "unix://" + dir.resolve("absent.sock");
    var transport = new XmlRpcHttpTransport(url, null, null, Duration.ofSeconds(2));
    assertThatThrownBy(() -> transport.call("supervisor.getState", List.of()))
        .isInstanceOf(EndpointUnreachableException.class)
        .hasMessageStartingWith("supervisord is unreachable at " + url);
  }

  @Test
  void call_closedPort_throwsUnreachable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    var transport = new XmlRpcHttpTransport("http://127.0.0.1:" + port, "u", PASSWORD, Duration.ofSeconds(2));
    assertThatThrownBy(() -> transport.call("supervisor.getState", List.of()))
        .isInstanceOf(EndpointUnreachableException.class)
        .hasMessageStartingWith("supervisord is unreachable at http://127.0.0.1:" + port)
        .satisfies(e -> assertThat(e.toString()).doesNotContain(PASSWORD));
  }

  /** Issue 9 defect 5: a trickled answer was never timed out, so a stop needed SIGKILL. */
  @Test
  void call_answerTrickledPastTheTimeout_failsAtTheDeadlineOfTheWholeExchange() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Thread trickler = new Thread(() -> trickle(silent), "trickler");
      trickler.setDaemon(true);
      trickler.start();
      var transport = new XmlRpcHttpTransport("http://127.0.0.1:" + silent.getLocalPort(), null,
          null, Duration.ofMillis(300));
      assertThatThrownBy(() -> transport.call("supervisor.getState", List.of()))
          .isInstanceOf(EndpointUnreachableException.class).hasMessageContaining("within 300 ms");
    }
  }

  /** Issue 9 defect 5: SIGTERM must not wait for a hung supervisord, whatever the timeout. */
  @Test
  void abort_callHungOnASilentPeer_endsTheCallAndRefusesNewOnes() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      var transport = new XmlRpcHttpTransport("http://127.0.0.1:" + silent.getLocalPort(), null,
          null, Duration.ofHours(1));
      var outcome = new java.util.concurrent.CompletableFuture<Throwable>();
      Thread caller = new Thread(() -> {
        try {
          transport.call("supervisor.getState", List.of());
          outcome.complete(null);
        } catch (Throwable t) {
          outcome.complete(t);
        }
      });
      caller.start();
      try (var accepted = silent.accept()) { // the call is connected and waits for an answer
        transport.abort();
        assertThat(outcome.get(30, java.util.concurrent.TimeUnit.SECONDS))
            .isInstanceOf(EndpointUnreachableException.class).hasMessageContaining("abandoned");
      }
      assertThatThrownBy(() -> transport.call("supervisor.getState", List.of()))
          .isInstanceOf(EndpointUnreachableException.class).hasMessageContaining("abandoned");
    }
  }

  /** Accepts one connection and sends a valid-looking answer one byte every 50 ms. */
  private static void trickle(ServerSocket server) {
    try (var socket = server.accept()) {
      byte[] head = "HTTP/1.0 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes();
      var out = socket.getOutputStream();
      for (int i = 0; i < 100_000; i++) {
        out.write(i < head.length ? head[i] : ' ');
        out.flush();
        java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
      }
    } catch (java.io.IOException e) {
      // the client hung up: the test's point
    }
  }

  @Test
  void constructor_badUrlOrHalfCredentials_isRejectedNamingTheValue() {
    assertThatThrownBy(() -> new XmlRpcHttpTransport("ftp://x", null, null, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://x");
    assertThatThrownBy(() -> new XmlRpcHttpTransport("http://u:" + PASSWORD + "@host:9001", null, null, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://****@host:9001").hasMessageNotContaining(PASSWORD);
    assertThatThrownBy(() -> new XmlRpcHttpTransport("http://host:9001", "u", null, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("together");
    assertThatThrownBy(() -> new XmlRpcHttpTransport("http://host:9001", null, null, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
  }
}
