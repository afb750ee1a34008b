package org.regionfailover.status.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.PemFiles;
import org.regionfailover.config.ConfigException;

/**
 * TLS from PEM files made by openssl: PKCS#8 RSA and EC keys serve HTTPS (TLS 1.2+); the
 * older key formats, an encrypted key and a key of another certificate are refused with
 * what to do, never with the key's bytes.
 */
class PemTlsTest {
  @TempDir Path dir;

  private static HttpClient trusting(Path cert, String... protocols) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    HttpClient.Builder b = HttpClient.newBuilder().sslContext(ctx);
    if (protocols.length > 0) {
      SSLParameters p = ctx.getDefaultSSLParameters();
      p.setProtocols(protocols);
      b.sslParameters(p);
    }
    return b.build();
  }

  private void servesHttps(PemFiles pem) throws Exception {
    Routes routes = Routes.builder().get("/health", r -> Reply.text(200, "OK")).build();
    try (Served served = new Served(routes,
        log -> new PostGuard(null, new FailureLimiter(System::nanoTime), log),
        PemTls.context(pem.cert(), pem.key()), trusting(pem.cert()))) {
      assertThat(served.server.url().toString()).startsWith("https://127.0.0.1:");
      HttpResponse<String> r = served.get("/health");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("OK");
      assertThat(served.events.named("listening").get(0).fields()).containsEntry("tls", true);
    }
  }

  @Test
  void context_rsaPkcs8_servesHttps() throws Exception {
    servesHttps(PemFiles.rsa(dir, "rsa"));
  }

  @Test
  void context_ecPkcs8_servesHttps() throws Exception {
    servesHttps(PemFiles.ec(dir, "ec"));
  }

  @Test
  void context_tls11Client_isRefused() throws Exception {
    PemFiles pem = PemFiles.rsa(dir, "rsa");
    Routes routes = Routes.builder().get("/health", r -> Reply.text(200, "OK")).build();
    try (Served served = new Served(routes,
        log -> new PostGuard(null, new FailureLimiter(System::nanoTime), log),
        PemTls.context(pem.cert(), pem.key()), trusting(pem.cert(), "TLSv1.1"))) {
      assertThatThrownBy(() -> served.get("/health")).isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void context_pkcs1RsaKey_isRefusedWithTheOpensslCommandToConvertIt() throws Exception {
    PemFiles pem = PemFiles.rsa(dir, "rsa");
    Path old = pem.traditionalKey();

    assertThatThrownBy(() -> PemTls.context(pem.cert(), old)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--tls-key (FAILOVER_TLS_KEY): ")
        .hasMessageContaining("BEGIN RSA PRIVATE KEY")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in " + old);
  }

  @Test
  void context_sec1EcKey_isRefusedWithTheOpensslCommandToConvertIt() throws Exception {
    PemFiles pem = PemFiles.ec(dir, "ec");
    Path old = pem.traditionalKey();

    assertThatThrownBy(() -> PemTls.context(pem.cert(), old))
        .hasMessageContaining("BEGIN EC PRIVATE KEY")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in " + old);
  }

  @Test
  void context_encryptedKey_isRefused() throws Exception {
    PemFiles pem = PemFiles.rsa(dir, "rsa");

    assertThatThrownBy(() -> PemTls.context(pem.cert(), pem.encryptedKey()))
        .hasMessageContaining("encrypted").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void context_keyOfAnotherCertificate_isRefusedNamingBoth() throws Exception {
    PemFiles one = PemFiles.rsa(dir, "one");
    PemFiles two = PemFiles.rsa(dir, "two");
    String keyText = Files.readString(two.key());

    assertThatThrownBy(() -> PemTls.context(one.cert(), two.key()))
        .hasMessageStartingWith("--tls-cert (FAILOVER_TLS_CERT) / --tls-key (FAILOVER_TLS_KEY): ")
        .hasMessageContaining("does not belong").hasMessageContaining(one.cert().toString())
        .hasMessageNotContaining(keyText.substring(40, 80));
  }

  @Test
  void context_ecKeyForAnRsaCertificate_isRefused() throws Exception {
    PemFiles rsa = PemFiles.rsa(dir, "rsa");
    PemFiles ec = PemFiles.ec(dir, "ec");

    assertThatThrownBy(() -> PemTls.context(rsa.cert(), ec.key()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("RSA");
  }

  @Test
  void context_certFileWithoutCertificate_andKeyFileWithoutKey_areRefused() throws Exception {
    PemFiles pem = PemFiles.rsa(dir, "rsa");

    assertThatThrownBy(() -> PemTls.context(pem.key(), pem.key()))
        .hasMessageContaining("--tls-cert").hasMessageContaining("BEGIN CERTIFICATE");
    assertThatThrownBy(() -> PemTls.context(pem.cert(), pem.cert()))
        .hasMessageContaining("--tls-key").hasMessageContaining("BEGIN PRIVATE KEY");
  }
}
