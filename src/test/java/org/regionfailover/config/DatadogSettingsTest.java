package org.regionfailover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatadogSettingsTest {

  @Test
  void of_nullKey_defaultsAndShippingOff() {
    DatadogSettings settings = DatadogSettings.of(null);

    assertThat(settings.enabled()).isFalse();
    assertThat(settings.site()).isEqualTo("datadoghq.com");
    assertThat(settings.service()).isEqualTo("region-failover");
    assertThat(settings.queueCapacity()).isEqualTo(10_000);
    assertThat(settings.flushTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.hostname()).isNotBlank();
    assertThat(settings.tags()).isEmpty();
    assertThat(settings.env()).isNull();
  }

  @Test
  void toString_withKey_masksKey() {
    DatadogSettings settings = DatadogSettings.of("abcdef0123456789secret");

    assertThat(settings.toString()).doesNotContain("abcdef").doesNotContain("secret").contains("****");
  }

  @Test
  void constructor_blankKey_failsNamingSetting() {
    assertThatThrownBy(() -> DatadogSettings.of("  "))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DD_API_KEY");
  }

  @Test
  void constructor_tagWithoutValue_failsNamingTag() {
    assertThatThrownBy(() -> settingsWithTags(List.of("team:sre", "oops")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("oops");
  }

  @Test
  void constructor_tagWithComma_fails() {
    assertThatThrownBy(() -> settingsWithTags(List.of("a:b,c:d")))
        .hasMessageContaining("a:b,c:d");
  }

  @Test
  void constructor_logsUrlWithoutScheme_fails() {
    assertThatThrownBy(() -> DatadogSettings.of("k").withLogsUrl(URI.create("localhost:8080")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--dd-logs-url (DD_LOGS_URL)").hasMessageContaining("localhost:8080");
  }

  @Test
  void constructor_logsUrlWithTrailingSlash_isStripped() {
    DatadogSettings settings = DatadogSettings.of("k").withLogsUrl(URI.create("http://127.0.0.1:9/"));

    assertThat(settings.logsUrl()).isEqualTo(URI.create("http://127.0.0.1:9"));
  }

  @Test
  void constructor_siteWithScheme_fails() {
    assertThatThrownBy(
            () -> new DatadogSettings("k", "https://datadoghq.eu", null, null, null, null, "h", 0, null))
        .hasMessageContaining("site");
  }

  @Test
  void constructor_negativeQueueCapacity_failsWithBound() {
    assertThatThrownBy(() -> new DatadogSettings("k", null, null, null, null, null, "h", -1, null))
        .hasMessageContaining("queueCapacity")
        .hasMessageContaining("-1");
  }

  @Test
  void constructor_hugeFlushTimeout_fails() {
    assertThatThrownBy(
            () -> new DatadogSettings("k", null, null, null, null, null, "h", 0, Duration.ofHours(1)))
        .hasMessageContaining("flushTimeout");
  }

  @Test
  void constructor_blankEnv_meansNoEnv() {
    DatadogSettings settings = new DatadogSettings("k", null, null, null, " ", null, "h", 0, null);

    assertThat(settings.env()).isNull();
  }

  private static DatadogSettings settingsWithTags(List<String> tags) {
    return new DatadogSettings("k", null, null, null, null, tags, "h", 0, null);
  }
}
