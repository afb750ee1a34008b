package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.FakeCloud;
import org.regionfailover.SupervisordFixture;

/**
 * Issue 26, acceptance: a reload with an invalid value is {@code reload_rejected} naming
 * the file, the line and the setting, the process stays up and {@code /status} shows the
 * old settings; then 100 SIGHUPs within one second with a corrected file: the process up,
 * at most 2 reloads, and one {@code reload_applied} for the one new content. Run as an
 * operator runs it ({@code bin/region-failover --config FILE}), with a real supervisord.
 */
class Issue26ReloadRejectedIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> RELOADS =
      Set.of("reload_applied", "reload_unchanged", "reload_rejected");
  /** The line of {@code FAILOVER_INTERVAL} in {@link #settings}. */
  private static final int INTERVAL_LINE = 11;

  @TempDir Path dir;
  SupervisordFixture supervisord;
  FakeCloud cloud;
  ChildHost host;
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stopAll() throws Exception {
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

  private String settings(String interval, String budget) {
    return String.join("\n",
        "# process-wide",
        "SUPERVISOR_SERVER_URL=" + supervisord.url(),
        "SUPERVISOR_TIMEOUT=20s",
        "FAILOVER_LISTEN=127.0.0.1:0",
        "# the set",
        "EXT_CLOUD_FAILOVER_LIST=" + FakeCloud.EU_NAM_APAC,
        "FAILOVER_REGION=EU",
        "CONNECTION_KEEPALIVE_ORG_ID=org",
        "EXT_CLOUD_LOOKUP_URL=" + cloud.chainUrl(),
        "EXT_CLOUD_ENV_FILE=" + supervisord.envFile(),
        "FAILOVER_INTERVAL=" + interval,
        "FAILOVER_OUTAGE_THRESHOLD=3s",
        "FAILOVER_PROBE_TIMEOUT=250ms",
        "FAILOVER_MAX_TRANSITIONS=" + budget,
        "EXT_CLOUD_REGION_PROBE=none",
        "FAILOVER_FAILBACK=off", "");
  }

  private long reloads() {
    return host.names().stream().filter(RELOADS::contains).count();
  }

  private JsonNode status(URI base) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/status")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void invalidValueIsRejectedAndNothingChanges_thenABurstOf100ReloadsAtMostTwice()
      throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.writeRegion("EU");
    supervisord.start();
    cloud = new FakeCloud();
    Path file = dir.resolve("region-failover.env");
    Issue26ReloadThresholdIT.write(file, settings("500ms", "3/1h"));
    host = new ChildHost("host", List.of("--config", file.toString()), Map.of(),
        dir.resolve("stderr.log"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(host.count("stack_started"))
        .as(() -> host.names() + "\n" + host.stderrTail()).isOne());
    URI base = URI.create(host.named("listening").get(0).get("url").asText());
    JsonNode before = status(base);
    assertThat(before.get("budget").get("max").asInt()).isEqualTo(3);
    assertThat(before.get("budget").get("window_s").asLong()).isEqualTo(3600);

    // A change of the budget, and on line 11 an interval that is no duration.
    Issue26ReloadThresholdIT.write(file, settings("fast", "7/2h"));
    host.signal("HUP");
    await().atMost(WAIT).untilAsserted(() -> assertThat(host.count("reload_rejected"))
        .as(() -> host.names() + "\n" + host.stderrTail()).isOne());
    String reason = host.named("reload_rejected").get(0).get("reason").asText();
    System.out.println("reload_rejected: " + reason);
    assertThat(reason).contains(file + ":" + INTERVAL_LINE).contains("FAILOVER_INTERVAL")
        .contains("fast");
    int rejectedAt = host.lastIndexOf("reload_rejected");
    // Still probing on the running rules after the rejection; 5 probes (2 s and more) let
    // the reloads' merging gap (1 s) end, so the burst's first signal reloads at once and
    // the others arrive while it runs or during the gap after it.
    await().atMost(WAIT).until(() ->
        Issue26ReloadThresholdIT.probesAfter(host, rejectedAt).size() >= 5);
    assertThat(host.process.isAlive()).isTrue();
    JsonNode after = status(base);
    assertThat(after.get("budget").get("max").asInt()).as("the old budget still shown")
        .isEqualTo(3);
    assertThat(after.get("budget").get("window_s").asLong()).isEqualTo(3600);
    assertThat(host.count("reload_applied")).isZero();

    // The file fixed with a new content; 100 SIGHUPs as fast as a shell sends them.
    Issue26ReloadThresholdIT.write(file, settings("500ms", "7/2h"));
    long beforeBurst = reloads();
    int namesBefore = host.names().size();
    // /bin/kill, not the shell's builtin: 100 builtin kills take microseconds and the
    // kernel merges them into one pending SIGHUP before the JVM sees any; one process per
    // signal spreads them over a tenth of a second or so, and most reach the JVM.
    long burstStart = System.nanoTime();
    Process burst = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 100 ]; do /bin/kill"
        + " -HUP " + host.process.pid() + "; i=$((i+1)); done").inheritIO().start();
    assertThat(burst.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Duration burstTook = Duration.ofNanos(System.nanoTime() - burstStart);
    assertThat(burst.exitValue()).as("every kill reached the process").isZero();
    await().atMost(WAIT).until(() -> reloads() > beforeBurst);
    // A second reload may follow one gap (1 s) after the first: wait until none comes for
    // longer than that.
    long[] last = {-1};
    await().atMost(WAIT).pollInterval(Duration.ofSeconds(3)).until(() -> {
      long now = reloads();
      boolean settled = now == last[0];
      last[0] = now;
      return settled;
    });
    List<JsonNode> burstReloads = host.events().subList(namesBefore, host.events().size())
        .stream().filter(e -> RELOADS.contains(e.get("event").asText())).toList();
    System.out.printf("100 SIGHUPs sent in %s: %d reloads %s, merging %s requests%n",
        burstTook, burstReloads.size(), burstReloads.stream().map(e -> e.get("event").asText()).toList(),
        burstReloads.stream().map(e -> e.get("requests").asInt()).toList());
    assertThat(burstReloads).as("reloads for 100 SIGHUPs").hasSizeBetween(1, 2);
    assertThat(burstReloads.get(0).get("event").asText()).isEqualTo("reload_applied");
    assertThat(burstReloads.subList(1, burstReloads.size()))
        .as("a second reload of the same content changes nothing")
        .allMatch(e -> e.get("event").asText().equals("reload_unchanged"));
    JsonNode applied = burstReloads.get(0);
    assertThat(StreamSupport.stream(applied.get("changed").spliterator(), false)
        .map(c -> tuple(c.get("setting").asText(), c.get("old").asText(),
            c.get("new").asText())).toList())
        .as(applied.toString())
        .containsExactly(tuple("FAILOVER_MAX_TRANSITIONS", "3/1h", "7/2h"));
    // The kernel may still merge a few signals sent while one is pending; several must have
    // reached the process, or the burst tested nothing.
    assertThat(burstReloads.stream().mapToInt(e -> e.get("requests").asInt()).sum())
        .as("the signals that reached the process, merged").isBetween(2, 100);
    assertThat(host.process.isAlive()).isTrue();
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode now = status(base);
      assertThat(now.get("budget").get("max").asInt()).as("the new budget shown").isEqualTo(7);
      assertThat(now.get("budget").get("window_s").asLong()).isEqualTo(7200);
    });

    host.process.destroy();
    assertThat(host.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(host.process.exitValue()).as("a clean stop after all that").isZero();
  }
}
