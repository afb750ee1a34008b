package org.regionfailover.probe;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.regionfailover.config.ProbeSettings;
import org.regionfailover.config.Region;
import org.regionfailover.time.NamedThreads;
import org.regionfailover.time.Ticker;

/**
 * Probes the cloudlookup endpoint over HTTP(S): {@code GET} with the {@code X-SIG-Sha256}
 * header, healthy only on status 200 within the timeout. Connections are pooled and
 * reused; TLS is verified unless the configuration allowed skipping it for loopback.
 */
public final class HttpProbe implements Probe {
  /** Hex SHA-256 of the empty body, which is what the cloudlookup endpoint expects. */
  static final String EMPTY_BODY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private final CloseableHttpClient client;
  private final Function<Region, URI> urls;
  private final Duration timeout;
  private final Ticker ticker;
  /**
   * Aborts a probe at its timeout. The client's timeouts bound each phase (connect, each
   * read), not the whole request: a server that trickles its answer could hold a probe
   * past the interval, and every later probe would then look like a paused process.
   */
  private final ScheduledThreadPoolExecutor deadlines =
      new ScheduledThreadPoolExecutor(1, NamedThreads.daemons("probe-deadline"));

  public HttpProbe(ProbeSettings settings, Ticker ticker) {
    deadlines.setRemoveOnCancelPolicy(true);
    this.urls = settings::urlFor;
    this.timeout = settings.timeout();
    this.ticker = ticker;
    SSLContext tls = settings.insecureLocalhost()
        ? ProbeTls.trustingLoopback()
        : ProbeTls.verifying(settings.caFile());
    Timeout t = Timeout.of(timeout);
    var tlsStrategy = ClientTlsStrategyBuilder.create().setSslContext(tls);
    if (settings.insecureLocalhost()) {
      // CLIENT: only the no-op verifier decides. The default policy also has the JDK check
      // the name during the handshake, which failed a tunnel certificate for another name.
      tlsStrategy.setHostnameVerifier(NoopHostnameVerifier.INSTANCE)
          .setHostVerificationPolicy(HostnameVerificationPolicy.CLIENT);
    }
    var connections = PoolingHttpClientConnectionManagerBuilder.create()
        .setTlsSocketStrategy(tlsStrategy.buildClassic())
        .setDefaultConnectionConfig(ConnectionConfig.custom()
            .setConnectTimeout(t).setSocketTimeout(t)
            // A pooled connection idle longer than this is checked before reuse, so a
            // tunnel restart shows up as a reconnect rather than a stale-socket failure.
            .setValidateAfterInactivity(Timeout.ofSeconds(2)).build())
        .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(t).build())
        .setMaxConnTotal(4).setMaxConnPerRoute(2)
        .build();
    this.client = HttpClients.custom()
        .setConnectionManager(connections)
        .setDefaultRequestConfig(RequestConfig.custom()
            .setConnectionRequestTimeout(t).setResponseTimeout(t)
            .setRedirectsEnabled(false).build())
        // A retried probe would hide a failure and stretch the latency we report.
        .disableAutomaticRetries()
        // A probe has no use for cookies; without them the client never loads the public
        // suffix list (10,000 rules: 15 ms of start-up and 2 MiB of heap).
        .disableCookieManagement()
        .evictIdleConnections(Timeout.ofSeconds(30))
        .setUserAgent("region-failover")
        .build();
  }

  @Override
  public ProbeResult probe(Region region) {
    HttpGet get = new HttpGet(urls.apply(region));
    get.setHeader("X-SIG-Sha256", EMPTY_BODY_SHA256);
    long start = ticker.read();
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> deadline = deadlines.schedule(() -> {
      expired.set(true);
      get.cancel();
    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    try {
      return client.execute(get, response -> {
        long ms = elapsedMs(start);
        EntityUtils.consume(response.getEntity());
        if (ms > timeout.toMillis()) {
          return ProbeResult.failed(ms, "timeout after " + ms + " ms");
        }
        int code = response.getCode();
        return code == 200 ? ProbeResult.healthy(ms, code) : ProbeResult.failedWithStatus(ms, code);
      });
    } catch (IOException e) {
      long ms = elapsedMs(start);
      // An abort at the deadline surfaces as whatever the closed socket threw.
      return ProbeResult.failed(ms, expired.get() ? "timeout after " + ms + " ms" : reason(e));
    } catch (RuntimeException e) {
      long ms = elapsedMs(start);
      // The abort can also race with the client and surface unchecked (CancellationException,
      // IllegalStateException "Endpoint not acquired"); it is still a timeout.
      return ProbeResult.failed(ms, expired.get() ? "timeout after " + ms + " ms" : "error: " + e);
    } finally {
      deadline.cancel(false);
    }
  }

  private long elapsedMs(long start) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(ticker.read() - start));
  }

  /** A short, stable reason an operator can group by: "refused", "timeout", "tls"... */
  static String reason(IOException e) {
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof ConnectTimeoutException || e instanceof SocketTimeoutException
        || e instanceof InterruptedIOException) {
      return "timeout: " + detail;
    }
    if (e instanceof HttpHostConnectException || e instanceof ConnectException) {
      return "refused: " + detail;
    }
    if (e instanceof SSLException) {
      return "tls: " + detail;
    }
    if (e instanceof UnknownHostException) {
      return "dns: " + detail;
    }
    if (e instanceof NoRouteToHostException) {
      return "unreachable: " + detail;
    }
    if (e instanceof NoHttpResponseException || e instanceof SocketException) {
      return "reset: " + detail;
    }
    return "io: " + e.getClass().getSimpleName() + ": " + detail;
  }

  @Override
  public void close() {
    deadlines.shutdownNow();
    try {
      client.close();
    } catch (IOException e) {
      // Closing pooled sockets at shutdown; nothing useful to do with a failure.
    }
  }
}
