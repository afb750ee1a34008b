package org.regionfailover.act.supervisord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.regionfailover.Regions.EU;
import static org.regionfailover.Regions.NAM;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.act.supervisord.xmlrpc.EndpointUnreachableException;
import org.regionfailover.report.Event;
import org.regionfailover.time.Ticker;
import org.regionfailover.act.ActionException;

/** SupervisordRestart against a real supervisord: order, env pick-up, failures, recovery. */
class SupervisordRestartIT {
  private static final String PASSWORD = "s3cr3t-Pa55word";

  @TempDir Path dir;
  private final RecordingEventLog events = new RecordingEventLog();
  private SupervisordFixture supervisord;

  @AfterEach
  void stopSupervisord() throws Exception {
    if (supervisord != null) {
      supervisord.close();
    }
  }

  private SupervisordRestart restart(SupervisorClient client) {
    return new SupervisordRestart(client, SupervisordRestart.DEFAULT_PROGRAMS, events, Ticker.system());
  }

  private List<Object> field(String event, String key) {
    return events.named(event).stream().map(e -> e.fields().get(key)).toList();
  }

  private void assertRestartedIntoEu() throws Exception {
    SupervisordRestart restart = restart(supervisord.client());
    restart.ensureRunning(NAM);
    supervisord.writeRegion("EU");
    int before = events.events().size();
    restart.apply(EU);

    List<String> names = events.names().subList(before, events.events().size());
    assertThat(names).containsExactly("restart_started",
        "program_stopped", "program_stopped", "program_stopped",
        "program_started", "program_started", "program_started", "restart_completed");
    assertThat(field("program_stopped", "program"))
        .containsExactly("app:application", "app:cloud-client", "app:stunnel");
    assertThat(field("program_started", "program").subList(3, 6))
        .containsExactly("app:stunnel", "app:cloud-client", "app:application");
    // Each program was started twice (ensureRunning, then the restart) and read the env file each time.
    List<String> records = supervisord.records();
    assertThat(records).hasSize(6);
    assertThat(records.subList(0, 3)).allMatch(l -> l.startsWith("NAM "));
    assertThat(records.subList(3, 6)).extracting(l -> l.split(" ")[0] + " " + l.split(" ")[2])
        .containsExactly("EU stunnel", "EU cloud-client", "EU application");
    // The pid supervisord reports is the one the program recorded: it is the process we started.
    List<Object> pids = field("program_started", "pid").subList(3, 6);
    assertThat(records.subList(3, 6)).extracting(l -> (Object) Integer.parseInt(l.split(" ")[1]))
        .containsExactlyElementsOf(pids);
    Event done = events.named("restart_completed").get(0);
    assertThat(done.fields()).containsEntry("region", "EU");
    long millis = (Long) done.fields().get("duration_ms");
    System.out.println("three-program restart took " + millis + " ms over " + supervisord.url());
    assertThat(millis).isGreaterThanOrEqualTo(3000); // three startsecs=1 waits, one after another
  }

