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

  @Test
  void isSecret_passwordAndApiKey_only() {
    assertThat(java.util.Arrays.stream(Setting.values()).filter(Setting::isSecret))
        .containsExactlyInAnyOrder(Setting.SUPERVISOR_PASSWORD, Setting.DD_API_KEY);
  }
}
