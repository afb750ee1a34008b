package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.FakeCloud;
import org.regionfailover.SupervisordFixture;

/**
 * Issue 28: a notify hook that sleeps 600 s and starts a child that does too, in a
 * supervisor JVM run as an operator runs it, with supervisord's password and a Datadog key
 * in its environment. While the hook runs, neither it nor its child has a secret in
 * {@code /proc/PID/environ}; the probes keep their pace (the largest gap is printed, and
 * the loop never reports one late); past the timeout the hook's whole process group, the
 * child included, is gone.
 */
class Issue28HookTimeoutIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration INTERVAL = Duration.ofMillis(500);
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final String PASSWORD = "sv-pass-issue28-secret";
  private static final String DD_KEY = "dd-key-issue28-secret";

  @TempDir Path dir;
  private FakeCloud cloud;
  private SupervisordFixture supervisord;
  private ChildHost host;

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

  private static String environ(long pid) throws IOException {
    byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/environ"));
    return new String(raw, StandardCharsets.UTF_8).replace('\0', '\n');
  }

  /** No such process, or a zombie (dead, its exit status not yet collected). */
  private static boolean gone(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return true;
    }
  }

  @Test
  void aHungHookHoldsNoSecretDelaysNoProbeAndIsKilledWithItsChild() throws Exception {
    cloud = new FakeCloud();
    supervisord = SupervisordFixture.inetHttp(dir, PASSWORD).quickStart();
    supervisord.start();
    supervisord.writeRegion("EU");
    Path childPid = dir.resolve("child.pid");
    Path hook = dir.resolve("notify");
    Files.writeString(hook, "#!/bin/sh\nsleep 600 &\necho $! > " + childPid + "\nsleep 600\n");
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
    Map<String, String> env = cloud.loopEnv(supervisord, FakeCloud.EU_NAM_APAC);
    env.put("SUPERVISOR_USERNAME", SupervisordFixture.USER);
    env.put("SUPERVISOR_PASSWORD", PASSWORD);
    env.put("DD_API_KEY", DD_KEY);
    env.put("DD_LOGS_URL", "http://127.0.0.1:" + SupervisordFixture.freeLoopbackPort());
    env.put("FAILOVER_INTERVAL", INTERVAL.toMillis() + "ms");
    env.put("FAILOVER_PROBE_TIMEOUT", "300ms");
    env.put("FAILOVER_OUTAGE_THRESHOLD", "1500ms");
    env.put("FAILOVER_REGION_INTERVAL", "500ms");
    env.put("FAILOVER_HOOK_NOTIFY", hook.toString());
    env.put("FAILOVER_HOOK_TIMEOUT", TIMEOUT.toMillis() + "ms");
    host = new ChildHost("h", List.of(), env, dir.resolve("stderr.log"));
    Awaitility.await().atMost(WAIT).until(() -> host.names().contains("stack_started"));

    cloud.chain("EU", 503);
    cloud.direct("EU", 503);
    Awaitility.await().atMost(WAIT).until(() -> !host.named("hook_started").isEmpty()
        && Files.exists(childPid) && !Files.readString(childPid).isBlank());
    long hookPid = host.named("hook_started").get(0).get("pid").asLong();
    long child = Long.parseLong(Files.readString(childPid).strip());

    for (long pid : new long[] {hookPid, child}) {
      String environ = environ(pid);
      assertThat(environ).as("environment of %d", pid).contains("RF_EVENT=failover")
          .doesNotContain(PASSWORD).doesNotContain(DD_KEY).doesNotContain("DD_API_KEY")
          .doesNotContain("SUPERVISOR_PASSWORD").doesNotContain("FAILOVER_");
      assertThat(Arrays.stream(environ.split("\n")).filter(l -> !l.isEmpty())
          .map(l -> l.substring(0, l.indexOf('='))))
          // PWD: the shell sets it for itself and its child.
          .allMatch(k -> k.startsWith("RF_") || List.of("PATH", "LANG", "HOME", "PWD")
              .contains(k));
    }

    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
        .until(() -> gone(hookPid) && gone(child));
    // From the hook's start as its JVM logged it to when this test saw the group gone.
    Instant goneAt = Instant.now();
    long goneMs = Duration.between(Instant.parse(host.named("hook_started").get(0)
        .get("@timestamp").asText()), goneAt).toMillis();
    Awaitility.await().atMost(WAIT).until(() -> !host.named("hook_timed_out").isEmpty());
    long afterKillMs = Duration.between(Instant.parse(host.named("hook_timed_out").get(0)
        .get("@timestamp").asText()), goneAt).toMillis();
    // The failover went ahead while the hook hung, and probes went on after it.
    Awaitility.await().atMost(WAIT).until(() -> host.names().contains("failover_completed")
        && host.lastIndexOf("probe") > host.lastIndexOf("hook_timed_out") + 4);

    // The probes from the hook's start on (a start-up under load may be late before it).
    Instant started = Instant.parse(host.named("hook_started").get(0).get("@timestamp").asText());
    List<Instant> probes = host.named("probe").stream()
        .map(p -> Instant.parse(p.get("decided_at").asText()))
        .filter(at -> !at.isBefore(started.minus(INTERVAL))).toList();
    long largestGapMs = 0;
    for (int i = 1; i < probes.size(); i++) {
      largestGapMs = Math.max(largestGapMs,
          Duration.between(probes.get(i - 1), probes.get(i)).toMillis());
    }
    JsonNode timedOut = host.named("hook_timed_out").get(0);
    System.out.printf("issue 28 hook timeout: largest probe gap %d ms (interval %d ms), %d"
            + " probes; hook killed after %d ms (timeout %d ms), its group gone %d ms after"
            + " it started (%d ms after hook_timed_out was logged)%n", largestGapMs,
        INTERVAL.toMillis(), probes.size(), timedOut.get("duration_ms").asLong(),
        TIMEOUT.toMillis(), goneMs, afterKillMs);
    List<String> names = host.names();
    assertThat(names.subList(names.indexOf("hook_started"), names.size()))
        .as("no probe late while the hook hung").doesNotContain("probe_late");
    assertThat(timedOut.get("hook").asText()).isEqualTo("notify");
    assertThat(timedOut.get("for_event").asText()).isEqualTo("failover");
    assertThat(host.stderrText()).doesNotContain(PASSWORD).doesNotContain(DD_KEY);
  }
}
