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
      "::1, ::1, 443",
      "xn--bcher-kva.example:8443, xn--bcher-kva.example, 8443",
      "cloud.eu.demo.invalid, cloud.eu.demo.invalid, 443",
      "10.0.0.255, 10.0.0.255, 443",
      "[::ffff:10.0.0.1]:9443, ::ffff:10.0.0.1, 9443"})
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

  /** Issue 9, defect 10: a host is a DNS name or an IP literal, never an option or junk. */
  @ParameterizedTest
  @ValueSource(strings = {":::", "-oProxyCommand", "-a.test:443", "a..test", "a_b.test",
      "a.test.", "999.1.1.1", "1.2.3", "a.123", "zz::1", ".::1", "[a.test]:443", "[a.test]", "a test",
      "-", "a.-b.test", "a.b-.test"})
  void issue9_parse_notADnsNameOrIp_namesSettingAndItem(String host) {
    assertThatThrownBy(() -> HostPort.parse("--failover-list", new Region("EU", host)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--failover-list")
        .hasMessageContaining("EU=" + host);
  }

  @org.junit.jupiter.api.Test
  void issue9_parse_nameOver253Characters_isRefusedAndCutInTheMessage() {
    String label = "a".repeat(63);
    String ok = String.join(".", label, label, label, "a".repeat(61));
    assertThat(HostPort.parse("s", new Region("EU", ok)).host()).hasSize(253);
    assertThatThrownBy(() -> HostPort.parse("s", new Region("EU", ok + "a")))
        .hasMessageContaining("253").hasMessageContaining("(257 characters)");
  }
}
