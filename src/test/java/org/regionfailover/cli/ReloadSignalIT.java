package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.SupervisordFixture;

/**
 * SIGHUP to the program as an operator runs it ({@code bin/region-failover}, a real
 * supervisord): the JVM's own handling would exit 129. Signals sent all through start-up,
 * from a few tens of milliseconds after the main class loads until the first probe, do
 * not stop it, and give a reload once it runs; 100 within a second give at most 2
 * reloads; {@code region-failover reload} finds it through the env file's lock.
 */
class ReloadSignalIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> RELOADS =
      List.of("\"event\":\"reload_applied\"", "\"event\":\"reload_unchanged\"",
          "\"event\":\"reload_rejected\"");

  @TempDir Path dir;

  private static long reloads(List<String> lines) {
    return lines.stream().filter(l -> RELOADS.stream().anyMatch(l::contains)).count();
  }

  private static void hup(long pid) throws Exception {
    new ProcessBuilder("kill", "-HUP", Long.toString(pid)).start().waitFor();
  }

  @Test
  void sighupDuringStartAndInBursts_neverStopsIt_andReloadsAtMostTwiceABurst()
      throws Exception {
    SupervisordFixture supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    Path classes = dir.resolve("classes.log");
    ProcessBuilder pb = new ProcessBuilder("bin/region-failover", "--region", "EU",
        "--interval", "500ms", "--probe-timeout", "200ms");
    Map<String, String> e = pb.environment();
    e.keySet().removeIf(k -> k.startsWith("FAILOVER_") || k.startsWith("DD_"));
    e.put("EXT_CLOUD_FAILOVER_LIST", "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com");
    e.put("CONNECTION_KEEPALIVE_ORG_ID", "org");
    e.put("CONNECTION_KEEPALIVE_TXN_ID", "txn");
    e.put("EXT_CLOUD_ENV_FILE", supervisord.envFile().toString());
    e.put("EXT_CLOUD_LOOKUP_URL", "http://127.0.0.1:9/v2/{orgId}/cloudlookup/{txnId}");
    e.put("SUPERVISOR_SERVER_URL", supervisord.url());
    e.put("FAILOVER_LISTEN", "127.0.0.1:0");
    // To know when our code starts: the JVM cannot catch a signal before main runs.
    e.put("JAVA_OPTS", "-Xlog:class+load=info:file=" + classes);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    List<String> lines = new CopyOnWriteArrayList<>();
    CountDownLatch ended = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
        }
      } catch (java.io.IOException ignored) {
        // the process ended
      } finally {
        ended.countDown();
      }
    });
    reader.start();
    try {
      // Our code has started once main() loads the reload queue: the handler is installed
      // while Main initialises, just before. No sleep: the JVM's log says when.
      await().atMost(WAIT).pollInterval(Duration.ofMillis(2)).ignoreExceptions().until(() ->
          Files.readString(classes).contains("org.regionfailover.cli.ReloadRequests "));
      int duringStart = 0;
      while (lines.stream().noneMatch(l -> l.contains("\"event\":\"probe\"")) && p.isAlive()) {
        hup(p.pid()); // paced by the kill process itself, a few ms each
        duringStart++;
      }
      assertThat(p.isAlive()).as("alive after %d SIGHUPs during start-up; %s", duringStart,
          lines).isTrue();
      assertThat(duringStart).as("signals sent during start-up").isGreaterThan(5);
      await().atMost(WAIT).until(() -> reloads(lines) >= 1);
      // The reloader runs from the moment the status server does, so start-up's signals
      // may give several reloads: wait until they are over.
      long[] last = {-1};
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
        long now = reloads(lines);
        boolean settled = now == last[0];
        last[0] = now;
        return settled;
      });
      long beforeBurst = reloads(lines);
      System.out.printf("%d SIGHUPs during start-up: %d reloads%n", duringStart, beforeBurst);

      Process burst = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 100 ]; do kill -HUP "
          + p.pid() + "; i=$((i+1)); done").inheritIO().start();
      assertThat(burst.waitFor(30, TimeUnit.SECONDS)).isTrue();
      await().atMost(WAIT).until(() -> reloads(lines) > beforeBurst);
      await().during(Duration.ofSeconds(2)).atMost(WAIT)
          .until(() -> reloads(lines) <= beforeBurst + 2);
      assertThat(reloads(lines) - beforeBurst).as("reloads for 100 SIGHUPs").isBetween(1L, 2L);
      System.out.printf("100 SIGHUPs: %d reloads%n", reloads(lines) - beforeBurst);
      assertThat(p.isAlive()).isTrue();
      assertThat(lines).noneMatch(l -> l.contains("\"event\":\"reload_applied\""));

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Map<String, String> env = new java.util.HashMap<>(e);
      env.remove("JAVA_OPTS");
      long before = reloads(lines);
      int code = new Cli(env, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(1))
          .run("reload");
      assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("sent SIGHUP to pid " + p.pid());
      await().atMost(WAIT).until(() -> reloads(lines) == before + 1);

      p.toHandle().destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("a clean stop after all that").isZero();
      assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(lines.get(lines.size() - 1)).contains("\"event\":\"shutdown\"");

      assertThat(new Cli(env, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(1))
          .run("reload")).as("nobody holds the lock now").isEqualTo(ReloadCommand.NOT_RUNNING);
    } finally {
      p.destroyForcibly();
      supervisord.close();
    }
  }
}
