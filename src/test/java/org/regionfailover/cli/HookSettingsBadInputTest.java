package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28's bad input: each exits 2 with one line naming the setting, the value and what
 * is allowed, before anything runs (no outbox is made, no hook runs).
 */
class HookSettingsBadInputTest {
  @TempDir Path dir;

  private Map<String, String> vars() {
    return BadInputRun.host(dir);
  }

  private String exits2(Map<String, String> vars) {
    BadInputRun run = BadInputRun.of(vars);
    String message = run.stderr();
    assertThat(run.code()).as(message).isEqualTo(2);
    assertThat(message).hasLineCount(1);
    assertThat(dir.resolve(".ext_cloud.env.outbox")).doesNotExist();
    return message;
  }

  private Path file(String name, String perms) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    return p;
  }

  @Test
  void aHookThatIsNotExecutable_exits2NamingTheSettingAndFile() throws IOException {
    Path hook = file("notify", "rw-------");
    Map<String, String> vars = vars();
    vars.put("FAILOVER_HOOK_NOTIFY", hook.toString());
    assertThat(exits2(vars)).contains("FAILOVER_HOOK_NOTIFY").contains(hook.toString())
        .contains("executable").contains("chmod +x");
  }

  @Test
  void aHookThatDoesNotExist_exits2NamingTheSetting() {
    Map<String, String> vars = vars();
    vars.put("FAILOVER_HOOK_POST_SWITCH", dir.resolve("missing").toString());
    assertThat(exits2(vars)).contains("FAILOVER_HOOK_POST_SWITCH").contains("no such file");
  }

  @Test
  void aDirectoryAsTheHook_exits2() {
    Map<String, String> vars = vars();
    vars.put("FAILOVER_HOOK_PRE_SWITCH", dir.toString());
    assertThat(exits2(vars)).contains("FAILOVER_HOOK_PRE_SWITCH").contains("executable file");
  }

  @Test
  void aPreSwitchTimeoutAboveAThirdOfTheThreshold_exits2NamingBoth() throws IOException {
    Map<String, String> vars = vars();
    vars.put("FAILOVER_HOOK_PRE_SWITCH", file("pre", "rwx------").toString());
    vars.put("FAILOVER_OUTAGE_THRESHOLD", "60s");
    vars.put("FAILOVER_HOOK_TIMEOUT", "21s");
    assertThat(exits2(vars)).contains("FAILOVER_HOOK_TIMEOUT").contains("FAILOVER_OUTAGE_THRESHOLD")
        .contains("21s").contains("20s");
  }

  @Test
  void aLongTimeoutWithoutAPreSwitchHook_isAccepted() throws IOException {
    // Only the pre-switch hook holds a switch: a post-switch hook may take its time.
    Map<String, String> vars = vars();
    vars.put("FAILOVER_HOOK_POST_SWITCH", file("post", "rwx------").toString());
    vars.put("FAILOVER_OUTAGE_THRESHOLD", "60s");
    vars.put("FAILOVER_HOOK_TIMEOUT", "5m");
    vars.put("FAILOVER_INTERVAL", "bad"); // a later error: the timeout itself passed
    assertThat(exits2(vars)).contains("FAILOVER_INTERVAL").doesNotContain("FAILOVER_HOOK");
  }

  @Test
  void aNotifyUrlWithCredentials_exits2WithoutShowingThem() {
    Map<String, String> vars = vars();
    vars.put("FAILOVER_NOTIFY_URL", "https://ops:hunter2@chat.example.com/hooks/1");
    assertThat(exits2(vars)).contains("FAILOVER_NOTIFY_URL").contains("credentials")
        .doesNotContain("hunter2");
  }

  @Test
  void aNotifyUrlThatIsNotHttp_exits2() {
    Map<String, String> vars = vars();
    vars.put("FAILOVER_NOTIFY_URL", "ftp://chat.example.com/hooks/1");
    assertThat(exits2(vars)).contains("FAILOVER_NOTIFY_URL").contains("ftp://chat.example.com")
        .contains("http(s)");
  }

  @Test
  void aZeroHookTimeout_exits2() {
    Map<String, String> vars = vars();
    vars.put("FAILOVER_HOOK_TIMEOUT", "0s");
    assertThat(exits2(vars)).contains("FAILOVER_HOOK_TIMEOUT").contains("'0s'")
        .contains("positive");
  }

  @Test
  void anEmptySecretFile_exits2NamingItNeverItsContent() throws IOException {
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "  \n");
    Map<String, String> vars = vars();
    vars.put("FAILOVER_NOTIFY_URL", "https://chat.example.com/hooks/1");
    vars.put("FAILOVER_NOTIFY_SECRET_FILE", secret.toString());
    assertThat(exits2(vars)).contains("FAILOVER_NOTIFY_SECRET_FILE").contains("empty");
  }

  @Test
  void aSecretFileWithoutAUrl_exits2NamingBoth() throws IOException {
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "s3cret\n");
    Map<String, String> vars = vars();
    vars.put("FAILOVER_NOTIFY_SECRET_FILE", secret.toString());
    assertThat(exits2(vars)).contains("FAILOVER_NOTIFY_SECRET_FILE").contains("FAILOVER_NOTIFY_URL")
        .doesNotContain("s3cret");
  }
}
