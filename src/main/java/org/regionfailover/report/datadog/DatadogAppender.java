package org.regionfailover.report.datadog;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.io.Closeable;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.regionfailover.config.DatadogSettings;
import org.regionfailover.report.EventLog;
import org.regionfailover.report.Slf4jEventLog;
import org.slf4j.LoggerFactory;
import org.regionfailover.time.Ticker;

/**
 * A logback appender that ships every event to Datadog's HTTP logs intake without ever making
 * the logging thread wait: {@link #append} converts the event and offers it to a bounded queue,
 * and a single background thread does all network work (see {@link LogShipper}).
 *
 * <p>Events from the shipper itself, from the HTTP stack it uses, and from the sender thread are
 * ignored: shipping them would turn one intake failure into an endless stream of reports.
 */
public final class DatadogAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
    implements Closeable, DatadogCounts {
  public static final String NAME = "DATADOG";
  /**
   * Where the shipper reports on itself: the ordinary logback pipeline under a logger this
   * appender ignores, so the lines reach stdout but a failing intake cannot feed its own
   * error reports back into its queue.
   */
  public static final String SHIPPER_LOGGER = "org.regionfailover.report.datadog.shipper";
  private static final String[] IGNORED_LOGGERS = {
    "org.regionfailover.report.datadog", "com.datadog.", "org.glassfish.", "jakarta.ws.rs."
  };

  private final LogItemConverter converter;
  private final LogShipper shipper;
  private volatile Logger attachedTo;

  /** An appender for {@code settings}; call {@link #start()} (or use {@link #install}). */
  public DatadogAppender(
      DatadogSettings settings, Supplier<String> activeRegion, Ticker ticker, EventLog localLog) {
    this(settings, activeRegion, ticker, localLog, ShipperTuning.DEFAULT);
  }

  DatadogAppender(
      DatadogSettings settings,
      Supplier<String> activeRegion,
      Ticker ticker,
      EventLog localLog,
      ShipperTuning tuning) {
    Objects.requireNonNull(settings, "settings");
    if (!settings.enabled()) {
      throw new IllegalArgumentException("DatadogAppender needs an apiKey: " + settings);
    }
    this.converter = new LogItemConverter(settings, activeRegion);
    this.shipper =
        new LogShipper(
            settings.queueCapacity(),
            new ApiClientLogsIntake(settings),
            converter,
            Objects.requireNonNull(localLog, "localLog"),
            Objects.requireNonNull(ticker, "ticker"),
            tuning,
            () -> ThreadLocalRandom.current().nextDouble(),
            settings.flushTimeout());
    setName(NAME);
  }

  /**
   * Attaches a started appender to the root logger of {@code context}; returns what to close at
   * shutdown (a no-op when shipping is off). The shipper reports on itself to stdout only.
   */
  public static Closeable install(
      LoggerContext context,
      DatadogSettings settings,
      Supplier<String> activeRegion,
      Ticker ticker) {
    return install(context, settings, activeRegion, ticker,
        new Slf4jEventLog(LoggerFactory.getLogger(SHIPPER_LOGGER)));
  }

  /** As {@link #install(LoggerContext, DatadogSettings, Supplier, Ticker)}, reporting to {@code localLog}. */
  public static Closeable install(
      LoggerContext context,
      DatadogSettings settings,
      Supplier<String> activeRegion,
      Ticker ticker,
      EventLog localLog) {
    if (!settings.enabled()) {
      return () -> {};
    }
    // Before anything in the process opens an HTTP connection; see RetryPostGuard.
    RetryPostGuard.disable();
    DatadogAppender appender = new DatadogAppender(settings, activeRegion, ticker, localLog);
    return appender.attach(context);
  }

  DatadogAppender attach(LoggerContext context) {
    setContext(context);
    start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(this);
    attachedTo = root;
    return this;
  }

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    shipper.start();
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (ignored(event)) {
      return;
    }
    try {
      shipper.offer(converter.convert(event));
    } catch (RuntimeException e) {
      // An appender must not throw into the caller's log statement; count the event as lost.
      shipper.countDrop();
    }
  }

  private boolean ignored(ILoggingEvent event) {
    if (shipper.isShipperThread(Thread.currentThread())) {
      return true;
    }
    String name = event.getLoggerName();
    if (name == null) {
      return false;
    }
    for (String prefix : IGNORED_LOGGERS) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Flushes what is queued (one attempt per batch, bounded by the flush timeout), counts what
   * is left as dropped, logs {@code datadog_stopped} and stops the sender thread.
   */
  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    shipper.close();
  }

  /** Detaches from the root logger, then stops as {@link #stop()} does. */
  @Override
  public void close() {
    Logger root = attachedTo;
    if (root != null) {
      root.detachAppender(this);
      attachedTo = null;
    }
    stop();
  }

  /** Events handed to the appender since it started; each ends up shipped or dropped. */
  @Override
  public long offeredCount() {
    return shipper.counts().offered();
  }

  /** Events the intake accepted. */
  @Override
  public long shippedCount() {
    return shipper.counts().shipped();
  }

  /**
   * Events lost for any reason: a full queue (or one that could not be converted), refused by
   * the intake, or not shipped by the stop deadline. Once stopped, shipped + dropped == offered.
   */
  @Override
  public long droppedCount() {
    return shipper.counts().dropped();
  }

  @Override
  public String trouble() {
    return shipper.trouble();
  }

  /** The part of {@link #droppedCount()} refused by the intake or left at the stop deadline. */
  public long discardedCount() {
    var counts = shipper.counts();
    return counts.refused() + counts.atStop();
  }
}
