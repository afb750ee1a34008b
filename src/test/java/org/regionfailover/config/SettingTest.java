package org.regionfailover.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the start-up event may show of a setting's value. */
class SettingTest {
  @Test
  void withoutUserInfo_urlWithCredentials_masksThem() {
    assertThat(Setting.withoutUserInfo("http://proxyuser:proxypass@proxy.internal:3128/logs"))
        .isEqualTo("http://****@proxy.internal:3128/logs");
  }

  @Test
  void withoutUserInfo_plainValues_areUnchanged() {
    assertThat(Setting.withoutUserInfo("https://localhost:8443/v2/{orgId}/cloudlookup/{txnId}"))
        .isEqualTo("https://localhost:8443/v2/{orgId}/cloudlookup/{txnId}");
    assertThat(Setting.withoutUserInfo("NAM=a.com,EU=b.com")).isEqualTo("NAM=a.com,EU=b.com");
    assertThat(Setting.withoutUserInfo("team:sre,owner:ops@example.com"))
        .isEqualTo("team:sre,owner:ops@example.com");
  }

  /** Issue 9, defect 8: a password holding '@', a space or '/' is masked whole. */
  @Test
  void issue9_withoutUserInfo_passwordWithAtSpaceOrSlash_isMaskedUpToTheLastAt() {
    assertThat(Setting.withoutUserInfo("http://u:p@ssS3CR3T@proxy:3128/logs"))
        .isEqualTo("http://****@proxy:3128/logs");
    assertThat(Setting.withoutUserInfo("http://u:my S3CR3T@proxy:3128/logs"))
        .isEqualTo("http://****@proxy:3128/logs");
    assertThat(Setting.withoutUserInfo("http://u:pa/S3CR3T@proxy:3128/logs"))
        .isEqualTo("http://****@proxy:3128/logs");
    assertThat(Setting.withoutUserInfo("http://@proxy")).isEqualTo("http://****@proxy");
  }

  @Test
  void issue9_urlWithoutUserInfo_noScheme_masksUpToTheLastAt() {
    assertThat(Setting.urlWithoutUserInfo("admin:S3CR3T@127.0.0.1:9001"))
        .isEqualTo("****@127.0.0.1:9001");
    assertThat(Setting.urlWithoutUserInfo("http://admin:p@ss@h:9001")).isEqualTo("http://****@h:9001");
    assertThat(Setting.urlWithoutUserInfo("unix:///run/supervisor.sock"))
        .isEqualTo("unix:///run/supervisor.sock");
  }

  @Test
  void isSecret_passwordAndApiKey_only() {
    assertThat(java.util.Arrays.stream(Setting.values()).filter(Setting::isSecret))
        .containsExactlyInAnyOrder(Setting.SUPERVISOR_PASSWORD, Setting.DD_API_KEY);
  }
}
