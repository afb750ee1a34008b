package org.regionfailover.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.regionfailover.config.Setting;
import org.regionfailover.config.SettingsLoader;
import org.regionfailover.demo.DemoSupervisord;
import org.regionfailover.report.EventLog;
import org.regionfailover.report.Slf4jEventLog;
import org.regionfailover.report.TeeEventLog;
import org.regionfailover.status.http.PemTls;
import org.regionfailover.time.NamedThreads;

/**
 * {@code region-failover archive-classes}: the training run the launcher records the
 * class-data archive from (see bin/region-failover). In one JVM it does what a host does
 * first: {@code check} (table and JSON) and the loop (verified HTTPS probes of a loopback
 * cloud with a fresh self-signed certificate, region probes, the status listener, Datadog
 * shipping to a loopback intake, supervisord when installed) until it has probed twice, then
 * {@code status} against it. Every class it loads is archived; the rest load from the jar as
 * before. Nothing leaves loopback; the temp directory is removed.
 */
final class ClassTraining {
  private static final Duration LOOP_LIMIT = Duration.ofSeconds(20);
  private static final int PROBES = 2;
  /** Log batches the intake received: none means the shipped jar cannot ship logs. */
  private static final AtomicInteger BATCHES = new AtomicInteger();

  private final Map<String, String> env;
  private final PrintStream err;

  /** {@code env} only supplies PATH (to find supervisord, as the demo does). */
  ClassTraining(Map<String, String> env, PrintStream err) {
    this.env = env;
    this.err = err;
  }

