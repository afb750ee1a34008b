package org.regionfailover.act.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.act.SwitchGate;
import org.regionfailover.config.HookSettings;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Ticker;

/** The hooks of a set with real small shell scripts: what they get, in what order, and when. */
class SetHooksTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  private final RecordingEventLog log = new RecordingEventLog();
  private final RecordingEventLog logged = new RecordingEventLog();
  private final List<SetHooks> opened = new java.util.ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(SetHooks::close);
  }

  private Path script(String name, String body) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }

  private static HookSettings settings(Path pre, Path post, Path notify, Duration timeout) {
    return new HookSettings(Optional.ofNullable(pre), Optional.ofNullable(post),
        Optional.ofNullable(notify), timeout, Optional.empty(), Optional.empty(),
        Duration.ofHours(1));
  }

  private SetHooks hooks(HookSettings s, boolean dryRun, Map<String, String> env)
      throws IOException {
    SetHooks h = SetHooks.of(s, "main", dir.resolve("ext_cloud.env"), dryRun, log,
        Clock.systemUTC(), Ticker.system(), env);
    opened.add(h);
    return h;
  }

  private static Event failover(String from, String to) {
    return Event.error("failover", "moving " + from + " -> " + to).with("region", from)
        .with("from_region", from).with("to_region", to).with("reason", "threshold").build();
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  @Test
  void aNotifyHookGetsTheContextAndTheLineAndNothingOfThisProcesssEnvironment()
      throws IOException {
    Path envOut = dir.resolve("env.txt");
    Path stdin = dir.resolve("stdin.txt");
    Path hook = script("notify", "env > " + envOut + "\ncat > " + stdin);
    Map<String, String> processEnv = new HashMap<>(System.getenv());
    processEnv.put("DD_API_KEY", "dd-secret-key");
    processEnv.put("SUPERVISOR_PASSWORD", "sv-secret");
    processEnv.put("HOME", "/home/operator");
    SetHooks h = hooks(settings(null, null, hook, Duration.ofSeconds(10)), false, processEnv);
    EventLog observed = h.observing(logged);
    h.start();
    observed.emit(failover("EU", "NAM"));

    await().atMost(WAIT).until(() -> log.names().contains("hook_completed"));
    Map<String, String> env = new HashMap<>();
    for (String line : lines(envOut)) {
      int eq = line.indexOf('=');
      env.put(line.substring(0, eq), line.substring(eq + 1));
    }
    assertThat(env).containsEntry("RF_EVENT", "failover").containsEntry("RF_SEQ", "1")
        .containsEntry("RF_SET", "main").containsEntry("RF_REGION", "EU")
        .containsEntry("RF_FROM", "EU").containsEntry("RF_TO", "NAM")
        .containsEntry("RF_REASON", "threshold").containsEntry("PATH", HookProcess.PATH)
        .containsEntry("HOME", "/home/operator").containsKey("RF_TIME").containsKey("LANG");
    // What the shell itself adds (PWD, SHLVL, _) aside, nothing else gets through.
    assertThat(env.keySet()).allMatch(k -> k.startsWith("RF_")
        || List.of("PATH", "LANG", "HOME", "PWD", "SHLVL", "_", "OLDPWD").contains(k));
    assertThat(String.join("\n", lines(envOut))).doesNotContain("dd-secret-key", "sv-secret");
    assertThat(lines(stdin)).singleElement().asString()
        .startsWith("{\"seq\":1,\"event\":\"failover\"").contains("\"set\":\"main\"")
        .contains("\"to_region\":\"NAM\"");
    assertThat(logged.names()).containsExactly("failover");
  }

  @Test
  void hooksRunOneAtATimeInTheOrderOfTheEventsAndTheNextNeverKillsOneRunning()
      throws IOException {
    Path out = dir.resolve("delivered.txt");
    // The first delivery takes its time; the ones behind it must wait, not cut it short.
    Path hook = script("notify", "if [ \"$RF_SEQ\" = 1 ]; then sleep 1; fi\n"
        + "echo \"start $RF_SEQ $RF_EVENT\" >> " + out + "\n"
        + "echo \"end $RF_SEQ $RF_EVENT\" >> " + out);
    SetHooks h = hooks(settings(null, null, hook, Duration.ofSeconds(10)), false,
        System.getenv());
    EventLog observed = h.observing(logged);
    h.start();
    List<String> names = List.of("failover", "failover_completed", "outage_ended",
        "failback", "failover_completed");
    names.forEach(n -> observed.emit(Event.warn(n, n).with("region", "EU")));
    observed.emit(Event.info("probe", "not delivered").with("region", "EU"));

    await().atMost(WAIT).until(() -> log.named("hook_completed").size() == 5);
    List<String> expected = new java.util.ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      expected.add("start " + (i + 1) + " " + names.get(i));
      expected.add("end " + (i + 1) + " " + names.get(i));
    }
    assertThat(lines(out)).containsExactlyElementsOf(expected);
    assertThat(log.names()).doesNotContain("hook_timed_out", "hook_failed");
    assertThat(h.failing()).isEmpty();
  }

  @Test
  void aRestartDeliversWhatTheLastRunLeftFirstWithTheSameNumbers() throws IOException {
    Path out = dir.resolve("delivered.txt");
    Path hook = script("notify", "echo \"$RF_SEQ $RF_EVENT\" >> " + out);
    HookSettings s = settings(null, null, hook, Duration.ofSeconds(10));
    SetHooks killed = hooks(s, false, System.getenv());
    EventLog before = killed.observing(logged);
    before.emit(failover("EU", "NAM"));
    before.emit(Event.info("failover_completed", "done").with("region", "NAM").build());
    killed.close(); // never started: as if killed before its hooks ran

    SetHooks restarted = hooks(s, false, System.getenv());
    EventLog after = restarted.observing(logged);
    restarted.start();
    after.emit(Event.warn("failback", "back").with("region", "EU").build());

    await().atMost(WAIT).until(() -> log.named("hook_completed").size() == 3);
    assertThat(lines(out)).containsExactly("1 failover", "2 failover_completed", "3 failback");
    assertThat(restarted.outbox().orElseThrow().undelivered(NotifyOutbox.Sink.HOOK)).isEmpty();
  }

  @Test
  void aPreSwitchHookThatExitsNonZeroVetoesWithItsLastLineOffTheCallersThread()
      throws Exception {
    Path hook = script("pre", "echo checking\necho \"DBA says no to $RF_TO\" >&2\nexit 1");
    SetHooks h = hooks(settings(hook, null, null, Duration.ofSeconds(10)), false,
        System.getenv());
    h.start();
    CompletableFuture<SwitchGate.Verdict> verdict = new CompletableFuture<>();
    CompletableFuture<String> thread = new CompletableFuture<>();
    h.gate().ask(failover("EU", "NAM"), v -> {
      thread.complete(Thread.currentThread().getName());
      verdict.complete(v);
    });

    SwitchGate.Verdict v = verdict.get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(v.allowed()).isFalse();
    assertThat(v.output()).isEqualTo("DBA says no to NAM");
    assertThat(v.hook()).isEqualTo(hook.toString());
    assertThat(v.timedOut()).isFalse();
    assertThat(thread.get()).isNotEqualTo(Thread.currentThread().getName()).isEqualTo("hooks-main");
    assertThat(log.named("hook_failed")).singleElement()
        .satisfies(e -> assertThat(e.fields()).containsEntry("hook", "pre_switch")
            .containsEntry("exit_code", 1).containsEntry("output", "DBA says no to NAM"));
    // A veto is the hook's answer, not a failed delivery.
    assertThat(h.failing()).isEmpty();
  }

  @Test
  void aPreSwitchHookThatExitsZeroLetsTheSwitchGo() throws Exception {
    Path hook = script("pre", "echo fine");
    SetHooks h = hooks(settings(hook, null, null, Duration.ofSeconds(10)), false,
        System.getenv());
    h.start();
    CompletableFuture<SwitchGate.Verdict> verdict = new CompletableFuture<>();
    h.gate().ask(failover("EU", "NAM"), verdict::complete);
    assertThat(verdict.get(20, java.util.concurrent.TimeUnit.SECONDS).allowed()).isTrue();
  }

  @Test
  void aHookPastItsTimeoutIsKilledWithItsWholeProcessGroupAndAPreSwitchOneVetoes()
      throws Exception {
    Path pids = dir.resolve("pids.txt");
    Path hook = script("pre", "sleep 600 &\necho \"$! $$\" > " + pids + "\necho waiting\n"
        + "sleep 600");
    SetHooks h = hooks(settings(hook, null, null, Duration.ofMillis(700)), false,
        System.getenv());
    h.start();
    CompletableFuture<SwitchGate.Verdict> verdict = new CompletableFuture<>();
    h.gate().ask(failover("EU", "NAM"), verdict::complete);

    SwitchGate.Verdict v = verdict.get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(v.allowed()).isFalse();
    assertThat(v.timedOut()).isTrue();
    assertThat(v.output()).isEqualTo("waiting");
    String[] both = Files.readString(pids).strip().split(" ");
    for (String pid : both) {
      await().atMost(WAIT).until(() -> ProcessHandle.of(Long.parseLong(pid))
          .map(p -> !p.isAlive()).orElse(true));
    }
    assertThat(log.named("hook_timed_out")).singleElement()
        .satisfies(e -> assertThat(e.fields()).containsEntry("timeout_ms", 700L));
  }

  @Test
  void aPostSwitchHookRunsAfterTheSwitchEndsAndItsFailureIsRecordedAndShown()
      throws IOException {
    Path out = dir.resolve("post.txt");
    Path hook = script("post", "echo \"$RF_EVENT $RF_REGION\" >> " + out
        + "\necho 'load balancer refused'\nexit 3");
    SetHooks h = hooks(settings(null, hook, null, Duration.ofSeconds(10)), false,
        System.getenv());
    EventLog observed = h.observing(logged);
    h.start();
    observed.emit(failover("EU", "NAM"));
    observed.emit(Event.info("failover_completed", "done").with("region", "NAM").build());

    await().atMost(WAIT).until(() -> log.names().contains("hook_failed"));
    assertThat(lines(out)).containsExactly("failover_completed NAM");
    assertThat(log.named("hook_failed").get(0).fields()).containsEntry("hook", "post_switch")
        .containsEntry("exit_code", 3).containsEntry("output", "load balancer refused");
    assertThat(h.failing()).hasValueSatisfying(why -> assertThat(why).contains("post_switch"));
    assertThat(h.outbox()).isEmpty(); // no notify sink: nothing kept
  }

  @Test
  void aDryRunRunsNoHookAndSaysWhatItWouldRun() throws Exception {
    Path ran = dir.resolve("ran.txt");
    Path notify = script("notify", "echo ran >> " + ran);
    Path pre = script("pre", "echo ran >> " + ran + "\nexit 1");
    SetHooks h = hooks(settings(pre, notify, notify, Duration.ofSeconds(10)), true,
        System.getenv());
    EventLog observed = h.observing(logged);
    h.start();
    CompletableFuture<SwitchGate.Verdict> verdict = new CompletableFuture<>();
    h.gate().ask(failover("EU", "NAM"), verdict::complete);
    observed.emit(Event.info("failover_completed", "done").with("region", "NAM").build());

    assertThat(verdict.get(20, java.util.concurrent.TimeUnit.SECONDS).allowed()).isTrue();
    await().atMost(WAIT).until(() -> log.named("hook_dry_run").size() == 3);
    assertThat(log.named("hook_dry_run")).extracting(e -> e.fields().get("hook"))
        .containsExactly("pre_switch", "post_switch", "notify");
    assertThat(ran).doesNotExist();
    assertThat(h.outbox()).isEmpty();
    assertThat(log.names()).doesNotContain("hook_started");
  }
}
