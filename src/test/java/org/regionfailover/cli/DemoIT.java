package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.regionfailover.SupervisordAvailable;

/**
 * {@code bin/region-failover demo} as a user runs it, with the real supervisord: two
 * failovers in order, restarts through supervisord, the end within 30 s, and no temp
 * directory or process left behind, also when stopped by SIGTERM halfway.
 */
class DemoIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A running demo whose stdout (JSON lines) and stderr are collected as they come. */
  private static final class Demo {
    final Process process;
    final List<JsonNode> events = new CopyOnWriteArrayList<>();
    final StringBuilder stderr = new StringBuilder();
    final Thread outReader;
    final Thread errReader;

    Demo() throws IOException {
      process = new ProcessBuilder("bin/region-failover", "demo").start();
      outReader = reader(process.getInputStream(), line -> {
        try {
          events.add(JSON.readTree(line));
        } catch (IOException e) {
          events.add(JSON.createObjectNode().put("event", "NOT JSON: " + line));
        }
      });
      errReader = reader(process.getErrorStream(), line -> {
        synchronized (stderr) {
          stderr.append(line).append('\n');
        }
      });
    }

    private static Thread reader(InputStream in, java.util.function.Consumer<String> sink) {
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            sink.accept(line);
          }
        } catch (IOException ignored) {
          // the process ended
        }
      });
      t.start();
      return t;
    }

    List<JsonNode> named(String name) {
      return events.stream().filter(e -> name.equals(e.path("event").asText())).toList();
    }

    /** The temp directory, from the env file path the loop logged at start-up. */
    Path tempDir() {
      return Path.of(named("region_adopted").get(0).get("env_file").asText()).getParent();
    }

    String stderr() {
      synchronized (stderr) {
        return stderr.toString();
      }
    }

    void awaitExit(Duration within) throws InterruptedException {
      boolean exited = process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        process.destroyForcibly();
      }
      assertThat(exited).as("demo ended within %s; stderr: %s", within, stderr()).isTrue();
      outReader.join(5000);
      errReader.join(5000);
    }
  }

  @Test
  void demo_failsOverEuToNamToApacThroughSupervisord_endsAndCleansUp() throws Exception {
    SupervisordAvailable.require();
    long t0 = System.nanoTime();
    Demo demo = new Demo();
    List<ProcessHandle> children = new ArrayList<>();
    await("supervisord to run under the demo").atMost(Duration.ofSeconds(10)).pollInSameThread()
        .ignoreExceptions().until(() -> {
          children.addAll(demo.process.descendants().toList());
          return !children.isEmpty();
        });

    demo.awaitExit(Duration.ofSeconds(120)); // generous: a busy machine is slower
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

    assertThat(demo.process.exitValue()).as(demo.stderr()).isZero();
    assertThat(demo.named("failover"))
        .extracting(e -> e.get("from_region").asText() + "->" + e.get("to_region").asText())
        .containsExactly("EU->NAM", "NAM->APAC");
    assertThat(demo.named("failover_completed")).extracting(e -> e.get("region").asText())
        .containsExactly("NAM", "APAC");
    assertThat(demo.named("restart_completed")).hasSize(2);
    assertThat(demo.named("stack_started")).hasSize(1);
    assertThat(demo.events).allMatch(e -> !e.path("event").asText().startsWith("NOT JSON"),
        "every stdout line is a JSON object");
    // Issue 29: piped, stdout is JSON (auto), each line an event; nothing of a library's.
    assertThat(demo.events).allMatch(e -> !e.path("event").asText().isBlank(),
        "every stdout line has an event");
    assertThat(demo.stderr()).contains("Demo summary: complete, 2 failovers")
        .doesNotContain("\"event\"");
    assertThat(demo.stderr()).contains("Demo summary: complete, 2 failovers",
        "regions visited:   EU -> NAM -> APAC", "restart took", "supervisord stopped", "removed");
    assertThat(demo.tempDir()).doesNotExist();
    assertThat(children).noneMatch(ProcessHandle::isAlive);
    System.out.printf("demo wall time (launch to exit): %d ms%n", tookMs);
  }

  @Test
  void demo_sigtermHalfway_stopsSupervisordAndDeletesTheTempDir() throws Exception {
    SupervisordAvailable.require();
    Demo demo = new Demo();
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(
        !demo.named("failover").isEmpty())
        .as(() -> "no failover; events: " + demo.events).isTrue());
    List<ProcessHandle> children = demo.process.descendants().toList();
    assertThat(children).as("supervisord and its programs").isNotEmpty();
    Path tempDir = demo.tempDir();
    assertThat(tempDir).isDirectory();

    demo.process.toHandle().destroy(); // SIGTERM, as systemd or kill would send
    demo.awaitExit(Duration.ofSeconds(15));

    assertThat(demo.process.exitValue()).isZero();
    assertThat(demo.stderr()).contains("stopped early on request", "supervisord stopped");
    assertThat(tempDir).doesNotExist();
    assertThat(children).noneMatch(ProcessHandle::isAlive);
    assertThat(demo.named("shutdown")).hasSize(1);
  }
}
