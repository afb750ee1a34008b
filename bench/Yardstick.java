import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.HttpsURLConnection;

/**
 * The JDK-only floor: a verified HTTPS GET, nothing else. HttpsURLConnection rather than
 * java.net.http.HttpClient: fewer classes to load and no selector thread that wakes every
 * few seconds, so it is the lower floor. Trust is the JVM's default store (the benchmark
 * points javax.net.ssl.trustStore at its own CA), host names verified. It prints nothing
 * per probe (region-failover's JSON line per probe is part of what it costs).
 *
 *   loop URL SECONDS   GET every SECONDS at a fixed rate, forever
 *   once URL           one GET; exit 0 on 200, 1 otherwise
 *   archive-classes    the launcher's AppCDS training run: one GET of $BENCH_URL
 */
public final class Yardstick {
  public static void main(String[] args) throws Exception {
    switch (args.length > 0 ? args[0] : "") {
      case "loop" -> loop(args[1], Long.parseLong(args[2]));
      case "once" -> System.exit(get(args[1]) == 200 ? 0 : 1);
      case "archive-classes" -> System.exit(get(System.getenv("BENCH_URL")) == 200 ? 0 : 1);
      default -> {
        System.err.println("usage: Yardstick loop URL SECONDS | once URL | archive-classes");
        System.exit(2);
      }
    }
  }

  private static void loop(String url, long seconds) {
    long interval = TimeUnit.SECONDS.toNanos(seconds);
    // Fixed rate on one thread: each deadline is start + k * interval, so a slow probe
    // does not push the later ones back (the same cadence region-failover keeps).
    long next = System.nanoTime();
    while (true) {
      int code = get(url);
      if (code != 200) {
        System.err.println("yardstick: " + url + " -> " + code);
      }
      next += interval;
      long wait;
      while ((wait = next - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
    }
  }

  /** The status, or -1 on any I/O error (refused, timeout, TLS). */
  private static int get(String url) {
    try {
      HttpsURLConnection c = (HttpsURLConnection) new URL(url).openConnection();
      c.setConnectTimeout(5000);
      c.setReadTimeout(5000);
      c.setRequestProperty("X-SIG-Sha256",
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
      int code = c.getResponseCode();
      // Read to the end and close (not disconnect), so the connection is kept for reuse.
      try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
        if (in != null) {
          in.readAllBytes();
        }
      }
      return code;
    } catch (IOException e) {
      System.err.println("yardstick: " + url + " -> " + e);
      return -1;
    }
  }
}
