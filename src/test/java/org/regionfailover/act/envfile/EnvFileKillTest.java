package org.regionfailover.act.envfile;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer killed with SIGKILL while rewriting the env file never leaves a partial or empty file. */
class EnvFileKillTest {
  private static final int KILLS = 25;
  /** SIGKILL on Linux: exit status 128 + 9. */
  private static final int KILLED = 137;

  @TempDir Path dir;

  @Test
  void apply_writerKilledMidLoop_fileIsAlwaysOneWholeRendering() throws Exception {
    Path file = dir.resolve("ext_cloud.env");
    String a = EnvFile.render(EnvFileWriterChild.A);
    String b = EnvFile.render(EnvFileWriterChild.B);
    // Seeded per run but printed, so a failing sequence of waits can be replayed.
    long seed = System.nanoTime();
    Random random = new Random(seed);
    int killedMidLoop = 0;
    int endedOnA = 0;
    int endedOnB = 0;

    for (int i = 1; i <= KILLS; i++) {
      Process child = start(file);
      try {
        awaitReady(child);
        long waitMs = 5 + random.nextInt(56); // 5..60 ms of rewriting before the kill
        assertThat(child.waitFor(waitMs, MILLISECONDS))
            .as("kill %d: the child exited on its own before the kill", i).isFalse();
        child.destroyForcibly();
        assertThat(child.waitFor(10, SECONDS)).as("kill %d: the child did not die", i).isTrue();
      } finally {
        child.destroyForcibly();
      }
      if (child.exitValue() == KILLED) {
        killedMidLoop++;
      }

      String content = Files.readString(file, StandardCharsets.UTF_8);
      assertThat(content)
          .as("kill %d (seed %d): content of %d chars is not a whole rendering", i, seed,
              content.length())
          .isIn(a, b);
      if (content.equals(a)) {
        endedOnA++;
      } else {
        endedOnB++;
      }
    }

    int leftovers = new EnvFileWriter(file).removeLeftovers();
    System.out.printf("EnvFileKillTest: %d kills, %d mid-loop (exit %d), file on A %d times,"
        + " on B %d times, %d temp files left by the kills removed, seed %d%n",
        KILLS, killedMidLoop, KILLED, endedOnA, endedOnB, leftovers, seed);
    assertThat(killedMidLoop).as("every kill lands while the child is rewriting").isEqualTo(KILLS);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("removeLeftovers cleans up whatever the kills left behind")
          .containsExactly("ext_cloud.env");
    }
  }

  private static Process start(Path file) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java,
        "-cp", System.getProperty("java.class.path"),
        EnvFileWriterChild.class.getName(), file.toString())
        .redirectErrorStream(true)
        .start();
  }

  /** Reads the child's output until {@code ready}, failing with what it said otherwise. */
  private static void awaitReady(Process child) throws Exception {
    BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    List<String> said = new ArrayList<>();
    boolean ready = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          if (line.equals("ready")) {
            return true;
          }
          said.add(line);
        }
        return false;
      } catch (java.io.IOException e) {
        said.add(e.toString());
        return false;
      }
    }).get(20, SECONDS);
    assertThat(ready).as("child never printed ready; it said: %s", said).isTrue();
  }
}
