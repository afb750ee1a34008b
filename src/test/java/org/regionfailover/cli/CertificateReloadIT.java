package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.PemFiles;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.config.ListenAddress;
import org.regionfailover.config.ListenerSettings;
import org.regionfailover.status.http.Reply;
import org.regionfailover.status.http.Routes;
import org.regionfailover.status.http.StatusServer;
import org.regionfailover.time.Ticker;

/**
 * The listener's certificate renewed while {@code /health} takes about 100 requests a
 * second, over kept-alive connections and new ones: no request fails, and a connection
 * made after the reload is served the new certificate (an EC one replacing an RSA one, so
 * a handshake cannot mix the two).
 */
class CertificateReloadIT {
  private static final int WORKERS = 4;

  @TempDir Path dir;

  private static Certificate read(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** The certificate a TLS connection made with {@code ctx} (which caches its sessions) sees. */
  private static Certificate resumingPeer(SSLContext ctx, int port) throws Exception {
    try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ctx.getSocketFactory()
        .createSocket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      s.startHandshake();
      s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      s.getInputStream().readAllBytes();
      return s.getSession().getPeerCertificates()[0];
    }
  }

  private static SSLContext trustingContext(Certificate... certs) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (int i = 0; i < certs.length; i++) {
      trust.setCertificateEntry("c" + i, certs[i]);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static HttpClient trusting(Certificate... certs) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (int i = 0; i < certs.length; i++) {
      trust.setCertificateEntry("c" + i, certs[i]);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  /** Replaces {@code target} as an operator's deployment tool does: a new file moved in. */
  private static void install(Path source, Path target) throws Exception {
    Path tmp = target.resolveSibling(target.getFileName() + ".new");
    Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void certificateSwappedUnderLoad_noRequestFails_andNewConnectionsGetTheNewOne()
      throws Exception {
    PemFiles old = PemFiles.rsa(dir, "old");
    PemFiles renewed = PemFiles.ec(dir, "renewed");
    Path cert = dir.resolve("server.pem");
    Path key = dir.resolve("server.key");
    install(old.cert(), cert);
    install(old.key(), key);
    ListenerSettings settings = new ListenerSettings(new ListenAddress("127.0.0.1", 0),
        Optional.empty(), Optional.of(cert), Optional.of(key));
    StatusListener.Security security = StatusListener.security(settings);
    Routes routes = Routes.builder().get("/health", r -> Reply.text(200, "OK")).build();
    Certificate oldCert = read(old.cert());
    Certificate newCert = read(renewed.cert());
    HttpClient keptAlive = trusting(oldCert, newCert);
    List<CompletableFuture<HttpResponse<String>>> sent = new CopyOnWriteArrayList<>();
    ScheduledExecutorService clock = Executors.newScheduledThreadPool(WORKERS);
    try (StatusServer server = StatusListener.start(settings, security, routes,
        new RecordingEventLog(), Ticker.system())) {
      URI health = URI.create(server.url() + "health");
      SSLContext resuming = trustingContext(oldCert, newCert);
      assertThat(resumingPeer(resuming, server.port())).isEqualTo(oldCert);
      assertThat(peer(trusting(oldCert, newCert), health)).isEqualTo(oldCert);
      AtomicInteger n = new AtomicInteger();
      // About 100 a second from 4 clients, each waiting for its answer as a monitor does;
      // every tenth request on a connection of its own (a new client), the others kept alive.
      for (int worker = 0; worker < WORKERS; worker++) {
        clock.scheduleAtFixedRate(() -> {
          int i = n.incrementAndGet();
          try {
            HttpClient client = i % 10 == 0 ? trusting(oldCert, newCert) : keptAlive;
            sent.add(CompletableFuture.completedFuture(client.send(HttpRequest.newBuilder(health)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString())));
          } catch (Exception e) {
            sent.add(CompletableFuture.failedFuture(e));
          }
        }, worker * 10L, 10L * WORKERS, TimeUnit.MILLISECONDS);
      }
      await(() -> n.get() >= 100);

      install(renewed.cert(), cert);
      install(renewed.key(), key);
      Applier.Change change = security.reload(settings);
      assertThat(change.files()).singleElement().asString().contains("FAILOVER_TLS_CERT");
      change.apply();
      int atSwap = n.get();
      await(() -> n.get() >= atSwap + 100);
      clock.shutdown();
      assertThat(clock.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

      assertThat(sent).hasSizeGreaterThanOrEqualTo(200);
      List<Object> failures = new CopyOnWriteArrayList<>();
      for (int i = 0; i < sent.size(); i++) {
        CompletableFuture<HttpResponse<String>> f = sent.get(i);
        try {
          HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
          if (r.statusCode() != 200) {
            failures.add(r.statusCode() + " " + r.body());
          }
        } catch (Exception e) {
          failures.add("request " + i + " (swap at " + atSwap + "): " + e.getCause());
        }
      }
      assertThat(failures).as("failed requests out of " + sent.size()).isEmpty();
      assertThat(peer(trusting(oldCert, newCert), health)).as("a new connection")
          .isEqualTo(newCert);
      assertThat(peer(trusting(newCert), health)).as("trusting only the new one")
          .isEqualTo(newCert);
      assertThat(resumingPeer(resuming, server.port())).as("a client that could resume a"
          + " session made before the reload").isEqualTo(newCert);
    } finally {
      clock.shutdownNow();
    }
  }

  private static Certificate peer(HttpClient client, URI uri) throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.sslSession().orElseThrow().getPeerCertificates()[0];
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
  }
}
