package org.regionfailover.status.http;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.regionfailover.config.ListenAddress;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.NamedThreads;

/**
 * The status and control server, on the JDK's own HTTP server (no library: it starts in
 * about 150 ms and adds no jar). Named threads answer ({@code status-http-N}); a connection
 * no thread can take is closed rather than queued without end. Requests are served from what the endpoints already hold and never wait on
 * the loop's thread.
 *
 * <p>The JDK reads a request's line and headers (and does the TLS handshake) on the
 * executor's threads, so a client sending its headers slowly holds a thread until
 * {@code maxReqTime} cuts it. Two threads answer normally; under such load the pool grows
 * to {@link #MAX_THREADS} (hand-off, no queue), the extra threads ending after
 * {@link #IDLE} idle; beyond that a connection is closed at once, and the loop is not
 * affected.
 */
public final class StatusServer implements AutoCloseable {
  /** A command's body is a reason of at most 200 characters; 8 KiB is plenty. */
  public static final int MAX_BODY = 8 * 1024;
  /** Two threads: a scrape and a page refresh at once; health checks take well under 1 ms. */
  static final int THREADS = 2;
  /** Enough to keep answering while a dozen slow clients each hold one. */
  static final int MAX_THREADS = 16;
  /** An extra thread idle this long ends. */
  static final java.time.Duration IDLE = java.time.Duration.ofSeconds(30);

  static {
    // The JDK reads a request's line and headers on the handler threads: a client that
    // sends half a request would hold one for ever. These close such connections (read
    // once, when the first server is made; an operator's -D wins). A real client sends its
    // headers within milliseconds; 3 s also covers a TLS handshake over a slow link.
    setIfAbsent("sun.net.httpserver.maxReqTime", "3");
    setIfAbsent("sun.net.httpserver.maxRspTime", "30");
    // The JDK writes the headers and the body of an answer separately; with Nagle on, the
    // body waits for the client's delayed ACK: 44 ms a request on a kept-alive connection
    // (median, measured with scripts/bench-status.sh), 0.3 ms with it off.
    setIfAbsent("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final URI url;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private StatusServer(HttpServer server, ThreadPoolExecutor executor, URI url) {
    this.server = server;
    this.executor = executor;
    this.url = url;
  }

  /**
   * Binds {@code address} (HTTPS with {@code tls}, plain HTTP when null), serves
   * {@code routes} with commands checked by {@code guard}, and logs {@code listening}.
   */
  public static StatusServer start(ListenAddress address, SSLContext tls, Routes routes,
      PostGuard guard, EventLog log) throws IOException {
    HttpServer server;
    try {
      InetSocketAddress bind = new InetSocketAddress(address.host(), address.port());
      if (bind.isUnresolved()) {
        throw new IOException("cannot resolve " + address.host());
      }
      if (tls == null) {
        server = HttpServer.create(bind, 0);
      } else {
        HttpsServer https = HttpsServer.create(bind, 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = tls.getDefaultSSLParameters();
            p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            params.setSSLParameters(p);
          }
        });
        server = https;
      }
    } catch (UnresolvedAddressException e) {
      throw new IOException("cannot resolve " + address.host(), e);
    }
    String scheme = tls == null ? "http" : "https";
    ThreadPoolExecutor executor = executor();
    server.setExecutor(executor);
    boolean loopback = server.getAddress().getAddress().isLoopbackAddress();
    server.createContext("/", new RequestHandler(routes, guard, scheme, loopback, log));
    server.start();
    int port = server.getAddress().getPort();
    URI url = URI.create(scheme + "://" + new ListenAddress(address.host(), port) + "/");
    log.emit(Event.info("listening", "status server listening on " + url
            + (guard.manualControl() ? "; manual control on" : "; manual control off (no "
                + "htpasswd file)"))
        .with("url", url.toString()).with("tls", tls != null)
        .with("manual_control", guard.manualControl()));
    return new StatusServer(server, executor, url);
  }

  /** Where the server answers, e.g. {@code http://127.0.0.1:9180/}, with the bound port. */
  public URI url() {
    return url;
  }

  /** The bound port (the free one chosen for port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops at once: open connections are closed, a command waiting for the loop is dropped. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    executor.shutdownNow();
  }

  /** The server's threads: {@link #THREADS}, growing to {@link #MAX_THREADS} under load. */
  static ThreadPoolExecutor executor() {
    AtomicInteger n = new AtomicInteger();
    // A SynchronousQueue hands a connection to an idle thread or a new one; with a queue
    // instead, the pool would only grow once the queue was full, behind slow clients.
    ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, MAX_THREADS,
        IDLE.toSeconds(), TimeUnit.SECONDS, new SynchronousQueue<>(),
        r -> NamedThreads.daemon("status-http-" + n.incrementAndGet(), r),
        // The JDK closes a connection its executor refuses, and goes on serving.
        new ThreadPoolExecutor.AbortPolicy());
    return executor;
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }
}
