package org.regionfailover.status.http;

import java.util.Objects;
import org.regionfailover.status.page.Asset;
import org.regionfailover.status.page.PageAssets;

/**
 * The status page and its assets, from the jar: {@code /}, its script, its style and the
 * vendored plotting library. Revalidated by ETag, so a page left open for a night costs a
 * 304 per asset and reload, not the library again.
 */
public final class PageEndpoints {
  private final PageAssets assets;

  public PageEndpoints(PageAssets assets) {
    this.assets = Objects.requireNonNull(assets, "assets");
  }

  /** Adds one route per asset to {@code routes}. */
  public Routes.Builder register(Routes.Builder routes) {
    PageAssets.PATHS.forEach(path -> routes.get(path, this::serve));
    return routes;
  }

  Reply serve(Request r) {
    Asset asset = assets.get(r.path()).orElseThrow();
    Reply reply = asset.notModified(r.header("If-None-Match").orElse(null))
        ? Reply.bytes(304, asset.contentType(), new byte[0])
        : Reply.bytes(200, asset.contentType(), asset.bytes());
    for (var h : asset.headers().entrySet()) {
      reply = reply.withHeader(h.getKey(), h.getValue());
    }
    return reply;
  }
}
