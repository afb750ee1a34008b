package org.regionfailover.status.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.regionfailover.HtpasswdTool;
import org.regionfailover.config.ConfigException;

/**
 * The htpasswd file: bcrypt entries only; every other kind is refused at start-up naming
 * the file, the line and the user, never the hash.
 */
class HtpasswdTest {
  private static final String SETTING = "--htpasswd (FAILOVER_HTPASSWD)";
  private static final Path FILE = Path.of("/etc/region-failover/htpasswd");

  @TempDir Path dir;

  private static String bcrypt(String password) {
    return new String(BCrypt.with(BCrypt.Version.VERSION_2Y).hashToChar(4, password.toCharArray()));
  }

  private static Htpasswd parse(String text) {
    return Htpasswd.parse(text, FILE, SETTING);
  }

  @Test
  void parse_bcryptEntries_commentsAndBlankLinesSkipped() {
    String alice = bcrypt("a-pass");
    String bob = bcrypt("b-pass").replace("$2y$", "$2b$");
    Htpasswd file = parse("# operators\n\nalice:" + alice + "\r\nbob:" + bob + "\n");

    assertThat(file.users()).isEqualTo(2);
    assertThat(file.hash("alice")).hasValueSatisfying(h ->
        assertThat(new String(h, StandardCharsets.US_ASCII)).isEqualTo(alice));
    assertThat(file.hash("carol")).isEmpty();
  }

  @Test
  void read_aFileMadeByDebiansHtpasswdB_verifiesItsPasswords() throws Exception {
    Path file = dir.resolve("htpasswd");
    HtpasswdTool.add(file, "alice", "correct horse", "-B", "-C", "5");
    HtpasswdTool.add(file, "jürgen", "pässwörd", "-B", "-C", "5");
    PasswordCheck check = new PasswordCheck(Htpasswd.read(file, SETTING));

    assertThat(check.verify("alice", "correct horse")).isTrue();
    assertThat(check.verify("jürgen", "pässwörd")).isTrue();
    assertThat(check.verify("alice", "wrong")).isFalse();
    assertThat(check.verify("nobody", "correct horse")).isFalse();
  }

  @Test
  void verify_passwordLongerThan72Bytes_isCutAsApacheDoes() throws Exception {
    Path file = dir.resolve("htpasswd");
    String longPassword = "x".repeat(80);
    HtpasswdTool.add(file, "alice", longPassword, "-B", "-C", "5");
    PasswordCheck check = new PasswordCheck(Htpasswd.read(file, SETTING));

    assertThat(check.verify("alice", longPassword)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "apr1 MD5|$apr1$8sR5xVxV$6gzDJS/4MLvsWJ8K3Gy3Z1|Apache MD5",
      "SHA-1|{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M=|SHA-1",
      "MD5-crypt|$1$abcdefgh$0123456789abcdefghijkl|MD5-crypt",
      "SHA-512-crypt|$6$rounds=5000$salt$hash|SHA-crypt",
      "DES crypt|abJnggxhB/yWI|crypt(3) DES",
      "plain text|hunter2-plain|plain text",
      "bcrypt 2x|$2x$05$abcdefghijklmnopqrstuu5NRNnRYh8T4Em0pIEWZf0wPB7nCPs2|bcrypt",
      "truncated bcrypt|$2y$05$abcdefghij|bcrypt"})
  void parse_otherHashKind_isRefusedNamingLineAndUserNeverTheHash(String name, String hash,
      String kind) {
    String text = "alice:" + bcrypt("pw") + "\n# a comment\nbob:" + hash + "\n";

    assertThatThrownBy(() -> parse(text)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(SETTING + ": ")
        .hasMessageContaining(FILE + " line 3 (user 'bob')")
        .hasMessageContaining(kind)
        .hasMessageContaining("htpasswd -B -C 10 " + FILE + " bob")
        .hasMessageNotContaining(hash);
  }

  @ParameterizedTest
  @CsvSource({"15", "31"})
  void parse_costAbove14_isRefusedAsTooSlowNamingLineAndUserNeverTheHash(String cost) {
    // Cost 31 hung start-up: the dummy hash for unknown users is made at the file's cost.
    String hash = bcrypt("pw").replace("$2y$04$", "$2y$" + cost + "$");
    String text = "alice:" + bcrypt("pw") + "\nbob:" + hash + "\n";

    assertThatThrownBy(() -> parse(text)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(SETTING + ": ")
        .hasMessageContaining(FILE + " line 2 (user 'bob')")
        .hasMessageContaining("cost " + cost + " is too slow to check")
        .hasMessageContaining("use htpasswd -B -C 10 " + FILE + " bob")
        .hasMessageNotContaining(hash);
  }

  @Test
  void parse_cost14_isAccepted() {
    assertThat(parse("alice:" + bcrypt("pw").replace("$2y$04$", "$2y$14$")).users()).isEqualTo(1);
  }

  @Test
  void parse_lineWithoutColon_isRefusedWithoutShowingIt() {
    assertThatThrownBy(() -> parse("alice:" + bcrypt("pw") + "\nmy-secret-password\n"))
        .hasMessageContaining("line 2 is not user:hash")
        .hasMessageNotContaining("my-secret-password");
  }

  @Test
  void parse_userTwice_isRefusedNamingBothLines() {
    assertThatThrownBy(() -> parse("alice:" + bcrypt("a") + "\nalice:" + bcrypt("b") + "\n"))
        .hasMessageContaining("line 2: user 'alice' is already on line 1");
  }

  @Test
  void parse_emptyUser_isRefused() {
    assertThatThrownBy(() -> parse(":" + bcrypt("a") + "\n"))
        .hasMessageContaining("line 1 has an empty user name");
  }

  @Test
  void parse_noUser_isRefusedSayingHowToTurnManualControlOff() {
    assertThatThrownBy(() -> parse("# nobody yet\n\n"))
        .hasMessageContaining("has no user").hasMessageContaining("manual control off");
  }

  @Test
  void read_missingFile_isRefused() {
    assertThatThrownBy(() -> Htpasswd.read(dir.resolve("missing"), SETTING))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read");
  }

  @Test
  void read_aDirectory_saysSo() {
    assertThatThrownBy(() -> Htpasswd.read(dir, SETTING)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot read " + dir + ": it is a directory");
  }

  @Test
  void read_unreadable_saysPermissionDenied() throws Exception {
    Path file = dir.resolve("htpasswd");
    Files.writeString(file, "alice:" + bcrypt("pw") + "\n");
    Files.setPosixFilePermissions(file, java.util.Set.of());
    org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(file), "running as root");

    assertThatThrownBy(() -> Htpasswd.read(file, SETTING)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("permission denied");
  }

  @Test
  void read_utf8ByteOrderMark_isSkipped() throws Exception {
    Path file = dir.resolve("htpasswd");
    Files.writeString(file, "\uFEFFalice:" + bcrypt("pw") + "\r\n");

    Htpasswd read = Htpasswd.read(file, SETTING);

    assertThat(read.hash("alice")).isPresent();
    assertThat(read.users()).isEqualTo(1);
  }

  @Test
  void read_notUtf8_isRefused() throws Exception {
    Path file = dir.resolve("latin1");
    Files.write(file, new byte[] {'j', (byte) 0xfc, 'r', ':', 'x'});
    assertThatThrownBy(() -> Htpasswd.read(file, SETTING)).hasMessageContaining("not UTF-8");
  }
}