  @Test
  void apply_overUnixSocket_stopsInReverseAndStartsInOrderWithNewRegion() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    assertRestartedIntoEu();
  }

  @Test
  void apply_overHttpWithBasicAuth_stopsInReverseAndStartsInOrderWithNewRegion() throws Exception {
    supervisord = SupervisordFixture.inetHttp(dir, PASSWORD);
    supervisord.start();
    assertRestartedIntoEu();
  }

  @Test
  void apply_twice_isIdempotent() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    SupervisordRestart restart = restart(supervisord.client());
    restart.apply(NAM); // from all-stopped: every stop meets NOT_RUNNING
    restart.apply(NAM);
    assertThat(field("program_stopped", "was_running")).containsExactly(false, false, false, true, true, true);
    assertThat(supervisord.client().getAllProcessInfo()).allMatch(ProcessInfo::isRunning);
  }

  @Test
  void apply_programExitsAtOnce_failsNamingProgramFaultAndSpawnerr() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir).failing("application");
    supervisord.start();
    SupervisordRestart restart = restart(supervisord.client());

    assertThatThrownBy(() -> restart.apply(EU))
        .isInstanceOf(ActionException.class)
        .hasMessageContaining("app:application");
    Event failed = events.named("restart_failed").get(0);
    assertThat(failed.level()).isEqualTo(Event.Level.ERROR);
    assertThat(failed.fields()).containsEntry("region", "EU").containsEntry("program", "app:application");
    assertThat((String) failed.fields().get("fault")).isIn("SPAWN_ERROR", "ABNORMAL_TERMINATION", "FATAL");
    // What supervisord writes in spawnerr ("Exited too quickly", "Bad exit code 3") depends
    // on timing; what we control is that the failure names the program and a non-RUNNING state.
    assertThat((String) failed.fields().get("statename")).isNotBlank().isNotEqualTo("RUNNING");
    assertThat(events.named("restart_completed")).isEmpty();
    assertThat(field("program_started", "program")).containsExactly("app:stunnel", "app:cloud-client");
  }

  @Test
  void apply_wrongPassword_failsWithoutRevealingIt() throws Exception {
    supervisord = SupervisordFixture.inetHttp(dir, PASSWORD);
    supervisord.start();
    String wrong = "wrong-" + PASSWORD;
    SupervisordRestart restart = restart(supervisord.client(wrong));

    Throwable thrown = org.junit.jupiter.api.Assertions.assertThrows(ActionException.class, () -> restart.apply(EU));
    assertThat(thrown).hasMessageContaining("rejected the credentials");
    assertThat(events.named("restart_failed").get(0).fields()).containsEntry("fault", "CREDENTIALS_REJECTED");
    assertThat(Secrets.everyText(thrown) + events.events()).doesNotContain(PASSWORD);
  }

  @Test
  void apply_supervisordCrashesMidRestart_failsUnreachableThenRecovers() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    SupervisordRestart restart = restart(supervisord.client());
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread act = new Thread(() -> {
      try {
        restart.apply(EU);
        outcome.set(new AssertionError("apply succeeded although supervisord was killed"));
      } catch (Throwable t) {
        outcome.set(t);
      }
    });
    act.start();
    await("the first program to start").atMost(Duration.ofSeconds(20)).ignoreExceptions()
        .until(() -> !events.named("program_started").isEmpty());
    supervisord.crash();
    act.join(30_000);

    assertThat(outcome.get()).isInstanceOf(ActionException.class)
        .hasMessageContaining("supervisord is unreachable at " + supervisord.url())
        .hasRootCauseInstanceOf(java.io.IOException.class);
    assertThat(outcome.get().getCause().getCause()).isInstanceOf(EndpointUnreachableException.class);
    assertThat(events.named("restart_failed").get(0).fields()).containsEntry("fault", "UNREACHABLE");

    supervisord.start();
    restart.apply(EU);
    assertThat(events.named("restart_completed")).hasSize(1);
  }

  @Test
  void apply_interruptedBetweenPrograms_finishesCurrentAndReportsTheRest() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    SupervisordRestart restart = restart(supervisord.client());
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread act = new Thread(() -> {
      try {
        restart.apply(EU);
      } catch (Throwable t) {
        outcome.set(t);
      }
    });
    act.start();
    // startProcess waits startsecs=1 inside supervisord, so the interrupt lands mid-call.
    await("stunnel to be starting").atMost(Duration.ofSeconds(20)).ignoreExceptions()
        .until(() -> !supervisord.records().isEmpty());
    act.interrupt();
    act.join(30_000);

    assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
    // The program in hand was finished: started and confirmed RUNNING, then nothing more.
    assertThat(field("program_started", "program")).containsExactly("app:stunnel");
    Event interrupted = events.named("restart_interrupted").get(0);
    assertThat(interrupted.fields().get("completed")).isEqualTo(List.of(
        "stop app:application", "stop app:cloud-client", "stop app:stunnel", "start app:stunnel"));
    assertThat(interrupted.fields().get("not_run")).isEqualTo(List.of(
        "start app:cloud-client", "start app:application"));
    assertThat(supervisord.client().getProcessInfo("app:stunnel").isRunning()).isTrue();
    assertThat(supervisord.client().getProcessInfo("app:cloud-client").statename()).isEqualTo("STOPPED");
  }
}
