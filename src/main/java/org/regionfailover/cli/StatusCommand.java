package org.regionfailover.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.ZoneId;
import java.util.Arrays;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.ListenAddress;
import org.regionfailover.config.ListenerSettings;
import org.regionfailover.config.Setting;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;

/**
 * {@code region-failover status}: asks the running supervisor's listener for {@code /status}
 * and prints it for a person (a table per failover set when there are several), or as the
 * raw document with {@code --json}. Exit codes: 0 healthy (every set), 1 not healthy (any
 * set), 2 bad configuration, 3 not running (nothing answers).
 */
final class StatusCommand {
  static final int NOT_RUNNING = 3;
  private static final int TIMEOUT_MS = 5000;
  /** The whole exchange: a server that trickles its answer does not hold status for ever. */
  private static final long DEADLINE_MS = 10_000;
  /** A status document is a few KiB; anything far larger is not ours. */
  private static final int MAX_BODY = 1 << 20;

  /** Something answered, but not as a running region-failover would. */
  private static final class Foreign extends IOException {
    Foreign(String message) {
      super(message);
    }
  }

  /** The supervisor answered 503: it runs, but its loop has not started yet. */
  private static final class Starting extends IOException {
    Starting(String message) {
      super(message);
    }
  }

  private final URI base;
  private final Path tlsCert;
  private final boolean json;
  private final PrintStream out;
  private final PrintStream err;

  /**
   * {@code base}: the listener's URL; {@code tlsCert}: the certificate it serves (https),
   * trusted as the only one, whatever name it carries, since it is this host's own.
   */
  StatusCommand(URI base, Path tlsCert, boolean json, PrintStream out, PrintStream err) {
    this.base = base;
    this.tlsCert = tlsCert;
    this.json = json;
    this.out = out;
    this.err = err;
  }

  /**
   * For the listener of {@code listener}: its address (a wildcard one is asked on
   * loopback), over https when it has a certificate.
   */
  static StatusCommand of(ListenerSettings listener, boolean json, PrintStream out,
      PrintStream err) {
    ListenAddress a = listener.address();
    if (a == null) {
      throw ConfigException.badValue(Setting.LISTEN.label(), "off",
          "status asks the running supervisor's status server; turn it on (e.g."
              + " 127.0.0.1:9180)");
    }
    if (a.port() == 0) {
      throw ConfigException.badValue(Setting.LISTEN.label(), a.toString(),
          "port 0 is a free port chosen at start-up, which status cannot know; give the port");
    }
    String host = switch (a.host()) {
      case "0.0.0.0" -> "127.0.0.1";
      case "::", "0:0:0:0:0:0:0:0" -> "::1";
      default -> a.host();
    };
    URI base = URI.create((listener.tls() ? "https://" : "http://")
        + new ListenAddress(host, a.port()) + "/");
    return new StatusCommand(base, listener.tlsCert().orElse(null), json, out, err);
  }

  int call() {
    byte[] body;
    try {
      body = fetch(base.resolve("/status"));
    } catch (ConnectException e) {
      err.println("region-failover status: not running: nothing listens on " + base
          + " (" + e.getMessage() + ")");
      return NOT_RUNNING;
    } catch (java.net.SocketTimeoutException e) {
      err.println("region-failover status: " + base + " accepts connections but does not"
          + " answer (" + e.getMessage() + "): the process may be stopped (SIGSTOP) or hung");
      return NOT_RUNNING;
    } catch (Starting e) {
      err.println("region-failover status: running but not ready: " + e.getMessage());
      return Cli.FAILED;
    } catch (javax.net.ssl.SSLException e) {
      err.println("region-failover status: TLS with " + base + " failed (" + e.getMessage()
          + "): the listener's certificate is not the one in --tls-cert, or it does not"
          + " speak TLS");
      return Cli.USAGE;
    } catch (IOException | GeneralSecurityException e) {
      err.println("region-failover status: " + base + " is not region-failover's status"
          + " server, or answered badly: " + e.getMessage());
      return Cli.USAGE;
    }
    JsonNode doc;
    String table;
    try {
      doc = new ObjectMapper().readTree(body);
      if (!doc.path("version").isTextual() || !(doc.path("active_region").isTextual()
          || doc.path("sets").isArray())) {
        throw new Foreign("no version, and neither active_region nor sets");
      }
      table = json ? null : new StatusTable(ZoneId.systemDefault()).renderSets(doc);
    } catch (IOException | RuntimeException e) {
      err.println("region-failover status: " + base + " answered something that is not"
          + " region-failover's status (" + e.getMessage() + "); is another program on that"
          + " port?");
      return Cli.USAGE;
    }
    out.print(json ? new String(body, java.nio.charset.StandardCharsets.UTF_8) + "\n" : table);
    return doc.path("healthy").asBoolean() ? Cli.OK : Cli.FAILED;
  }

  private byte[] fetch(URI uri) throws IOException, GeneralSecurityException {
    URL url = uri.toURL();
    HttpURLConnection c = (HttpURLConnection) url.openConnection();
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
    c.setRequestProperty("Accept", "application/json");
    java.util.Timer deadline = new java.util.Timer("status-deadline", true);
    deadline.schedule(new java.util.TimerTask() {
      @Override
      public void run() {
        c.disconnect();
      }
    }, DEADLINE_MS);
    try {
      int code = c.getResponseCode();
      if (code == 503) {
        throw new Starting(text(c.getErrorStream()));
      }
      if (code != 200) {
        throw new Foreign("HTTP " + code);
      }
      try (InputStream in = c.getInputStream()) {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
          throw new Foreign("an answer over " + MAX_BODY + " bytes");
        }
        return body;
      }
    } finally {
      deadline.cancel();
      c.disconnect();
    }
  }

  private static String text(InputStream in) throws IOException {
    if (in == null) {
      return "HTTP 503";
    }
    try (in) {
      return new String(in.readNBytes(500), java.nio.charset.StandardCharsets.UTF_8).strip();
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
