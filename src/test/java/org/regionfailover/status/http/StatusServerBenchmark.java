package org.regionfailover.status.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.SupervisordFixture;

/**
 * Prints what {@code GET /health} costs against the running supervisor (the launcher as
 * shipped, a real supervisord, a local fake cloud) and whether serving it disturbs the
 * probes: latency (median, p99, max) at a paced 1,000 requests a second for a minute, the
 * probe gaps (min, median, max) over the same minute next to those of a quiet minute
 * before it, and the most it answers unpaced. Not a unit test (the name keeps surefire
 * from picking it up) and it asserts nothing: run it with scripts/bench-status.sh.
 */
class StatusServerBenchmark {
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration PHASE = Duration.ofSeconds(
      Long.getLong("bench.seconds", 60));
  private static final int RATE = Integer.getInteger("bench.rate", 1000);
  private static final int CLIENTS = 4;
  private static final Pattern LISTENING = Pattern.compile("\"url\":\"(http://[^\"]+)\"");
  private static final Pattern TIMESTAMP = Pattern.compile("\"@timestamp\":\"([^\"]+)\"");

  @TempDir Path dir;

  @Test
  void health_latencyThroughputAndProbeCadence() throws Exception {
    HttpServer cloud = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    cloud.createContext("/", ex -> {
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    cloud.start();
    try (SupervisordFixture supervisord = SupervisordFixture.unixSocket(dir)) {
      supervisord.start();
      Files.deleteIfExists(supervisord.envFile());
      List<String> lines = new CopyOnWriteArrayList<>();
      Process p = launch(supervisord, cloud.getAddress().getPort(), lines);
      try {
        URI health = URI.create(awaitUrl(lines)).resolve("/health");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        paced(http, health, RATE, Duration.ofSeconds(10)); // warm-up: JIT, connections
        // The quiet phase is counted in the loop's own probes, not slept through.
        Instant quietFrom = Instant.now();
        long quietProbes = PHASE.toMillis() / INTERVAL.toMillis();
        long before = probes(lines);
        await().atMost(PHASE.multipliedBy(3)).ignoreExceptions().untilAsserted(() -> assertThat(
            probes(lines) - before >= quietProbes)
            .as(() -> "the quiet phase's " + quietProbes + " probes").isTrue());
        Instant loadFrom = Instant.now();
        long[] latencies = paced(http, health, RATE, PHASE);
        Instant loadTo = Instant.now();
        double unpaced = unpaced(http, health, Duration.ofSeconds(10));
        long[] quietGaps = gaps(lines, quietFrom, loadFrom);
        long[] loadGaps = gaps(lines, loadFrom, loadTo);
        report(latencies, Duration.between(loadFrom, loadTo), quietGaps, loadGaps, unpaced);
      } finally {
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } finally {
      cloud.stop(0);
    }
  }

  private Process launch(SupervisordFixture supervisord, int cloudPort, List<String> lines)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bin/region-failover", "--region", "EU");
    Map<String, String> e = pb.environment();
    e.put("EXT_CLOUD_FAILOVER_LIST", "EU=cloud.eu.ext.com,NAM=cloud.nam.ext.com");
    e.put("EXT_CLOUD_LOOKUP_URL", "http://127.0.0.1:" + cloudPort + "/v2/{region}");
    e.put("EXT_CLOUD_REGION_PROBE", "http://127.0.0.1:" + cloudPort + "/direct/{region}");
    e.put("FAILOVER_INTERVAL", INTERVAL.toMillis() + "ms");
    e.put("FAILOVER_REGION_INTERVAL", "5s");
    e.put("FAILOVER_PROBE_TIMEOUT", "500ms");
    e.put("EXT_CLOUD_ENV_FILE", supervisord.envFile().toString());
    e.put("SUPERVISOR_SERVER_URL", supervisord.url());
    e.put("FAILOVER_LISTEN", "127.0.0.1:0");
    e.remove("DD_API_KEY");
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          lines.add(line);
        }
      } catch (java.io.IOException ended) {
        // the process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    return p;
  }

  private static String awaitUrl(List<String> lines) {
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(
        url(lines) != null)
        .as(() -> "the supervisor to listen: " + lines).isTrue());
    return url(lines);
  }

  private static String url(List<String> lines) {
    for (String l : lines) {
      Matcher m = LISTENING.matcher(l);
      if (l.contains("\"event\":\"listening\"") && m.find()) {
        return m.group(1);
      }
    }
    return null;
  }

