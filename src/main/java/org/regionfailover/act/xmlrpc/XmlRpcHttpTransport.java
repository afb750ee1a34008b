package org.regionfailover.act.xmlrpc;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/**
 * Calls supervisord's XML-RPC interface over HttpClient 5 (classic), either on a unix
 * socket ({@code unix:///run/supervisor.sock}) or on TCP ({@code http://127.0.0.1:9001},
 * path {@code /RPC2} implied), optionally with HTTP basic auth.
 *
 * <p>Every call opens a fresh connection: calls are rare (start-up and failovers), and a
 * pooled connection left over from before a supervisord restart would fail the first call
 * after it.
 */
public final class XmlRpcHttpTransport implements Closeable {
  // supervisord's answers are a few KiB; a cap keeps a confused peer from filling the heap.
  private static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

  private final String url;
  private final URI target;
  private final Path unixSocket;
  private final String authorization;
  private final String user;
  private final Duration timeout;
  private final CloseableHttpClient http;
  private final XmlRpcEncoder encoder = new XmlRpcEncoder();
  private final XmlRpcDecoder decoder = new XmlRpcDecoder();

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
      // The socket is the address; the host only fills the Host header, as supervisorctl does.
      this.unixSocket = Path.of(parsed.getPath());
      this.target = URI.create("http://localhost/RPC2");
    } else {
      this.unixSocket = null;
      String path = parsed.getRawPath() == null || parsed.getRawPath().isEmpty() ? "/RPC2" : parsed.getRawPath();
      this.target = parsed.resolve(path);
    }
    this.user = user;
    this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Timeout t = Timeout.of(timeout);
    this.http = HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(t).setSocketTimeout(t).build())
            .build())
        .setConnectionReuseStrategy((request, response, context) -> false)
        // A retried startProcess would hide which attempt failed; the act runner retries.
        .disableAutomaticRetries()
        .disableCookieManagement()
        .build();
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
    HttpPost post = new HttpPost(target);
    RequestConfig.Builder config = RequestConfig.custom()
        .setResponseTimeout(Timeout.of(timeout))
        .setConnectionRequestTimeout(Timeout.of(timeout));
    if (unixSocket != null) {
      config.setUnixDomainSocket(unixSocket);
    }
    post.setConfig(config.build());
    if (authorization != null) {
      // Sent up front: supervisord would otherwise answer every call with a 401 round trip.
      post.setHeader(HttpHeaders.AUTHORIZATION, authorization);
    }
    post.setEntity(new ByteArrayEntity(encoder.encodeCall(method, params), ContentType.TEXT_XML));
    Answer answer;
    try {
      answer = http.execute(post, response -> new Answer(response.getCode(),
          response.getEntity() == null ? new byte[0]
              : EntityUtils.toByteArray(response.getEntity(), MAX_ANSWER_BYTES)));
    } catch (ClosedByInterruptException e) {
      throw interrupted(method);
    } catch (SocketTimeoutException e) { // also ConnectTimeoutException
      throw new EndpointUnreachableException("supervisord did not answer " + method + " at " + url
          + " within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedIOException e) {
      throw interrupted(method);
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw interrupted(method);
      }
      throw new EndpointUnreachableException(
          "supervisord is unreachable at " + url + ": " + describe(e), e);
    }
    if (answer.status == 401) {
      throw new CredentialsRejectedException("supervisord at " + url + " rejected the credentials"
          + (user == null ? " (none were configured)" : " of user '" + user + "'"));
    }
    if (answer.status != 200) {
      throw new XmlRpcTransportException("supervisord at " + url + " answered " + method
          + " with HTTP " + answer.status);
    }
    return decoder.decodeResponse(new ByteArrayInputStream(answer.body));
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
    http.close();
  }

  private record Answer(int status, byte[] body) {}
}
