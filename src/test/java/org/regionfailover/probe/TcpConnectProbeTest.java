package org.regionfailover.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.Region;

/** The tcp:// direct probe: a connect, nothing sent; a refusal says so. */
class TcpConnectProbeTest {
  private static final Region LOCAL = new Region("EU", "127.0.0.1");

  @Test
  void probe_listeningPort_isHealthy() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ProbeResult r = new TcpConnectProbe(server.getLocalPort(), Duration.ofSeconds(5),
          System::nanoTime).probe(LOCAL);
      assertThat(r.healthy()).as(r.reason()).isTrue();
      assertThat(r.latencyMs()).isNotNegative();
    }
  }

  @Test
  void probe_closedPort_isUnhealthyRefused() throws Exception {
    int port;
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = server.getLocalPort();
    }
    ProbeResult r = new TcpConnectProbe(port, Duration.ofSeconds(5), System::nanoTime)
        .probe(LOCAL);
    assertThat(r.healthy()).isFalse();
    assertThat(r.reason()).startsWith("refused");
  }
}
