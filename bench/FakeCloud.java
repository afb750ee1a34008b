import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.time.Instant;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The benchmark's loopback "External Cloud": HTTPS on 127.0.0.1, 200 {} on any path (202
 * under /dd/, the fake Datadog intake). Every request is logged as "epoch-nanos path" and
 * flushed at once, so all contenders' probes are timed by one clock, this one, and the
 * launch timings (taken with `date +%s%N` in bash) are on the same epoch clock.
 *
 * Usage: FakeCloud KEYSTORE.p12 PASSWORD LOGFILE PORTFILE
 */
public final class FakeCloud {
  public static void main(String[] args) throws Exception {
    char[] pass = args[1].toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(args[0])) {
      ks.load(in, pass);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pass);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);

    PrintStream log = new PrintStream(new FileOutputStream(args[2], true), false,
        StandardCharsets.US_ASCII);
    byte[] ok = "{}".getBytes(StandardCharsets.US_ASCII);

    HttpsServer server = HttpsServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/", exchange -> {
      // Logged on arrival of the request head, before the response: the probe's time.
      Instant now = Instant.now();
      String path = exchange.getRequestURI().getRawPath();
      synchronized (log) {
        log.print(now.getEpochSecond() * 1_000_000_000L + now.getNano());
        log.print(' ');
        log.print(path);
        log.print('\n');
        log.flush();
      }
      try (InputStream body = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
        body.readAllBytes();
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        // HttpsURLConnection keeps an idle connection only 5 s unless told otherwise; a
        // 10 s loop would then pay a full handshake per probe while region-failover's
        // pooled client reuses its connection. The hint lets both reuse (the server's
        // own idle limit is 30 s).
        exchange.getResponseHeaders().set("Keep-Alive", "timeout=60");
        exchange.sendResponseHeaders(path.startsWith("/dd/") ? 202 : 200, ok.length);
        out.write(ok);
      }
    });
    // A few threads: one contender's slow TLS handshake must not delay another's probe.
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();

    Path portFile = Path.of(args[3]);
    Path tmp = Path.of(args[3] + ".tmp");
    Files.writeString(tmp, server.getAddress().getPort() + "\n");
    Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
  }
}
