package org.regionfailover.report;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import org.regionfailover.report.datadog.DatadogAppender;

/**
 * Sends our own lines to stdout and every library's (ZooKeeper's, Jetty's, the HTTP
 * client's) to stderr: stdout holds events only, each with its {@code event} field, as the
 * runbook promises and as the tools reading it (jq, replay, Datadog's agent) expect. Ours
 * are the events' logger ({@value Slf4jEventLog#LOGGER}), the Datadog shipper's reports on
 * itself ({@link DatadogAppender#SHIPPER_LOGGER}) and anything else under
 * {@code org.regionfailover}. The Datadog appender hangs off the root logger beside this
 * one, so what it ships does not depend on the stream chosen here.
 */
public final class ConsoleRouting extends UnsynchronizedAppenderBase<ILoggingEvent> {
  private static final String OUR_PACKAGE = "org.regionfailover";

  private final Appender<ILoggingEvent> stdout;
  private final Appender<ILoggingEvent> stderr;

  /** Routes to {@code stdout} or {@code stderr}, which this starts and stops with itself. */
  public ConsoleRouting(Appender<ILoggingEvent> stdout, Appender<ILoggingEvent> stderr) {
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Whether lines of the logger {@code name} go to stdout. */
  public static boolean ours(String name) {
    return name != null && (name.equals(Slf4jEventLog.LOGGER) || name.equals(OUR_PACKAGE)
        || name.startsWith(OUR_PACKAGE + "."));
  }

  @Override
  public void start() {
    stdout.start();
    stderr.start();
    super.start();
  }

  @Override
  public void stop() {
    super.stop();
    stdout.stop();
    stderr.stop();
  }

  @Override
  protected void append(ILoggingEvent event) {
    (ours(event.getLoggerName()) ? stdout : stderr).doAppend(event);
  }

  /** The appender of our lines (stdout). */
  public Appender<ILoggingEvent> stdout() {
    return stdout;
  }

  /** The appender of the libraries' lines (stderr). */
  public Appender<ILoggingEvent> stderr() {
    return stderr;
  }
}
