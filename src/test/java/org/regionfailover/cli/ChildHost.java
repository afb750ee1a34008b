package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A supervisor JVM started through {@code bin/region-failover}, as an operator starts it,
 * so that a test can kill -9 or SIGSTOP it; its JSON events are read from stdout, its
 * stderr goes to a file.
 */
final class ChildHost {
  private static final ObjectMapper JSON = new ObjectMapper();

  final String id;
  final Process process;
  private final Path stderr;
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();

  /** Starts {@code bin/region-failover args} with {@code env} instead of our FAILOVER_ and DD_ variables. */
  ChildHost(String id, List<String> args, Map<String, String> env, Path stderr)
      throws IOException {
    this.id = id;
    this.stderr = stderr;
    List<String> command = new ArrayList<>(List.of("bin/region-failover"));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("FAILOVER_") || k.startsWith("DD_"));
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
    process = pb.start();
    Thread reader = new Thread(this::read, "host-" + id + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonNode n = JSON.readTree(line);
        if (n.has("event")) {
          events.add(n);
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  /** Every event so far, in order. */
  List<JsonNode> events() {
    return List.copyOf(events);
  }

  List<String> names() {
    return events.stream().map(e -> e.get("event").asText()).toList();
  }

  List<JsonNode> named(String event) {
    return events.stream().filter(e -> e.get("event").asText().equals(event)).toList();
  }

  long count(String event) {
    return named(event).size();
  }

  int lastIndexOf(String event) {
    return names().lastIndexOf(event);
  }

  void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
        .inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }

  /** Resumes it if paused, then stops it as SIGTERM does (SIGKILL after 30 s). */
  void stop() throws Exception {
    // It may have died already (kill -9): nothing to resume then.
    new ProcessBuilder("kill", "-CONT", Long.toString(process.pid())).start().waitFor();
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  /** The last 3000 characters of its stderr, for a failure's message. */
  String stderrTail() {
    try {
      String all = Files.readString(stderr);
      return id + " stderr: " + all.substring(Math.max(0, all.length() - 3000));
    } catch (IOException e) {
      return id + " stderr: " + e;
    }
  }

  String stderrText() throws IOException {
    return Files.readString(stderr);
  }
}
