package org.regionfailover.act.supervisord.xmlrpc;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.regionfailover.time.NamedThreads;

/**
 * Calls supervisord's XML-RPC interface, one HTTP/1.0 POST per call over a JDK
 * {@code SocketChannel} (see {@link ChannelHttpPost} for why not HttpClient), either on a unix
 * socket ({@code unix:///run/supervisor.sock}) or on TCP ({@code http://127.0.0.1:9001},
 * path {@code /RPC2} implied), optionally with HTTP basic auth.
 *
 * <p>Every call opens a fresh connection and closes it: calls are rare, and a pooled
 * connection left over from before a supervisord restart would fail the first call after
 * it. The timeout bounds the whole exchange (connect, send, answer), so a supervisord that
 * is stopped (SIGSTOP) or trickles its answer cannot hold a call longer; {@link #abort()}
 * ends every call in flight at once, for a stop that must not wait on supervisord.
 */
public final class XmlRpcHttpTransport implements Closeable {
  // supervisord's answers are a few KiB; a cap keeps a confused peer from filling the heap.
  private static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

  private final String url;
  private final String path;
  private final Path unixSocket;
  private final InetSocketAddress tcp;
  private final String authorization;
  private final String user;
  private final Duration timeout;
  private final XmlRpcEncoder encoder = new XmlRpcEncoder();
  private final XmlRpcDecoder decoder = new XmlRpcDecoder();
  private final Set<SocketChannel> inFlight = ConcurrentHashMap.newKeySet();
  private final ScheduledThreadPoolExecutor deadlines;
  private volatile boolean aborted;

  /**
   * A transport to {@code url}; {@code user} and {@code password} both null for no auth;
   * {@code timeout} bounds connecting and waiting for each answer.
   */
  public XmlRpcHttpTransport(String url, String user, String password, Duration timeout) {
    Objects.requireNonNull(url, "url");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("supervisord call timeout must be positive: " + timeout);
    }
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException("supervisord user and password must be given together");
    }
    URI parsed = parse(url);
    this.url = url;
    if ("unix".equals(parsed.getScheme())) {
      this.unixSocket = Path.of(parsed.getPath());
      this.tcp = null;
      this.path = "/RPC2";
    } else {
      this.unixSocket = null;
      this.tcp = InetSocketAddress.createUnresolved(parsed.getHost(),
          parsed.getPort() < 0 ? 80 : parsed.getPort());
      String p = parsed.getRawPath();
      this.path = p == null || p.isEmpty() ? "/RPC2" : p;
    }
    this.user = user;
    this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    // One timer thread for every call's deadline; it ends itself when no call is pending,
    // so an idle supervisor (and a test that makes many transports) holds no thread.
    this.deadlines =
        new ScheduledThreadPoolExecutor(1, NamedThreads.daemons("supervisord-deadline"));
    deadlines.setRemoveOnCancelPolicy(true);
    deadlines.setKeepAliveTime(1, TimeUnit.MINUTES); // above the interval: no thread churn
    deadlines.allowCoreThreadTimeOut(true);
  }

  private static URI parse(String url) {
    try {
      URI uri = new URI(url);
      if ("unix".equals(uri.getScheme()) && uri.getPath() != null && !uri.getPath().isEmpty()) {
        return uri;
      }
      if ("http".equals(uri.getScheme()) && uri.getHost() != null && uri.getUserInfo() == null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // fall through to the message that shows the accepted forms
    }
    throw new IllegalArgumentException("supervisord URL must be unix:///path/to.sock or "
        + "http://host:port (credentials given separately): " + redacted(url));
  }

  /** A URL with user info must not reach a message: it may carry the password. */
  private static String redacted(String url) {
    return org.regionfailover.config.Setting.urlWithoutUserInfo(url);
  }

  /** The URL this transport calls, as configured. */
  public String url() {
    return url;
  }

  /** Calls {@code method} with {@code params} and returns the decoded answer. */
  public Object call(String method, List<?> params) throws XmlRpcException, InterruptedException {
    byte[] request = encoder.encodeCall(method, params);
    ChannelHttpPost.Answer answer = exchange(method, request);
    if (answer.status() == 401) {
      throw new CredentialsRejectedException("supervisord at " + url + " rejected the credentials"
          + (user == null ? " (none were configured)" : " of user '" + user + "'"));
    }
    if (answer.status() != 200) {
      throw new XmlRpcTransportException("supervisord at " + url + " answered " + method
          + " with HTTP " + answer.status());
    }
    return decoder.decodeResponse(new ByteArrayInputStream(answer.body()));
  }

  private ChannelHttpPost.Answer exchange(String method, byte[] request)
      throws XmlRpcException, InterruptedException {
    if (aborted) {
      throw abandoned(method, null);
    }
    Deadline deadline = new Deadline();
    try (SocketChannel channel = open()) {
      inFlight.add(channel);
      deadline.arm(channel);
      if (aborted) { // abort() ran between the check above and the registration
        channel.close();
      }
      connect(channel);
      return ChannelHttpPost.exchange(channel, path, authorization, request, MAX_ANSWER_BYTES);
    } catch (ClosedByInterruptException e) {
      throw interrupted(method);
    } catch (IOException e) {
      if (deadline.fired()) {
        throw new EndpointUnreachableException("supervisord did not answer " + method + " at "
            + url + " within " + timeout.toMillis() + " ms", e);
      }
      if (aborted) {
        throw abandoned(method, e);
      }
      if (Thread.currentThread().isInterrupted()) {
        throw interrupted(method);
      }
      throw new EndpointUnreachableException(
          "supervisord is unreachable at " + url + ": " + describe(e), e);
    } finally {
      deadline.disarm();
    }
  }

  private SocketChannel open() throws IOException {
    return unixSocket != null ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
  }

  private void connect(SocketChannel channel) throws IOException {
    if (unixSocket != null) {
      channel.connect(UnixDomainSocketAddress.of(unixSocket));
    } else {
      // Resolved per call: a name that moves (DNS) is followed like any client would.
      channel.connect(new InetSocketAddress(tcp.getHostString(), tcp.getPort()));
    }
  }

  /** Closes the channel when the call's time is up, which unblocks any read or write on it. */
  private final class Deadline {
    private volatile boolean fired;
    private ScheduledFuture<?> timer;
    private SocketChannel channel;

    void arm(SocketChannel ch) {
      this.channel = ch;
      timer = deadlines.schedule(() -> {
        fired = true;
        closeQuietly(ch);
      }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    boolean fired() {
      return fired;
    }

    void disarm() {
      if (timer != null) {
        timer.cancel(false);
      }
      if (channel != null) {
        inFlight.remove(channel);
      }
    }
  }

  private EndpointUnreachableException abandoned(String method, IOException cause) {
    return new EndpointUnreachableException("supervisord call " + method + " at " + url
        + " abandoned: the supervisor is stopping", cause);
  }

  /**
   * Ends every call in flight and refuses new ones: a stop must not wait for a supervisord
   * that is hung. Each such call fails with {@link EndpointUnreachableException}.
   */
  public void abort() {
    aborted = true;
    inFlight.forEach(XmlRpcHttpTransport::closeQuietly);
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Closing to unblock a call; the call reports what happened.
    }
  }

  private static InterruptedException interrupted(String method) {
    Thread.interrupted(); // the exception now carries the interrupt; clear the flag as the JDK does
    return new InterruptedException("interrupted during supervisord call " + method);
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
  }

  @Override
  public void close() throws IOException {
    abort();
    deadlines.shutdownNow();
  }
}