  int call() throws InterruptedException {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("region-failover-training-");
      return train(dir);
    } catch (IOException | GeneralSecurityException e) {
      err.println("region-failover archive-classes: training failed: " + e);
      return Cli.FAILED;
    } finally {
      if (dir != null) {
        DemoCommand.delete(dir);
      }
    }
  }

  private int train(Path dir) throws IOException, GeneralSecurityException, InterruptedException {
    selfSigned(dir);
    HttpsServer cloud = HttpsServer.create(loopback(), 0);
    cloud.setHttpsConfigurator(new HttpsConfigurator(
        PemTls.context(dir.resolve("cert.pem"), dir.resolve("key.pem"))));
    // The intake is plain HTTP: the Datadog client trusts only the system store.
    HttpServer intake = HttpServer.create(loopback(), 0);
    serve(cloud);
    serve(intake);
    Optional<Path> supervisordExe = DemoSupervisord.find(env);
    DemoSupervisord supervisord = supervisordExe.isPresent()
        ? DemoSupervisord.start(supervisordExe.get(), dir, dir.resolve("ext_cloud.env")) : null;
    try {
      Map<String, String> settings = settings(dir, cloud.getAddress().getPort(),
          intake.getAddress().getPort(), supervisord);
      PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true,
          StandardCharsets.UTF_8);
      CountDownLatch never = new CountDownLatch(1);
      new Cli(settings, quiet, quiet, never).run("check");
      new Cli(settings, quiet, quiet, never).run("check", "--json");
      int code = loop(settings, quiet);
      if (code == Cli.OK && BATCHES.get() == 0) {
        // Caught here at package time: a jar whose Datadog client lost a class or a
        // resource (the shade filter keeps only the logs intake's) ships nothing.
        err.println("region-failover archive-classes: the Datadog intake received no logs");
        return Cli.FAILED;
      }
      return code;
    } finally {
      if (supervisord != null) {
        supervisord.close();
      }
      cloud.stop(0);
      intake.stop(0);
    }
  }

  /** Runs the loop until it has probed {@link #PROBES} times, then asks it for its status. */
  private int loop(Map<String, String> settings, PrintStream quiet)
      throws InterruptedException {
    AtomicInteger probes = new AtomicInteger();
    CountDownLatch probed = new CountDownLatch(PROBES);
    EventLog counting = e -> {
      if (e.name().equals("probe") && probes.incrementAndGet() <= PROBES) {
        probed.countDown();
      }
    };
    CountDownLatch stop = new CountDownLatch(1);
    int[] code = {Cli.FAILED};
    SettingsLoader loader = new SettingsLoader(Map.of(), settings);
    Thread loop = NamedThreads.lasting("training-loop", () -> {
      try {
        code[0] = new LoopCommand(loader, stop, quiet,
            new TeeEventLog(new Slf4jEventLog(), counting), true).call();
      } finally {
        while (probed.getCount() > 0) {
          probed.countDown(); // ended early: nothing more to wait for
        }
      }
    });
    loop.start();
    boolean done = probed.await(LOOP_LIMIT.toNanos(), TimeUnit.NANOSECONDS)
        && probes.get() >= PROBES;
    new Cli(settings, quiet, quiet, stop).run("status");
    new Cli(settings, quiet, quiet, stop).run("status", "--json");
    stop.countDown();
    loop.join();
    if (!done) {
      err.println("region-failover archive-classes: the loop did not probe " + PROBES
          + " times within " + LOOP_LIMIT.toSeconds() + " s");
      return Cli.FAILED;
    }
    return code[0];
  }

  private static Map<String, String> settings(Path dir, int port, int intakePort,
      DemoSupervisord supervisord) throws IOException {
    Map<String, String> s = new HashMap<>();
    // Nothing listens on 127.0.0.2: APAC's probes are refused, as a region's can be.
    s.put(Setting.FAILOVER_LIST.env(), "NAM=localhost,EU=127.0.0.1,APAC=127.0.0.2");
    s.put(Setting.REGION.env(), "EU");
    s.put(Setting.ORG_ID.env(), "training-org");
    s.put(Setting.TXN_ID.env(), "training-txn");
    s.put(Setting.ENV_FILE.env(), dir.resolve("ext_cloud.env").toString());
    s.put(Setting.CLOUDLOOKUP_URL.env(),
        "https://localhost:" + port + "/v2/{orgId}/cloudlookup/{txnId}");
    s.put(Setting.REGION_PROBE.env(), "https://{host}:" + port + "/v2/{orgId}/cloudlookup/{txnId}");
    s.put(Setting.TLS_TIMEOUT.env(), "2s");
    s.put(Setting.CA_FILE.env(), dir.resolve("cert.pem").toString());
    s.put(Setting.INTERVAL.env(), "1s");
    s.put(Setting.REGION_INTERVAL.env(), "1s");
    s.put(Setting.PROBE_TIMEOUT.env(), "500ms");
    s.put(Setting.LISTEN.env(), "127.0.0.1:" + freePort());
    s.put(Setting.DD_API_KEY.env(), "training");
    s.put(Setting.DD_LOGS_URL.env(), "http://127.0.0.1:" + intakePort);
    s.put(Setting.DRY_RUN.env(), String.valueOf(supervisord == null));
    s.put(Setting.PROGRAMS.env(), DemoSupervisord.programList());
    if (supervisord != null) {
      s.put(Setting.SUPERVISOR_URL.env(), supervisord.url());
    }
    return s;
  }

  private static InetSocketAddress loopback() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  }

  /** Answers 200 {} to a probe, 202 to a log batch. */
  private static void serve(HttpServer server) {
    server.createContext("/", ClassTraining::answer);
    server.start();
  }

  private static void answer(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      in.readAllBytes();
      boolean logs = exchange.getRequestURI().getPath().startsWith("/api/v2/logs");
      if (logs) {
        BATCHES.incrementAndGet();
      }
      byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(logs ? 202 : 200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  /**
   * Writes cert.pem and key.pem for localhost and 127.0.0.1 with the JDK's keytool (every
   * Java runtime has it; the JDK has no API to make a certificate).
   */
  private static void selfSigned(Path dir) throws IOException, GeneralSecurityException,
      InterruptedException {
    Path store = dir.resolve("training.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "training",
        "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
        "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "training")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (p.waitFor() != 0) {
      throw new IOException("keytool exited " + p.exitValue());
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "training".toCharArray());
    }
    Key key = ks.getKey("training", "training".toCharArray());
    Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
    Files.writeString(dir.resolve("cert.pem"),
        pem("CERTIFICATE", ks.getCertificate("training").getEncoded()));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
