package org.regionfailover.report.datadog;

/**
 * Stops the JDK's HttpURLConnection from silently sending a POST a second time.
 *
 * <p>Jersey's default connector uses HttpURLConnection. When reading the response fails with an
 * I/O error (typically a connection reset on a kept-alive socket), the JDK's
 * {@code sun.net.www.http.HttpClient.parseHTTP} reconnects and re-sends the buffered request once,
 * unless the request was streamed or {@code sun.net.http.retryPost} is false. The intake may have
 * stored the first copy, so that hidden retry duplicates a whole batch; our own retry, which
 * knows the batch, is the only one we want.
 *
 * <p>The JDK reads the property once, in a static initializer, when the first HTTP connection
 * of the process is made, so this must run before that: {@link DatadogAppender#install} calls
 * it at start-up, and the intake calls it again before building its client.
 */
public final class RetryPostGuard {
  static final String PROPERTY = "sun.net.http.retryPost";

  private RetryPostGuard() {}

  /** Sets {@code sun.net.http.retryPost=false}; overrides a "true" given on the command line. */
  public static void disable() {
    System.setProperty(PROPERTY, "false");
  }
}
