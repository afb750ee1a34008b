package org.regionfailover.status.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The page's files: the six paths, nothing else, and HTML that a strict CSP lets run. */
class PageAssetsTest {
  private final PageAssets assets = new PageAssets();

  @Test
  void get_eachPage_servedWithItsTypeAndHeaders() {
    assertThat(assets.get("/")).get().satisfies(a -> {
      assertThat(a.contentType()).isEqualTo("text/html; charset=utf-8");
      assertThat(a.headers()).containsEntry("Content-Security-Policy",
          PageAssets.CONTENT_SECURITY_POLICY).containsEntry("Cache-Control", "no-cache")
          .containsEntry("X-Content-Type-Options", "nosniff");
      assertThat(text(a)).startsWith("<!DOCTYPE html>");
    });
    assertThat(assets.get("/app.js")).get()
        .satisfies(a -> assertThat(a.contentType()).startsWith("text/javascript"));
    assertThat(assets.get("/page.css")).get()
        .satisfies(a -> assertThat(a.contentType()).startsWith("text/css"));
    assertThat(assets.get("/vendor/uplot/uPlot.iife.min.js")).get()
        .satisfies(a -> assertThat(text(a)).startsWith("/*! https://github.com/leeoniya/uPlot (v1.6.32) */"));
    assertThat(assets.get("/vendor/uplot/uPlot.min.css")).get()
        .satisfies(a -> assertThat(a.headers()).doesNotContainKey("Content-Security-Policy"));
    assertThat(assets.get("/favicon.ico")).get().satisfies(a -> {
      assertThat(a.contentType()).isEqualTo("image/svg+xml");
      assertThat(a.headers()).containsEntry("Cache-Control", "no-cache");
      assertThat(text(a)).startsWith("<svg ");
    });
    assertThat(PageAssets.PATHS).allSatisfy(p -> assertThat(assets.get(p)).isPresent());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/index.html", "/app.js/", "//app.js", "/APP.JS", "/../app.js",
      "/vendor/uplot/../../app.js", "/vendor/uplot/LICENSE", "/vendor/uplot/README.md",
      "/vendor/uplot/", "/vendor/uplot/%2e%2e/app.js", "/org/regionfailover/status/page/app.js",
      "/META-INF/services/ch.qos.logback.classic.spi.Configurator", "/version.properties", "/status", "/favicon.svg"})
  void get_anyOtherPath_notFound(String path) {
    assertThat(assets.get(path)).isEmpty();
  }

  @Test
  void get_null_notFound() {
    assertThat(assets.get(null)).isEmpty();
  }

  @Test
  void etag_changesWithTheContent_andMatchesIfNoneMatch() {
    Asset html = assets.get("/").orElseThrow();
    Asset js = assets.get("/app.js").orElseThrow();
    assertThat(html.etag()).matches("\"[0-9a-f]{24}\"").isNotEqualTo(js.etag());
    assertThat(html.notModified(html.etag())).isTrue();
    assertThat(html.notModified("\"other\", " + html.etag())).isTrue();
    assertThat(html.notModified("W/" + html.etag())).isTrue();
    assertThat(html.notModified("*")).isTrue();
    assertThat(html.notModified(js.etag())).isFalse();
    assertThat(html.notModified(null)).isFalse();
  }

  @Test
  void bytes_aCopy_theAssetCannotBeChangedByAServer() {
    Asset js = assets.get("/app.js").orElseThrow();
    byte[] b = js.bytes();
    b[0] = 0;
    assertThat(js.bytes()[0]).isNotZero();
    assertThat(js.length()).isEqualTo(b.length);
  }

  @Test
  void html_nothingInlineThatTheContentSecurityPolicyWouldBlock() {
    String html = text(assets.get("/").orElseThrow());
    assertThat(html).doesNotContainPattern("(?i)<script(?![^>]*\\bsrc=)[^>]*>")
        .doesNotContainPattern("(?i)<style")
        .doesNotContainPattern("(?i)\\sstyle=")
        .doesNotContainPattern("(?i)\\son[a-z]+=")
        .doesNotContainPattern("(?i)javascript:")
        .doesNotContain("http://").doesNotContain("https://");
  }

  /** Every file the HTML links is one this class serves: nothing from a CDN, nothing missing. */
  @Test
  void html_linksOnlyServedAssets() {
    String html = text(assets.get("/").orElseThrow());
    Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
    int linked = 0;
    while (m.find()) {
      String ref = m.group(1);
      if (ref.equals("status") || ref.equals("history") || ref.startsWith("health")
          || ref.equals("metrics")) {
        continue; // links to the server's own documents for people
      }
      assertThat(assets.get("/" + ref)).as(ref).isPresent();
      linked++;
    }
    assertThat(linked).isEqualTo(5);
  }

  @Test
  void vendoredUplot_hasItsLicenceBesideIt() throws IOException {
    try (InputStream in = PageAssets.class.getResourceAsStream(
        "/org/regionfailover/status/page/vendor/uplot/LICENSE")) {
      assertThat(in).isNotNull();
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .contains("The MIT License").contains("Leon Sorokin");
    }
  }

  private static String text(Asset a) {
    return new String(a.bytes(), StandardCharsets.UTF_8);
  }
}
