package org.regionfailover.status.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Authorization header of HTTP basic auth, as browsers and curl send it. */
class BasicCredentialsTest {
  private static String basic(String userColonPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(
        userColonPassword.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parse_userAndPassword_splitsAtTheFirstColon() {
    assertThat(BasicCredentials.parse(basic("alice:pa:ss word")))
        .contains(new BasicCredentials("alice", "pa:ss word"));
  }

  @Test
  void parse_utf8UserName_isDecoded() {
    assertThat(BasicCredentials.parse(basic("jürgen:pässwörd")))
        .contains(new BasicCredentials("jürgen", "pässwörd"));
  }

  @Test
  void parse_schemeInAnyCase_andEmptyPassword_areAccepted() {
    assertThat(BasicCredentials.parse("bAsIc " + Base64.getEncoder().encodeToString("bob:".getBytes())))
        .contains(new BasicCredentials("bob", ""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Basic", "Basic ", "Basic !!!notbase64", "Bearer YWxpY2U6cHc=",
      "Digest username=\"alice\"", "YWxpY2U6cHc=", "Basic YWxpY2U="})
  void parse_malformed_isEmpty(String header) {
    // YWxpY2U= is "alice": no colon.
    assertThat(BasicCredentials.parse(header)).isEmpty();
  }

  @Test
  void parse_bytesThatAreNotUtf8_isEmpty() {
    String header = "Basic " + Base64.getEncoder().encodeToString(
        new byte[] {'a', (byte) 0xff, ':', 'p'});
    assertThat(BasicCredentials.parse(header)).isEmpty();
  }

  @Test
  void toString_neverShowsThePassword() {
    assertThat(new BasicCredentials("alice", "hunter2").toString()).doesNotContain("hunter2");
  }
}
