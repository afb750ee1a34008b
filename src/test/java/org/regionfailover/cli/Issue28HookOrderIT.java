package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.FakeCloud;
import org.regionfailover.SupervisordFixture;

/**
 * Issue 28's first acceptance: a notify hook that appends {@code seq event} to a file, the
 * supervisor at a 0.5 s interval with a real supervisord, many transitions with kill -9s of
 * the supervisor's JVM between them (at random moments: while a hook runs, while the outbox
 * is written). Every delivery in order, every transition delivered once or twice, a repeat
 * always with the same number. {@code -Dissue28.transitions=200 -Dissue28.kills=100} is the
 * acceptance's count; CI runs fewer.
 */
class Issue28HookOrderIT {
  private static final int TRANSITIONS = Integer.getInteger("issue28.transitions", 20);
  private static final int KILLS = Integer.getInteger("issue28.kills", 10);
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;
  private FakeCloud cloud;
  private SupervisordFixture supervisord;
  private ChildHost host;
  private final List<ChildHost> hosts = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    if (host != null) {
      host.stop();
    }
    if (supervisord != null) {
      supervisord.close();
    }
    if (cloud != null) {
      cloud.close();
    }
  }

  private Map<String, String> env(Path hook) {
    Map<String, String> env = cloud.loopEnv(supervisord, "EU=cloud.eu.ext.com,NAM=cloud.nam.ext.com");
    env.put("FAILOVER_INTERVAL", "500ms");
    env.put("FAILOVER_PROBE_TIMEOUT", "300ms");
    env.put("FAILOVER_OUTAGE_THRESHOLD", "1s");
    env.put("FAILOVER_REGION_INTERVAL", "500ms");
    env.put("FAILOVER_FAILBACK", "off");
    env.put("FAILOVER_MAX_TRANSITIONS", "off");
    env.put("FAILOVER_HOOK_NOTIFY", hook.toString());
    return env;
  }

  private ChildHost launch(Map<String, String> env) throws IOException {
    host = new ChildHost("h" + hosts.size(), List.of(), env,
        dir.resolve("stderr-" + hosts.size() + ".log"));
    hosts.add(host);
    return host;
  }

  private String region() throws IOException {
    String env = Files.readString(supervisord.envFile());
    return env.contains("EXT_REGION=EU") ? "EU" : "NAM";
  }

  @Test
  void everyTransitionIsDeliveredInOrderOnceOrTwiceAcrossKillNines() throws Exception {
    cloud = new FakeCloud();
    supervisord = SupervisordFixture.unixSocket(dir).quickStart();
    supervisord.start();
    supervisord.writeRegion("EU");
    Path delivered = dir.resolve("delivered.txt");
    Path hook = dir.resolve("notify");
    Files.writeString(hook, "#!/bin/sh\necho \"$RF_SEQ $RF_EVENT $RF_FROM $RF_TO\" >> "
        + delivered + "\n");
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
    Map<String, String> env = env(hook);
    launch(env);
    Awaitility.await().atMost(WAIT).until(() -> host.names().contains("stack_started"));

    Random random = new Random(Long.getLong("issue28.seed", 28L));
    int kills = 0;
    for (int i = 0; i < TRANSITIONS; i++) {
      String from = region();
      String to = from.equals("EU") ? "NAM" : "EU";
      cloud.chain(to, 200);
      cloud.direct(to, 200);
      cloud.chain(from, 503);
      cloud.direct(from, 503);
      boolean kill = kills < KILLS && random.nextInt(TRANSITIONS - i) < KILLS - kills;
      if (kill) {
        // Somewhere between the decision and a little after the switch.
        long at = 1000 + random.nextInt(2500);
        Awaitility.await().atMost(WAIT).pollDelay(Duration.ofMillis(at)).until(() -> true);
        host.process.destroyForcibly();
        host.process.waitFor();
        kills++;
        launch(env);
      }
      ChildHost running = host;
      Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
          .until(() -> region().equals(to) && (running.names().contains("failover_completed")
              || running.names().contains("stack_started")) && running.lastIndexOf("probe")
              > Math.max(running.lastIndexOf("failover_completed"),
                  running.lastIndexOf("stack_started")));
    }
    // The last deliveries: every failover logged has been delivered.
    int logged = hosts.stream().mapToInt(h -> (int) h.count("failover")).sum();
    try {
      Awaitility.await().atMost(WAIT)
          .until(() -> failoverSeqs(lines(delivered)).size() >= logged);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(logged + " failovers logged: " + host.named("failover")
          + "; delivered: " + lines(delivered)
          + "; last host: " + host.names().stream().filter(n -> !n.equals("probe")
              && !n.equals("region_probe")).toList() + "; " + host.stderrTail(), e);
    }
    host.stop();

    List<String> lines = lines(delivered);
    TreeMap<Long, String> bySeq = new TreeMap<>();
    Map<Long, Integer> times = new HashMap<>();
    long previous = 0;
    int outOfOrder = 0;
    for (String line : lines) {
      long seq = Long.parseLong(line.split(" ", 2)[0]);
      String rest = line.split(" ", 2)[1];
      if (seq < previous) {
        outOfOrder++;
      }
      previous = seq;
      String before = bySeq.putIfAbsent(seq, rest);
      assertThat(before == null || before.equals(rest))
          .as("seq %d given to two events: %s and %s", seq, before, rest).isTrue();
      times.merge(seq, 1, Integer::sum);
    }
    long repeats = times.values().stream().filter(n -> n > 1).count();
    int failovers = failoverSeqs(lines).size();
    System.out.printf("issue 28 hook order: %d transitions, %d kill -9s, %d deliveries, %d"
            + " distinct, %d repeated, %d out of order; %d failovers logged, %d delivered%n",
        TRANSITIONS, kills, lines.size(), bySeq.size(), repeats, outOfOrder, logged, failovers);
    assertThat(outOfOrder).as("deliveries out of order").isZero();
    assertThat(times.values()).as("every delivery once or twice").allMatch(n -> n == 1 || n == 2);
    // Every number given out was delivered: none skipped, from the first on.
    assertThat(bySeq.firstKey()).isEqualTo(1);
    assertThat(bySeq.lastKey()).isEqualTo(bySeq.size());
    assertThat(logged).as("failovers logged").isGreaterThanOrEqualTo(TRANSITIONS);
    // A failover's line may be lost with a kill after its delivery was kept: never the reverse.
    assertThat(failovers).isBetween(logged, logged + kills);
    assertThat(kills).isEqualTo(KILLS);
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file).stream()
        .filter(l -> !l.isBlank()).toList() : List.of();
  }

  private static java.util.Set<Long> failoverSeqs(List<String> lines) {
    java.util.Set<Long> out = new java.util.HashSet<>();
    for (String l : lines) {
      String[] p = l.split(" ");
      if (p.length > 1 && p[1].equals("failover")) {
        out.add(Long.parseLong(p[0]));
      }
    }
    return out;
  }

}
