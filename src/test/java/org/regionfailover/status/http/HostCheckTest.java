package org.regionfailover.status.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Host a request may name: on loopback an IP literal or localhost (DNS rebinding). */
class HostCheckTest {
  private static Reply loopback(String host) {
    return HostCheck.refusal(List.of(host), "HTTP/1.1", true);
  }

  private static Reply elsewhere(String host) {
    return HostCheck.refusal(List.of(host), "HTTP/1.1", false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.1:9180", "localhost", "LocalHost:1",
      "[::1]", "[::1]:9180", "10.1.2.3:80", "[fe80::1]:9180", " 127.0.0.1:9180 "})
  void loopback_ipLiteralOrLocalhost_anyPort_isAccepted(String host) {
    assertThat(loopback(host)).isNull();
    assertThat(elsewhere(host)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"evil.example", "evil.example:9180", "localhost.evil.example",
      "127.0.0.1.nip.io", "127.1", "2130706433"})
  void loopback_anyOtherName_is421(String host) {
    Reply r = loopback(host);

    assertThat(r.status()).isEqualTo(421);
    assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("127.0.0.1", "localhost");
  }

  @ParameterizedTest
  @ValueSource(strings = {"status.host.example", "status.host.example:9180", "evil.example"})
  void elsewhere_aWellFormedName_isAccepted(String host) {
    assertThat(elsewhere(host)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a b", "host:port", "host:99999999", "[::1", "[evil.example]",
      "[::1]x", "user@host", "127.0.0.1:80:80"})
  void malformed_is400_onEitherListener(String host) {
    assertThat(loopback(host).status()).isEqualTo(400);
    assertThat(elsewhere(host).status()).isEqualTo(400);
  }

  @Test
  void missing_is400OnHttp11_acceptedOnHttp10() {
    assertThat(HostCheck.refusal(null, "HTTP/1.1", true).status()).isEqualTo(400);
    assertThat(HostCheck.refusal(List.of(), "HTTP/1.1", false).status()).isEqualTo(400);
    assertThat(HostCheck.refusal(null, "HTTP/1.0", true)).isNull();
  }

  @Test
  void twoHosts_is400() {
    assertThat(HostCheck.refusal(List.of("127.0.0.1", "localhost"), "HTTP/1.1", true)
        .status()).isEqualTo(400);
  }
}
