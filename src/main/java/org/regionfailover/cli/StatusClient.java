package org.regionfailover.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.Base64;
import java.util.Timer;
import java.util.TimerTask;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.ListenAddress;
import org.regionfailover.config.ListenerSettings;
import org.regionfailover.config.Setting;

/**
 * The running supervisor's status server as the commands of this command line reach it
 * ({@code status}, {@code hold}, {@code move}...): found from the listener's settings (a
 * wildcard address asked on loopback), over https when it has a certificate, which is then
 * trusted as the only one, whatever name it carries, since it is this host's own.
 */
final class StatusClient {
  private static final int TIMEOUT_MS = 5000;
  /**
   * The whole exchange: a server that trickles its answer does not hold a command for ever.
   * Longer than the server's own wait for its loop (5 s), so that its answer comes first.
   */
  private static final long DEADLINE_MS = 10_000;
  /** Our answers are a few KiB; anything far larger is not ours. */
  static final int MAX_BODY = 1 << 20;

  /** What the server answered: the HTTP status and the body (at most {@link #MAX_BODY}). */
  record Answer(int status, byte[] body) {
    /** The body as text, stripped, for a message (the first 500 characters). */
    String text() {
      String t = new String(body, StandardCharsets.UTF_8).strip();
      return t.length() > 500 ? t.substring(0, 500) + "…" : t;
    }
  }

  /** The body was larger than any answer of ours. */
  static final class TooLarge extends IOException {
    TooLarge() {
      super("an answer over " + MAX_BODY + " bytes");
    }
  }

  private final URI base;
  private final Path tlsCert;

  /** {@code base}: the listener's URL; {@code tlsCert}: the certificate it serves (https), or null. */
  StatusClient(URI base, Path tlsCert) {
    this.base = base;
    this.tlsCert = tlsCert;
  }

  /**
   * For the listener of {@code listener}; a listener that is off, or on a port chosen at
   * start-up, cannot be found: a {@link ConfigException} saying why {@code command} needs it.
   */
  static StatusClient of(ListenerSettings listener, String command) {
    ListenAddress a = listener.address();
    if (a == null) {
      throw ConfigException.badValue(Setting.LISTEN.label(), "off",
          command + " asks the running supervisor's status server; turn it on (e.g."
              + " 127.0.0.1:9180)");
    }
    if (a.port() == 0) {
      throw ConfigException.badValue(Setting.LISTEN.label(), a.toString(),
          "port 0 is a free port chosen at start-up, which " + command + " cannot know; give"
              + " the port");
    }
    String host = switch (a.host()) {
      case "0.0.0.0" -> "127.0.0.1";
      case "::", "0:0:0:0:0:0:0:0" -> "::1";
      default -> a.host();
    };
    URI base = URI.create((listener.tls() ? "https://" : "http://")
        + new ListenAddress(host, a.port()) + "/");
    return new StatusClient(base, listener.tlsCert().orElse(null));
  }

  URI base() {
    return base;
  }

  /**
   * What to tell a person when nothing listens: the listener is found from the settings, so
   * a process started with others (or a demo, on a port of its own) is elsewhere.
   */
  String nothingListens(ConnectException e) {
    return "nothing listens on " + base + " (" + e.getMessage() + "); is it running with"
        + " another --listen or --config (FAILOVER_LISTEN, FAILOVER_CONFIG)? A demo prints its"
        + " own status command (region-failover status --listen ...)";
  }

  /** {@code GET path}, asking for JSON. */
  Answer get(String path) throws IOException, GeneralSecurityException {
    HttpURLConnection c = open(path);
    c.setRequestProperty("Accept", "application/json");
    return exchange(c, null);
  }

  /**
   * {@code POST pathAndQuery} as {@code user} with {@code password} (HTTP basic, UTF-8),
   * with {@code form} as an {@code application/x-www-form-urlencoded} body ("" for none);
   * asks for the one line of text the commands answer.
   */
  Answer post(String pathAndQuery, String user, char[] password, String form)
      throws IOException, GeneralSecurityException {
    HttpURLConnection c = open(pathAndQuery);
    c.setRequestMethod("POST");
    c.setRequestProperty("Accept", "text/plain");
    c.setRequestProperty("Authorization", "Basic " + basic(user, password));
    c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    return exchange(c, form.getBytes(StandardCharsets.UTF_8));
  }

  private static String basic(String user, char[] password) {
    StringBuilder pair = new StringBuilder(user).append(':').append(password);
    byte[] bytes = pair.toString().getBytes(StandardCharsets.UTF_8);
    try {
      return Base64.getEncoder().encodeToString(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
      pair.setLength(0);
    }
  }

  private HttpURLConnection open(String pathAndQuery)
      throws IOException, GeneralSecurityException {
    HttpURLConnection c = (HttpURLConnection) base.resolve(pathAndQuery).toURL().openConnection();
    if (c instanceof HttpsURLConnection https) {
      Certificate own = ownCertificate();
      https.setSSLSocketFactory(pinned(own).getSocketFactory());
      // The listener may be reached by an address its certificate does not name (127.0.0.1
      // for a certificate issued to the host's DNS name): the pin below replaces the name
      // check, and is stricter (this exact certificate, nothing else).
      https.setHostnameVerifier((host, session) -> {
        try {
          return Arrays.equals(session.getPeerCertificates()[0].getEncoded(), own.getEncoded());
        } catch (SSLPeerUnverifiedException | java.security.cert.CertificateEncodingException e) {
          return false;
        }
      });
    }
    c.setConnectTimeout(TIMEOUT_MS);
    c.setReadTimeout(TIMEOUT_MS);
    c.setInstanceFollowRedirects(false);
    return c;
  }

  private static Answer exchange(HttpURLConnection c, byte[] body) throws IOException {
    Timer deadline = new Timer("status-client-deadline", true);
    deadline.schedule(new TimerTask() {
      @Override
      public void run() {
        c.disconnect();
      }
    }, DEADLINE_MS);
    try {
      if (body != null) {
        c.setDoOutput(true);
        try (OutputStream out = c.getOutputStream()) {
          out.write(body);
        }
      }
      int code = c.getResponseCode();
      InputStream stream = code >= 400 ? c.getErrorStream() : c.getInputStream();
      if (stream == null) {
        return new Answer(code, new byte[0]);
      }
      try (InputStream in = stream) {
        byte[] read = in.readNBytes(MAX_BODY + 1);
        if (read.length > MAX_BODY) {
          throw new TooLarge();
        }
        return new Answer(code, read);
      }
    } finally {
      deadline.cancel();
      c.disconnect();
    }
  }

  private Certificate ownCertificate() throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(tlsCert)) {
      return CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static SSLContext pinned(Certificate own) throws IOException, GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("listener", own);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
