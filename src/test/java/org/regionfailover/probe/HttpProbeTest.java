package org.regionfailover.probe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.Regions.EU;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.TestCertificate;
import org.regionfailover.config.ProbeSettings;
import org.regionfailover.config.Region;
import org.regionfailover.config.UrlTemplate;
import org.regionfailover.time.Ticker;

/** The probe against a real HTTP(S) server: only a 200 in time is healthy, every failure has a reason. */
class HttpProbeTest {
  private static final String PATH = "/v2/org-1/cloudlookup/txn-1";

  @TempDir static Path certDir;
  static TestCertificate cert;
  static WireMockServer server;

  @BeforeAll
  static void startServer() throws Exception {
    cert = TestCertificate.create(certDir);
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().dynamicHttpsPort()
        .keystorePath(cert.keystore().toString()).keystorePassword(cert.password())
        .keyManagerPassword(cert.password()).keystoreType("PKCS12"));
    server.start();
  }

  @AfterAll
  static void stopServer() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.resetAll();
  }

  private static ProbeSettings settings(String url, Optional<Path> ca, boolean insecure) {
    // Generous: a cold JVM and server can take a second for the first request.
    return settings(url, ca, insecure, Duration.ofSeconds(3));
  }

  private static ProbeSettings settings(String url, Optional<Path> ca, boolean insecure,
      Duration timeout) {
    return new ProbeSettings(new UrlTemplate(url), Optional.of("org-1"), Optional.of("txn-1"),
        timeout, ca, insecure);
  }

  private static ProbeResult probeOnce(ProbeSettings s) {
    try (HttpProbe probe = new HttpProbe(s, Ticker.system())) {
      return probe.probe(EU);
    }
  }

  private static String http() {
    return "http://127.0.0.1:" + server.port() + "/v2/{orgId}/cloudlookup/{txnId}";
  }

  private static String https(String host) {
    return "https://" + host + ":" + server.httpsPort() + "/v2/{orgId}/cloudlookup/{txnId}";
  }

  @Test
  void probe_status200_isHealthyAndSendsTheSignatureHeader() {
    server.stubFor(get(PATH).willReturn(aResponse().withStatus(200).withBody("{}")));

    ProbeResult r = probeOnce(settings(http(), Optional.empty(), false));

    assertThat(r.healthy()).as(r.reason()).isTrue();
    assertThat(r.status()).hasValue(200);
    server.verify(getRequestedFor(urlEqualTo(PATH)).withHeader("X-SIG-Sha256",
        equalTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")));
  }

  @Test
  void probe_status503_isUnhealthyWithTheStatus() {
    server.stubFor(get(PATH).willReturn(aResponse().withStatus(503)));
    ProbeResult r = probeOnce(settings(http(), Optional.empty(), false));
    assertThat(r.healthy()).isFalse();
    assertThat(r.reason()).isEqualTo("status 503");
  }

  @Test
  void probe_otherSuccessStatus_isUnhealthy() {
    server.stubFor(get(PATH).willReturn(aResponse().withStatus(204)));
    assertThat(probeOnce(settings(http(), Optional.empty(), false)).healthy()).isFalse();
  }

  @Test
  void probe_slowerThanTheTimeout_isUnhealthyTimeout() {
    server.stubFor(get(PATH).willReturn(aResponse().withStatus(200).withFixedDelay(10_000)));
    ProbeResult r = probeOnce(settings(http(), Optional.empty(), false, Duration.ofMillis(500)));
    assertThat(r.healthy()).isFalse();
    assertThat(r.reason()).startsWith("timeout");
    // Relative, not a wall-clock bound: it gave up at its timeout, not when the server answered.
    assertThat(r.latencyMs()).isGreaterThanOrEqualTo(450L).isLessThan(10_000L);
  }

  @Test
  void probe_bodyTrickledPastTheTimeout_isUnhealthyAndEndsAtTheTimeout() {
    // Headers at once, then the body in 10 pieces over 20 s: every read is within the
    // per-read timeout, so only a deadline on the whole request ends the probe.
    server.stubFor(get(PATH).willReturn(aResponse().withStatus(200).withBody("x".repeat(1000))
        .withChunkedDribbleDelay(10, 20_000)));
    long t0 = System.nanoTime();
    ProbeResult r = probeOnce(settings(http(), Optional.empty(), false, Duration.ofMillis(500)));
    long tookMs = (System.nanoTime() - t0) / 1_000_000;

    assertThat(r.healthy()).isFalse();
    assertThat(r.reason()).startsWith("timeout");
    // Relative to the 20 s body, not a tight bound: green on a busy machine.
    assertThat(tookMs).as("the probe ends at its 500 ms deadline, not after the 20 s body")
        .isLessThan(20_000);
  }

  @Test
  void probe_connectionReset_isUnhealthyReset() {
    server.stubFor(get(PATH).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    ProbeResult r = probeOnce(settings(http(), Optional.empty(), false));
    assertThat(r.healthy()).isFalse();
    assertThat(r.reason()).startsWith("reset");
  }

  @Test
  void probe_emptyResponse_isUnhealthy() {
    server.stubFor(get(PATH).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
    ProbeResult r = probeOnce(settings(http(), Optional.empty(), false));
    assertThat(r.healthy()).isFalse();
    assertThat(r.reason()).startsWith("reset");
  }

  @Test
  void probe_connectionRefused_isUnhealthyRefused() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    ProbeResult r = probeOnce(settings("http://127.0.0.1:" + closed + "/x", Optional.empty(), false));
    assertThat(r.healthy()).isFalse();
    assertThat(r.reason()).startsWith("refused");
  }

  @Test
  void probe_untrustedCertificate_isUnhealthyTls() {
    server.stubFor(get(PATH).willReturn(aResponse().withStatus(200)));
    ProbeResult r = probeOnce(settings(https("localhost"), Optional.empty(), false));
    assertThat(r.healthy()).isFalse();
    assertThat(r.reason()).startsWith("tls");
  }

  @Test
  void probe_certificateTrustedThroughCaFile_isHealthy() {
    server.stubFor(get(PATH).willReturn(aResponse().withStatus(200)));
    ProbeResult r = probeOnce(settings(https("localhost"), Optional.of(cert.pem()), false));
    assertThat(r.healthy()).as(r.reason()).isTrue();
  }

  @Test
  void probe_insecureLocalhost_acceptsTheSelfSignedCertificate() {
    server.stubFor(get(PATH).willReturn(aResponse().withStatus(200)));
    ProbeResult r = probeOnce(settings(https("127.0.0.1"), Optional.empty(), true));
    assertThat(r.healthy()).as(r.reason()).isTrue();
  }

  /**
   * Issue 9, defect 9: {@code --insecure-localhost} skips verification entirely, host name
   * included, so a loopback tunnel whose certificate names the region's host is healthy.
   */
  @Test
  void issue9_insecureLocalhost_certificateForAnotherName_isHealthy(@TempDir Path dir)
      throws Exception {
    TestCertificate tunnel = TestCertificate.forName(dir, "cloud.eu.ext.com");
    WireMockServer other = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
        .dynamicHttpsPort().keystorePath(tunnel.keystore().toString())
        .keystorePassword(tunnel.password()).keyManagerPassword(tunnel.password())
        .keystoreType("PKCS12"));
    other.start();
    try {
      other.stubFor(get(PATH).willReturn(aResponse().withStatus(200)));
      for (String host : List.of("127.0.0.1", "localhost")) {
        String url = "https://" + host + ":" + other.httpsPort() + "/v2/{orgId}/cloudlookup/{txnId}";
        ProbeResult insecure = probeOnce(settings(url, Optional.empty(), true));
        assertThat(insecure.healthy()).as(host + ": " + insecure.reason()).isTrue();
        // Without the switch the name is still checked, even with the certificate trusted.
        ProbeResult verified = probeOnce(settings(url, Optional.of(tunnel.pem()), false));
        assertThat(verified.healthy()).as(host).isFalse();
        assertThat(verified.reason()).as(host).startsWith("tls");
      }
    } finally {
      other.stop();
    }
  }

  @Test
  void probe_repeatedOnOneProbe_eachIsARealRequest() {
    server.stubFor(get(PATH).willReturn(aResponse().withStatus(200)));
    try (HttpProbe probe = new HttpProbe(settings(http(), Optional.empty(), false), Ticker.system())) {
      for (int i = 0; i < 5; i++) {
        assertThat(probe.probe(EU).healthy()).isTrue();
      }
    }
    server.verify(5, getRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void probe_regionPlaceholder_isExpandedPathEncoded() {
    server.stubFor(get("/r/EU/cloud.eu.ext.com").willReturn(aResponse().withStatus(200)));
    ProbeResult r = probeOnce(settings("http://127.0.0.1:" + server.port() + "/r/{region}/{host}",
        Optional.empty(), false));
    assertThat(r.healthy()).isTrue();
  }

  /**
   * Issue 10: the direct probe of every region is one HttpProbe, and with an http template
   * that does not use {host} all regions share one route (2 pooled connections). Probes of
   * a host that accepts and never answers, aborted at their deadline, surfaced as "error:
   * IllegalStateException: Endpoint not acquired" or "error: CancellationException" when
   * the abort raced with the client (2 of 15 in a trial); each must read as a timeout.
   */
  @Test
  void probe_concurrentProbesOfASilentHost_everyAbortIsATimeout() throws Exception {
    List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        while (true) {
          try {
            held.add(silent.accept()); // accepted, never answered
          } catch (java.io.IOException e) {
            return;
          }
        }
      }, "silent-acceptor");
      acceptor.setDaemon(true);
      acceptor.start();
      ProbeSettings s = settings("http://127.0.0.1:" + silent.getLocalPort() + "/direct/{region}",
          Optional.empty(), false, Duration.ofMillis(300));
      List<String> reasons = new java.util.ArrayList<>();
      try (HttpProbe probe = new HttpProbe(s, Ticker.system())) {
        for (int round = 0; round < 8; round++) {
          List<java.util.concurrent.Future<ProbeResult>> results = new java.util.ArrayList<>();
          for (String r : List.of("NAM", "EU", "APAC")) {
            results.add(pool.submit(() -> probe.probe(new Region(r, r.toLowerCase() + ".test"))));
          }
          for (var f : results) {
            ProbeResult result = f.get();
            assertThat(result.healthy()).isFalse();
            reasons.add(result.reason());
          }
        }
      }
      assertThat(reasons).hasSize(24).allSatisfy(r -> assertThat(r).startsWith("timeout"));
    } finally {
      pool.shutdownNow();
      for (var socket : held) {
        socket.close();
      }
    }
  }
}
