package org.regionfailover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Region hosts as TLS targets: the port defaults to 443; host:port and [v6]:port are accepted. */
class HostPortTest {
  @ParameterizedTest
  @CsvSource({
      "cloud.eu.ext.com, cloud.eu.ext.com, 443",
      "localhost:8443, localhost, 8443",
      "127.0.0.1:1, 127.0.0.1, 1",
      "[::1]:9443, ::1, 9443",
      "[::1], ::1, 443",
      "::1, ::1, 443"})
  void parse_validHost_splitsNameAndPort(String host, String name, int port) {
    assertThat(HostPort.parse("--failover-list", new Region("EU", host)))
        .isEqualTo(new HostPort(name, port));
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost:0", "localhost:65536", "localhost:x", "localhost:", ":443",
      "[::1]x", "[::1"})
  void parse_badPort_namesSettingAndItem(String host) {
    assertThatThrownBy(() -> HostPort.parse("--failover-list", new Region("EU", host)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--failover-list")
        .hasMessageContaining("EU=" + host);
  }
}
