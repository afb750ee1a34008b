package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.FakeCloud;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.act.envfile.EnvFileLock;
import org.regionfailover.config.ReloadOutcome;
import org.regionfailover.report.Event;

/**
 * Issue 26, acceptance: a reload adds a failover set (started as at start-up: its env file
 * locked, its stack started, its probes running, listed by {@code /status}) or removes one
 * (its probes stop, its programs are left running as a stop leaves them, its lock is
 * released); a set file with a bad value is {@code reload_rejected} and changes nothing.
 * The production command line in-process with {@code --config} and a real supervisord
 * (groups {@code a:} and {@code b:}); its reloads are asked as SIGHUP asks them.
 */
class Issue26ReloadSetsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  SupervisordFixture supervisord;
  FakeCloud cloudA;
  FakeCloud cloudB;
  CliRun run;
  final ReloadRequests reloads = new ReloadRequests();
  final HttpClient http = HttpClient.newHttpClient();
  Path sets;

  @AfterEach
  void stopAll() throws Exception {
    if (run != null) {
      run.close();
    }
    if (supervisord != null) {
      supervisord.close();
    }
    if (cloudA != null) {
      cloudA.close();
    }
    if (cloudB != null) {
      cloudB.close();
    }
  }

  private Path mainFile() throws Exception {
    Path conf = Files.createDirectories(dir.resolve("etc"));
    sets = Files.createDirectories(conf.resolve("sets.d"));
    Files.writeString(conf.resolve("region-failover.env"), String.join("\n",
        "# process-wide",
        "SUPERVISOR_SERVER_URL=" + supervisord.url(),
        "SUPERVISOR_TIMEOUT=20s",
        "FAILOVER_LISTEN=127.0.0.1:0",
        "# defaults of every set",
        "EXT_CLOUD_FAILOVER_LIST=" + FakeCloud.EU_NAM_APAC,
        "FAILOVER_REGION=EU",
        "CONNECTION_KEEPALIVE_ORG_ID=org",
        "FAILOVER_INTERVAL=250ms",
        "FAILOVER_OUTAGE_THRESHOLD=2s",
        "FAILOVER_PROBE_TIMEOUT=200ms",
        "EXT_CLOUD_REGION_PROBE=none",
        "FAILOVER_FAILBACK=off", ""));
    return conf.resolve("region-failover.env");
  }

  private String set(String name, FakeCloud cloud) {
    return String.join("\n",
        "EXT_CLOUD_LOOKUP_URL=" + cloud.chainUrl(),
        "EXT_CLOUD_ENV_FILE=" + envFile(name),
        "FAILOVER_PROGRAMS=" + SupervisordFixture.programsOf(name), "");
  }

  private Path envFile(String set) {
    return dir.resolve(set).resolve("ext_cloud.env");
  }

  /** Asks for a reload as a SIGHUP does; its outcome once done. */
  private ReloadOutcome reload() throws Exception {
    CompletableFuture<ReloadOutcome> outcome = reloads.request(ReloadRequests.Trigger.signal());
    await().atMost(WAIT).until(outcome::isDone);
    return outcome.get();
  }

  private List<Event> of(String set, String name) {
    return run.events.named(name).stream()
        .filter(e -> set.equals(e.fields().get("set"))).toList();
  }

  /** The events after the last one named {@code name}. */
  private List<Event> after(String name) {
    List<Event> all = run.events.events();
    int at = run.events.names().lastIndexOf(name);
    return all.subList(at + 1, all.size());
  }

  private long probesOfAfter(String set, String name) {
    return after(name).stream()
        .filter(e -> e.name().equals("probe") && set.equals(e.fields().get("set"))).count();
  }

  private List<String> statusSets(URI base) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/status")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return StreamSupport.stream(JSON.readTree(r.body()).get("sets").spliterator(), false)
        .map(s -> s.get("set").asText()).toList();
  }

  private String metrics(URI base) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private String describe() {
    return "events " + run.events.names() + "; stderr " + run.stderr();
  }

  @Test
  void reloadAddsASet_thenRemovesOne_andRefusesABadSetFile() throws Exception {
    supervisord = SupervisordFixture.sets(dir, "a", "b");
    supervisord.start();
    cloudA = new FakeCloud();
    cloudB = new FakeCloud();
    Path main = mainFile();
    Files.writeString(sets.resolve("a.env"), set("a", cloudA));
    run = new CliRun(Map.of(), List.of("--config", main.toString()), reloads);
    await().atMost(WAIT).untilAsserted(() -> assertThat(of("a", "stack_started"))
        .as(this::describe).hasSize(1));
    await().atMost(WAIT).until(() -> of("a", "probe").size() >= 2);
    URI base = URI.create(String.valueOf(run.events.named("listening").get(0).fields()
        .get("url")));
    assertThat(statusSets(base)).containsExactly("a");
    assertThat(supervisord.records("b")).as("b's stack not started").isEmpty();

    // Add b.
    Files.writeString(sets.resolve("b.env"), set("b", cloudB));
    ReloadOutcome added = reload();
    assertThat(added.kind()).as(added + "; " + describe())
        .isEqualTo(ReloadOutcome.Kind.APPLIED);
    assertThat(added.setsAdded()).containsExactly("b");
    assertThat(of("b", "set_added")).hasSize(1);
    Event applied = run.events.named("reload_applied").get(0);
    assertThat(applied.fields().get("sets_added")).isEqualTo(List.of("b"));
    assertThat(applied.fields().get("sets_removed")).isEqualTo(List.of());
    await().atMost(WAIT).untilAsserted(() -> assertThat(of("b", "stack_started"))
        .as(this::describe).hasSize(1));
    await().atMost(WAIT).until(() -> supervisord.records("b").size() == 2);
    assertThat(supervisord.records("b")).allMatch(r -> r.startsWith("EU "));
    await().atMost(WAIT).until(() -> of("b", "probe").size() >= 2);
    assertThat(of("b", "probe")).allMatch(p -> p.fields().get("region").equals("EU"));
    assertThat(statusSets(base)).containsExactly("a", "b");
    assertThat(metrics(base)).contains("region_failover_budget_max{set=\"a\"}")
        .contains("region_failover_budget_max{set=\"b\"}");
    assertThat(EnvFileLock.holder(envFile("b")))
        .as("b's env file locked by this process")
        .isEqualTo(OptionalLong.of(ProcessHandle.current().pid()));
    List<String> aStarts = supervisord.records("a");
    assertThat(aStarts).as("a's stack started once, at start-up").hasSize(2);

    // Remove a.
    int aPid = supervisord.client().getProcessInfo("a:a-app").pid();
    Files.delete(sets.resolve("a.env"));
    ReloadOutcome removed = reload();
    assertThat(removed.kind()).as(removed + "; " + describe())
        .isEqualTo(ReloadOutcome.Kind.APPLIED);
    assertThat(removed.setsRemoved()).containsExactly("a");
    assertThat(of("a", "set_removed")).as(this::describe).hasSize(1);
    Event appliedRemoval = run.events.named("reload_applied").get(1);
    assertThat(appliedRemoval.fields().get("sets_removed")).isEqualTo(List.of("a"));
    // b runs on: 8 of its probes (2 s) after a's removal, none of a's.
    await().atMost(WAIT).until(() -> probesOfAfter("b", "set_removed") >= 8);
    assertThat(probesOfAfter("a", "set_removed")).as("a's probes stopped").isZero();
    assertThat(statusSets(base)).containsExactly("b");
    assertThat(metrics(base)).as("a's series gone").doesNotContain("set=\"a\"")
        .contains("region_failover_budget_max{set=\"b\"}");
    for (String program : List.of("a:a-tunnel", "a:a-app")) {
      assertThat(supervisord.client().getProcessInfo(program).statename())
          .as("%s left running", program).isEqualTo("RUNNING");
    }
    assertThat(supervisord.client().getProcessInfo("a:a-app").pid())
        .as("a's application never restarted").isEqualTo(aPid);
    assertThat(supervisord.records("a")).isEqualTo(aStarts);
    assertThat(EnvFileLock.holder(envFile("a"))).as("a's lock released").isEmpty();
    try (EnvFileLock lock = EnvFileLock.acquire(envFile("a"), 1)) {
      assertThat(lock.file()).exists();
    }

    // A set file with a bad value: rejected, nothing changes.
    List<String> bStarts = supervisord.records("b");
    Files.writeString(sets.resolve("c.env"), String.join("\n",
        "EXT_CLOUD_LOOKUP_URL=" + cloudA.chainUrl(),
        "EXT_CLOUD_ENV_FILE=" + envFile("a"),
        "FAILOVER_PROGRAMS=" + SupervisordFixture.programsOf("a"),
        "FAILOVER_INTERVAL=fast", ""));
    ReloadOutcome rejected = reload();
    assertThat(rejected.kind()).as(rejected + "; " + describe())
        .isEqualTo(ReloadOutcome.Kind.REJECTED);
    String reason = String.valueOf(run.events.named("reload_rejected").get(0).fields()
        .get("reason"));
    System.out.println("reload_rejected: " + reason);
    assertThat(reason).contains(sets.resolve("c.env") + ":4").contains("FAILOVER_INTERVAL")
        .contains("fast");
    assertThat(run.events.names()).doesNotContain("startup_failed");
    assertThat(run.events.named("set_added")).hasSize(1);
    await().atMost(WAIT).until(() -> probesOfAfter("b", "reload_rejected") >= 4);
    assertThat(after("reload_rejected")).as("no set c")
        .noneMatch(e -> "c".equals(e.fields().get("set")));
    assertThat(probesOfAfter("a", "reload_rejected")).isZero();
    assertThat(statusSets(base)).containsExactly("b");
    assertThat(EnvFileLock.holder(envFile("a"))).as("a's env file still free").isEmpty();
    assertThat(supervisord.records("b")).as("b never restarted").isEqualTo(bStarts);
    assertThat(of("b", "failover")).isEmpty();
    assertThat(run.isRunning()).isTrue();

    // a back, its stack still running: adopted as at start-up, no program restarted.
    Files.delete(sets.resolve("c.env"));
    Files.writeString(sets.resolve("a.env"), set("a", cloudA));
    ReloadOutcome readded = reload();
    assertThat(readded.kind()).as(readded + "; " + describe())
        .isEqualTo(ReloadOutcome.Kind.APPLIED);
    assertThat(readded.setsAdded()).containsExactly("a");
    assertThat(of("a", "set_added")).as(this::describe).hasSize(1);
    await().atMost(WAIT).until(() -> probesOfAfter("a", "set_added") >= 4);
    assertThat(statusSets(base)).containsExactly("a", "b");
    assertThat(metrics(base)).as("a's series back")
        .contains("region_failover_budget_max{set=\"a\"}");
    assertThat(EnvFileLock.holder(envFile("a"))).as("a's env file locked again")
        .isEqualTo(OptionalLong.of(ProcessHandle.current().pid()));
    assertThat(supervisord.records("a")).as("a's running stack adopted, not restarted")
        .isEqualTo(aStarts);
    assertThat(supervisord.client().getProcessInfo("a:a-app").pid()).isEqualTo(aPid);
    assertThat(supervisord.records("b")).isEqualTo(bStarts);

    assertThat(run.stop()).isZero();
    assertThat(of("b", "shutdown")).hasSize(1);
    assertThat(of("a", "shutdown")).as("a stopped by its removal, then by the stop")
        .hasSize(2);
  }

  /**
   * A set's file renamed: one reload removes the old name and adds the new one on the same
   * env file and programs. The lock passes from one to the other (it was refused as held
   * by "another process", this one); the stack, running, is adopted.
   */
  @Test
  void renamingASetFile_handsItsStackToTheNewName() throws Exception {
    supervisord = SupervisordFixture.sets(dir, "a", "b");
    supervisord.start();
    cloudA = new FakeCloud();
    Path main = mainFile();
    Files.writeString(sets.resolve("a.env"), set("a", cloudA));
    run = new CliRun(Map.of(), List.of("--config", main.toString()), reloads);
    await().atMost(WAIT).untilAsserted(() -> assertThat(of("a", "stack_started"))
        .as(this::describe).hasSize(1));
    List<String> aStarts = supervisord.records("a");
    int aPid = supervisord.client().getProcessInfo("a:a-app").pid();

    // The operator renames the set's file: the same env file and programs, a new name.
    Files.move(sets.resolve("a.env"), sets.resolve("payments.env"));
    ReloadOutcome renamed = reload();
    assertThat(renamed.kind()).as(renamed + "; " + describe())
        .isEqualTo(ReloadOutcome.Kind.APPLIED);
    assertThat(renamed.setsRemoved()).containsExactly("a");
    assertThat(renamed.setsAdded()).containsExactly("payments");
    await().atMost(WAIT).until(() -> probesOfAfter("payments", "set_added") >= 4);
    assertThat(probesOfAfter("a", "set_added")).isZero();
    assertThat(of("a", "set_removed")).hasSize(1);
    assertThat(statusSets(URI.create(String.valueOf(run.events.named("listening").get(0)
        .fields().get("url"))))).containsExactly("payments");
    assertThat(EnvFileLock.holder(envFile("a"))).as("the env file locked by the new set")
        .isEqualTo(OptionalLong.of(ProcessHandle.current().pid()));
    assertThat(supervisord.records("a")).as("the stack adopted, not restarted")
        .isEqualTo(aStarts);
    assertThat(supervisord.client().getProcessInfo("a:a-app").pid()).isEqualTo(aPid);
    assertThat(run.stop()).isZero();
  }
}