  private static long probes(List<String> lines) {
    return lines.stream().filter(l -> l.contains("\"event\":\"probe\"")).count();
  }

  /** {@code rate} GETs a second for {@code span}, spread over clients; the latency of each. */
  private static long[] paced(HttpClient http, URI uri, int rate, Duration span)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    List<Future<long[]>> parts = new ArrayList<>();
    long periodNanos = 1_000_000_000L * CLIENTS / rate;
    long n = span.toNanos() / periodNanos;
    long start = System.nanoTime();
    for (int c = 0; c < CLIENTS; c++) {
      long offset = periodNanos * c / CLIENTS;
      parts.add(pool.submit(() -> {
        HttpRequest get = HttpRequest.newBuilder(uri).build();
        long[] lat = new long[(int) n];
        for (int i = 0; i < n; i++) {
          long due = start + offset + i * periodNanos;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          long t0 = System.nanoTime();
          http.send(get, HttpResponse.BodyHandlers.discarding());
          lat[i] = System.nanoTime() - t0;
        }
        return lat;
      }));
    }
    long[] all = new long[0];
    for (Future<long[]> f : parts) {
      long[] l = f.get();
      long[] merged = Arrays.copyOf(all, all.length + l.length);
      System.arraycopy(l, 0, merged, all.length, l.length);
      all = merged;
    }
    pool.shutdown();
    Arrays.sort(all);
    return all;
  }

  /** As many GETs as the clients can make for {@code span}; requests a second. */
  private static double unpaced(HttpClient http, URI uri, Duration span) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    long end = System.nanoTime() + span.toNanos();
    List<Future<Long>> parts = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      parts.add(pool.submit(() -> {
        HttpRequest get = HttpRequest.newBuilder(uri).build();
        long count = 0;
        while (System.nanoTime() - end < 0) {
          http.send(get, HttpResponse.BodyHandlers.discarding());
          count++;
        }
        return count;
      }));
    }
    long total = 0;
    for (Future<Long> f : parts) {
      total += f.get();
    }
    pool.shutdown();
    return total / (span.toNanos() / 1e9);
  }

  /** Milliseconds between consecutive chain probes logged in [from, to), sorted. */
  private static long[] gaps(List<String> lines, Instant from, Instant to) {
    List<Instant> at = new ArrayList<>();
    for (String l : lines) {
      if (!l.contains("\"event\":\"probe\"")) {
        continue;
      }
      Matcher m = TIMESTAMP.matcher(l);
      if (m.find()) {
        Instant t = java.time.OffsetDateTime.parse(m.group(1)).toInstant();
        if (!t.isBefore(from) && t.isBefore(to)) {
          at.add(t);
        }
      }
    }
    long[] g = new long[Math.max(0, at.size() - 1)];
    for (int i = 1; i < at.size(); i++) {
      g[i - 1] = Duration.between(at.get(i - 1), at.get(i)).toMillis();
    }
    Arrays.sort(g);
    return g;
  }

  private static void report(long[] lat, Duration span, long[] quiet, long[] load,
      double unpaced) {
    long interval = INTERVAL.toMillis();
    System.out.printf(Locale.ROOT, "BENCH cores %d, interval %d ms, %d s per phase%n",
        Runtime.getRuntime().availableProcessors(), interval, PHASE.toSeconds());
    System.out.printf(Locale.ROOT, "BENCH /health at %d req/s: %d requests, %.0f req/s done,"
            + " latency median %.3f ms, p99 %.3f ms, max %.3f ms%n", RATE, lat.length,
        lat.length / (span.toMillis() / 1000.0), pct(lat, 0.5) / 1e6, pct(lat, 0.99) / 1e6,
        lat[lat.length - 1] / 1e6);
    System.out.printf(Locale.ROOT, "BENCH /health unpaced (%d clients): %.0f req/s%n", CLIENTS,
        unpaced);
    System.out.printf(Locale.ROOT, "BENCH probe gaps, quiet: %d gaps, min %d, median %d, max %d"
            + " ms (max %+.1f %% of the interval)%n", quiet.length, quiet[0], pct(quiet, 0.5),
        quiet[quiet.length - 1], 100.0 * (quiet[quiet.length - 1] - interval) / interval);
    System.out.printf(Locale.ROOT, "BENCH probe gaps, under load: %d gaps, min %d, median %d,"
            + " max %d ms (max %+.1f %% of the interval)%n", load.length, load[0], pct(load, 0.5),
        load[load.length - 1], 100.0 * (load[load.length - 1] - interval) / interval);
  }

  private static long pct(long[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }
}
