package org.regionfailover.cli;

import ch.qos.logback.classic.LoggerContext;
import java.io.Closeable;
import java.util.function.Supplier;
import org.regionfailover.config.DatadogSettings;
import org.regionfailover.report.datadog.DatadogAppender;
import org.regionfailover.time.Ticker;
import org.slf4j.LoggerFactory;

/** Attaches Datadog shipping to the process's logging when an API key is configured. */
final class DatadogShipping {
  private DatadogShipping() {}

  /** Installs shipping; closing flushes what is queued within the configured bound. */
  static Closeable install(DatadogSettings settings, Supplier<String> activeRegion, Ticker ticker) {
    if (!settings.enabled() || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return () -> { };
    }
    return DatadogAppender.install(ctx, settings, activeRegion, ticker);
  }
}
