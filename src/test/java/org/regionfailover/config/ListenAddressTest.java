package org.regionfailover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --listen}: the forms accepted, loopback by how it is written, and the TLS rule. */
class ListenAddressTest {
  private static final String SETTING = "--listen (FAILOVER_LISTEN)";

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "127.0.0.1:9180, 127.0.0.1, 9180, true",
      "127.1.2.3:0, 127.1.2.3, 0, true",
      "localhost:9180, localhost, 9180, true",
      "LOCALHOST:9180, LOCALHOST, 9180, true",
      "[::1]:9180, ::1, 9180, true",
      "[::ffff:127.0.0.1]:9180, ::ffff:127.0.0.1, 9180, true",
      "0.0.0.0:9180, 0.0.0.0, 9180, false",
      "10.1.2.3:443, 10.1.2.3, 443, false",
      "[::]:9180, ::, 9180, false",
      "[2001:db8::1]:65535, 2001:db8::1, 65535, false",
      "status.example.com:9180, status.example.com, 9180, false",
      "localhost.example.com:9180, localhost.example.com, 9180, false"})
  void parse_accepted(String text, String host, int port, boolean loopback) {
    ListenAddress a = ListenAddress.parse(SETTING, text);

    assertThat(a.host()).isEqualTo(host);
    assertThat(a.port()).isEqualTo(port);
    assertThat(a.loopback()).isEqualTo(loopback);
  }

  @ParameterizedTest
  @ValueSource(strings = {"off", "OFF", " off "})
  void parse_off_isNoServer(String text) {
    assertThat(ListenAddress.parse(SETTING, text)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"9180", "127.0.0.1", "127.0.0.1:", ":9180", "127.0.0.1:99999",
      "127.0.0.1:-1", "127.0.0.1:http", "::1:9180", "[127.0.0.1]:9180", "[::1]", "-x:80",
      "999.0.0.1:80", "a_b:80", "*:9180", "[::1:9180"})
  void parse_bad_namesSettingValueAndForms(String text) {
    assertThatThrownBy(() -> ListenAddress.parse(SETTING, text))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(SETTING + ": '" + text + "' is not valid; ")
        .hasMessageContaining("host:port").hasMessageContaining("off");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:9190", "https://[::1]:9190", "HTTP://localhost:1"})
  void parse_aUrl_saysNoScheme_notTheIpv6Hint(String text) {
    assertThatThrownBy(() -> ListenAddress.parse("--listen", text))
        .isInstanceOf(ConfigException.class).hasMessageContaining("no scheme: host:port")
        .hasMessageNotContaining("IPv6 address is written");
  }

  @Test
  void toString_bracketsIpv6() {
    assertThat(new ListenAddress("::1", 80)).hasToString("[::1]:80");
    assertThat(new ListenAddress("127.0.0.1", 80)).hasToString("127.0.0.1:80");
  }

  @Test
  void settings_beyondLoopbackWithoutPasswordsOrTls_areRefusedNamingWhatIsMissing() {
    ListenAddress any = new ListenAddress("0.0.0.0", 9180);
    Optional<Path> file = Optional.of(Path.of("/x"));

    assertThatThrownBy(() -> new ListenerSettings(any, Optional.empty(), Optional.empty(), Optional.empty()))
        .hasMessageStartingWith(SETTING + ": '0.0.0.0:9180' is not valid; ")
        .hasMessageContaining("--htpasswd and TLS (--tls-cert and --tls-key)");
    assertThatThrownBy(() -> new ListenerSettings(any, file, Optional.empty(), Optional.empty()))
        .hasMessageContaining("needs TLS (--tls-cert and --tls-key)");
    assertThatThrownBy(() -> new ListenerSettings(any, Optional.empty(), file, file))
        .hasMessageContaining("needs --htpasswd:");
    assertThat(new ListenerSettings(any, file, file, file).tls()).isTrue();
    assertThat(new ListenerSettings(new ListenAddress("::1", 0), Optional.empty(),
        Optional.empty(), Optional.empty()).enabled()).isTrue();
  }

  @Test
  void settings_certWithoutKey_orKeyWithoutCert_areRefusedNamingBoth() {
    Optional<Path> file = Optional.of(Path.of("/x"));
    ListenAddress lo = new ListenAddress("127.0.0.1", 9180);

    assertThatThrownBy(() -> new ListenerSettings(lo, Optional.empty(), file, Optional.empty()))
        .hasMessageStartingWith("--tls-cert (FAILOVER_TLS_CERT) / --tls-key (FAILOVER_TLS_KEY): ")
        .hasMessageContaining("--tls-cert is set but --tls-key is not");
    assertThatThrownBy(() -> new ListenerSettings(lo, Optional.empty(), Optional.empty(), file))
        .hasMessageContaining("--tls-key is set but --tls-cert is not");
  }
}
