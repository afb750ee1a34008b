package org.regionfailover.act.supervisord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.SupervisordFixture;

/** SupervisordPreflight against a real supervisord: each start-up problem gets its own exception. */
class SupervisordPreflightIT {
  private static final String PASSWORD = "pre-fl1ght-Secret";

  @TempDir Path dir;
  private SupervisordFixture supervisord;

  @AfterEach
  void stopSupervisord() throws Exception {
    if (supervisord != null) {
      supervisord.close();
    }
  }

  @Test
  void check_allProgramsKnown_returnsTheirStates() throws Exception {
    supervisord = SupervisordFixture.inetHttp(dir, PASSWORD);
    supervisord.start();
    List<ProcessInfo> infos =
        new SupervisordPreflight(supervisord.client(), SupervisordRestart.DEFAULT_PROGRAMS).check();
    assertThat(infos).extracting(ProcessInfo::spec).containsExactlyElementsOf(SupervisordRestart.DEFAULT_PROGRAMS);
    assertThat(infos).extracting(ProcessInfo::statename).containsOnly("STOPPED");
  }

  @Test
  void check_unknownProgram_throwsNamingItAndTheKnownOnes() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir);
    supervisord.start();
    var preflight = new SupervisordPreflight(supervisord.client(), List.of("app:stunnel", "app:clud-client"));
    assertThatThrownBy(preflight::check)
        .isInstanceOfSatisfying(UnknownProgramException.class,
            e -> assertThat(e.program()).isEqualTo("app:clud-client"))
        .hasMessageContaining("no program 'app:clud-client' (BAD_NAME)")
        .hasMessageContaining("app:cloud-client");
  }

  @Test
  void check_wrongPassword_throwsCredentialsExceptionWithoutPassword() throws Exception {
    supervisord = SupervisordFixture.inetHttp(dir, PASSWORD);
    supervisord.start();
    String wrong = "Wr0ng-" + PASSWORD;
    var preflight = new SupervisordPreflight(supervisord.client(wrong), SupervisordRestart.DEFAULT_PROGRAMS);
    assertThatThrownBy(preflight::check)
        .isInstanceOf(SupervisordCredentialsException.class)
        .hasMessageContaining("rejected the credentials")
        .satisfies(e -> assertThat(Secrets.everyText(e)).doesNotContain(PASSWORD));
  }

  @Test
  void check_supervisordNotRunning_throwsUnavailableNamingUrl() throws Exception {
    supervisord = SupervisordFixture.unixSocket(dir); // configured but never started
    var preflight = new SupervisordPreflight(supervisord.client(), SupervisordRestart.DEFAULT_PROGRAMS);
    assertThatThrownBy(preflight::check)
        .isInstanceOf(SupervisordUnavailableException.class)
        .hasMessageContaining("supervisord is unreachable at " + supervisord.url());
  }
}
