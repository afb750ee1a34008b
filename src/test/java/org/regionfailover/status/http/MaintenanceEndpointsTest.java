package org.regionfailover.status.http;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.FakeTicker;
import org.regionfailover.config.MaintenanceFile;
import org.regionfailover.config.MaintenanceWindow;
import org.regionfailover.loop.MaintenanceCalendar;

/** POST /maintenance and DELETE /maintenance/ID over real HTTP, with the file they keep. */
class MaintenanceEndpointsTest {
  private static final String PASSWORD = "correct horse";
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

  @TempDir Path dir;
  private Served served;
  private MaintenanceCalendar calendar;
  private final List<List<MaintenanceWindow>> published = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Path file = dir.resolve("htpasswd");
    Files.writeString(file, "alice:" + new String(BCrypt.with(BCrypt.Version.VERSION_2Y)
        .hashToChar(4, PASSWORD.toCharArray())) + "\n");
    PasswordCheck passwords = new PasswordCheck(Htpasswd.read(file, "--htpasswd"),
        Duration.ZERO);
    calendar = new MaintenanceCalendar(dir.resolve("maintenance"), List.of("EU", "NAM"));
    calendar.subscribe(published::add);
    Routes routes = new MaintenanceEndpoints(calendar, Clock.fixed(NOW, ZoneOffset.UTC))
        .register(Routes.builder()).build();
    served = new Served(routes, log -> new PostGuard(passwords,
        new FailureLimiter(new FakeTicker()), log));
  }

  @AfterEach
  void stop() {
    served.close();
  }

  private HttpResponse<String> send(String method, String pathAndQuery, String password)
      throws Exception {
    return served.send(served.request(pathAndQuery).header("Authorization", "Basic "
        + Base64.getEncoder().encodeToString(("alice:" + password)
            .getBytes(StandardCharsets.UTF_8)))
        .method(method, HttpRequest.BodyPublishers.noBody()));
  }

  @Test
  void aWindowPostedIsWrittenToTheFileAndPublished_thenDeletedByItsId() throws Exception {
    HttpResponse<String> r = send("POST", "/maintenance?region=eu&start=2026-12-01T02:00Z"
        + "&for=2h&reason=cloud%20maintenance", PASSWORD);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    MaintenanceWindow w = new MaintenanceWindow("EU", Instant.parse("2026-12-01T02:00:00Z"),
        Duration.ofHours(2), "cloud maintenance");
    assertThat(r.body()).contains("\"id\":\"" + w.id() + "\"", "\"outcome\":\"scheduled\"");
    assertThat(MaintenanceFile.read(dir.resolve("maintenance"), List.of("EU", "NAM")))
        .containsExactly(w);
    assertThat(published).last().isEqualTo(List.of(w));
    assertThat(send("POST", "/maintenance?region=EU&start=2026-12-01T03:00%2B01:00&for=2h"
        + "&reason=cloud%20maintenance", PASSWORD).statusCode()).isEqualTo(200);

    HttpResponse<String> gone = send("DELETE", "/maintenance/" + w.id(), PASSWORD);

    assertThat(gone.statusCode()).as(gone.body()).isEqualTo(200);
    assertThat(MaintenanceFile.read(dir.resolve("maintenance"), List.of("EU"))).isEmpty();
    assertThat(published).last().isEqualTo(List.of());
    assertThat(send("DELETE", "/maintenance/" + w.id(), PASSWORD).statusCode()).isEqualTo(404);
  }

  @Test
  void badInputIs400WithWhatIsAllowed_andNothingIsWritten() throws Exception {
    assertThat(send("POST", "/maintenance?region=EU&start=2026-12-01T02:00&for=2h&reason=x",
        PASSWORD)).satisfies(r -> {
          assertThat(r.statusCode()).isEqualTo(400);
          assertThat(r.body()).contains("has no offset", "2026-12-01T02:00Z");
        });
    assertThat(send("POST", "/maintenance?region=MARS&start=2026-12-01T02:00Z&for=2h&reason=x",
        PASSWORD).body()).contains("expected one of EU, NAM");
    assertThat(send("POST", "/maintenance?region=EU&start=2026-12-01T02:00Z&for=0s&reason=x",
        PASSWORD).statusCode()).isEqualTo(400);
    assertThat(send("POST", "/maintenance?region=EU&start=2026-12-01T02:00Z&for=2h",
        PASSWORD).body()).contains("reason: required");
    assertThat(send("POST", "/maintenance?region=EU&start=2026-11-30T02:00Z&for=2h&reason=x",
        PASSWORD).body()).contains("before now");
    assertThat(Files.exists(dir.resolve("maintenance"))).isFalse();
  }

  @Test
  void withoutTheRightPasswordNothingChanges() throws Exception {
    assertThat(send("POST", "/maintenance?region=EU&start=2026-12-01T02:00Z&for=2h&reason=x",
        "wrong").statusCode()).isEqualTo(401);
    assertThat(send("DELETE", "/maintenance/abc", "wrong").statusCode()).isEqualTo(401);
    assertThat(Files.exists(dir.resolve("maintenance"))).isFalse();
  }
}
