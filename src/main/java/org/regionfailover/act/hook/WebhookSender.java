package org.regionfailover.act.hook;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Backoff;
import org.regionfailover.time.NamedThreads;
import org.regionfailover.time.Ticker;

/**
 * Posts the outbox's deliveries to {@code --notify-url}, one at a time and in order, on a
 * thread of its own (a slow webhook delays neither the loop nor the hooks): the delivery's
 * JSON line as the body, signed with {@code X-Region-Failover-Signature: sha256=HEX}
 * (HMAC-SHA256 of the body with the secret file's content) when there is a secret. A
 * failed post is retried with backoff ({@code notify_retrying}, at most once a minute) for
 * {@code --notify-retry-for}, then dropped ({@code notify_dropped}) so that the next one
 * goes. TLS is verified as Java's defaults do; the secret is never logged.
 */
final class WebhookSender implements AutoCloseable {
  /** The header with the body's signature. */
  static final String SIGNATURE = "X-Region-Failover-Signature";
  /** The header with the delivery's sequence number: a receiver drops a repeat by it. */
  static final String SEQ = "X-Region-Failover-Seq";
  /** Retries start at 1 s and double up to 30 s: a sink back is posted to within 30 s. */
  static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
  private static final Duration RETRYING_EVERY = Duration.ofMinutes(1);
  private static final Timeout CALL_TIMEOUT = Timeout.ofSeconds(10);

  private final URI url;
  private final Optional<String> secret;
  private final Duration retryFor;
  private final NotifyOutbox outbox;
  private final EventLog log;
  private final Ticker ticker;
  private final BiConsumer<String, String> result;
  private final Backoff backoff;
  private final CloseableHttpClient client;
  private final Thread thread;
  private final Object wake = new Object();
  private volatile boolean closed;
  private long lastRetryingNanos;
  private boolean retryingTold;

  WebhookSender(URI url, Optional<String> secret, Duration retryFor, NotifyOutbox outbox,
      EventLog log, Ticker ticker, BiConsumer<String, String> result) {
    this(url, secret, retryFor, outbox, log, ticker, result, BACKOFF);
  }

  WebhookSender(URI url, Optional<String> secret, Duration retryFor, NotifyOutbox outbox,
      EventLog log, Ticker ticker, BiConsumer<String, String> result, Backoff backoff) {
    this.url = url;
    this.secret = secret;
    this.retryFor = retryFor;
    this.outbox = outbox;
    this.log = log;
    this.ticker = ticker;
    this.result = result;
    this.backoff = backoff;
    this.client = HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(CALL_TIMEOUT).setSocketTimeout(CALL_TIMEOUT).build())
            .build())
        .setDefaultRequestConfig(RequestConfig.custom()
            .setResponseTimeout(CALL_TIMEOUT).setRedirectsEnabled(false).build())
        .disableAutomaticRetries()
        .build();
    this.thread = NamedThreads.daemon("webhook", this::work);
  }

  void start() {
    thread.start();
  }

  /** A delivery was added to the outbox. */
  void wake() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  private void work() {
    long cursor = outbox.deliveredUpTo(NotifyOutbox.Sink.WEBHOOK);
    try {
      while (!closed) {
        Optional<Delivery> next;
        synchronized (wake) {
          next = outbox.after(NotifyOutbox.Sink.WEBHOOK, cursor);
          if (next.isEmpty()) {
            wake.wait();
            continue;
          }
        }
        Delivery d = next.get();
        if (!deliver(d)) {
          return; // closed while retrying: the next start posts it again
        }
        cursor = d.seq();
        record(cursor);
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  /**
   * Records delivery {@code seq} made; a disk that refuses it costs a repeat after a
   * restart, never the deliveries after it.
   */
  private void record(long seq) {
    try {
      outbox.delivered(NotifyOutbox.Sink.WEBHOOK, seq);
    } catch (IOException e) {
      result.accept("webhook", "cannot record delivery " + seq + " in " + outbox.dir() + ": "
          + e);
    }
  }

  /** Posts {@code d} until it is taken or dropped: true; false when closed meanwhile. */
  private boolean deliver(Delivery d) throws InterruptedException {
    long first = ticker.read();
    retryingTold = false;
    for (int attempt = 0; !closed; attempt++) {
      String failure = post(d);
      if (failure == null) {
        result.accept("webhook", null);
        return true;
      }
      result.accept("webhook", failure + " (seq " + d.seq() + ")");
      Duration failingFor = Duration.ofNanos(ticker.read() - first);
      if (failingFor.compareTo(retryFor) >= 0) {
        log.emit(Event.error("notify_dropped", "webhook delivery " + d.seq() + " ("
                + d.event() + ") dropped after failing for " + failingFor.toSeconds()
                + " s: " + failure)
            .with("seq", d.seq()).with("for_event", d.event()).with("url", url.toString())
            .with("attempts", attempt + 1).with("reason", failure));
        return true;
      }
      Duration delay = backoff.delay(attempt, () -> ThreadLocalRandom.current().nextDouble());
      tellRetrying(d, attempt + 1, failure, delay);
      synchronized (wake) {
        if (!closed) {
          wake.wait(Math.max(1, delay.toMillis()));
        }
      }
    }
    return false;
  }

  /** {@code notify_retrying} at a delivery's first failure, then at most once a minute. */
  private void tellRetrying(Delivery d, int attempts, String failure, Duration delay) {
    long now = ticker.read();
    if (retryingTold && now - lastRetryingNanos < RETRYING_EVERY.toNanos()) {
      return;
    }
    retryingTold = true;
    lastRetryingNanos = now;
    log.emit(Event.warn("notify_retrying", "webhook delivery " + d.seq() + " (" + d.event()
            + ") failed " + attempts + " time(s), retrying: " + failure)
        .with("seq", d.seq()).with("for_event", d.event()).with("url", url.toString())
        .with("attempts", attempts).with("retry_in_ms", delay.toMillis())
        .with("reason", failure));
  }

  /** One post: null when the sink took it (2xx), else why not. */
  private String post(Delivery d) {
    HttpPost post = new HttpPost(url);
    post.setEntity(new StringEntity(d.line(), ContentType.APPLICATION_JSON));
    post.setHeader(SEQ, Long.toString(d.seq()));
    secret.ifPresent(s -> post.setHeader(SIGNATURE, signature(s, d.line())));
    try {
      int code = client.execute(post, response -> response.getCode());
      return code / 100 == 2 ? null : "status " + code;
    } catch (IOException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  /** {@code sha256=HEX}: HMAC-SHA256 of {@code body} with {@code secret}. */
  static String signature(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(
          body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    wake();
    try {
      client.close();
    } catch (IOException e) {
      // nothing left to post with it
    }
  }
}
