package org.regionfailover.status.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.Regions.ORDER;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.regionfailover.FakeTicker;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Operator;
import org.regionfailover.report.Event;

/**
 * The operators' commands over real HTTP: basic auth against an htpasswd file, the failure
 * limit on a fake clock, the cross-site check, and what is posted to the loop.
 */
class CommandEndpointsTest {
  private static final String PASSWORD = "correct horse";
  private static final Operator ALICE = new Operator("alice", "127.0.0.1");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final FakeTicker ticker = new FakeTicker();
  private final FakeLoop loop = new FakeLoop();
  private Served served;
  private PasswordCheck passwords;

  @BeforeEach
  void start() throws Exception {
    Path file = dir.resolve("htpasswd");
    Files.writeString(file, "alice:" + new String(BCrypt.with(BCrypt.Version.VERSION_2Y)
        .hashToChar(4, PASSWORD.toCharArray())) + "\n");
    // No wait for a check in progress: the test holding the permit gets 503 at once.
    passwords = new PasswordCheck(Htpasswd.read(file, "--htpasswd"), Duration.ZERO);
    // 200 ms for the loop's answer: only the tests of a silent loop wait for it.
    Routes routes = new CommandEndpoints(ORDER, loop, Duration.ofMillis(200))
        .register(Routes.builder()).build();
    served = new Served(routes, log -> new PostGuard(passwords, new FailureLimiter(ticker), log));
  }

  @AfterEach
  void stop() {
    served.close();
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> post(String pathAndQuery, String user, String password)
      throws Exception {
    return served.send(served.request(pathAndQuery).header("Authorization", basic(user, password))
        .POST(HttpRequest.BodyPublishers.noBody()));
  }

  private HttpResponse<String> post(String pathAndQuery) throws Exception {
    return post(pathAndQuery, "alice", PASSWORD);
  }

  @Test
  void failback_rightPassword_postsAMoveToThePreferredRegion_202Json() throws Exception {
    HttpResponse<String> r = post("/failback");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("command").asText()).isEqualTo("failback");
    assertThat(body.get("accepted").asBoolean()).isTrue();
    assertThat(body.get("outcome").asText()).isEqualTo("done");
    assertThat(body.get("user").asText()).isEqualTo("alice");
    assertThat(loop.commands).containsExactly(new Input.MoveCommand(0, false, "failback", ALICE));
  }

  @Test
  void failback_forceTrue_skipsPreflight() throws Exception {
    post("/failback?force=true");
    post("/failback?force");
    post("/failback?force=false");

    assertThat(loop.commands).extracting(c -> ((Input.MoveCommand) c).force())
        .containsExactly(true, true, false);
  }

  @Test
  void failback_forceNotABoolean_is400() throws Exception {
    HttpResponse<String> r = post("/failback?force=maybe");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("'maybe'", "true or false");
    assertThat(loop.commands).isEmpty();
  }

  @Test
  void region_knownName_anyCase_postsAMoveToItsIndex() throws Exception {
    assertThat(post("/region/apac").statusCode()).isEqualTo(202);

    assertThat(loop.commands).containsExactly(new Input.MoveCommand(2, false, "region", ALICE));
  }

  @Test
  void region_unknownName_is404NamingTheRegions() throws Exception {
    HttpResponse<String> r = post("/region/MARS");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("'MARS'", "EU, NAM, APAC");
    assertThat(loop.commands).isEmpty();
  }

  @Test
  void refusedByTheLoop_is409WithItsReason() throws Exception {
    loop.refuse("the host is already on EU");

    HttpResponse<String> r = post("/region/EU");

    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(r.body()).get("accepted").asBoolean()).isFalse();
    assertThat(JSON.readTree(r.body()).get("outcome").asText()).isEqualTo("the host is already on EU");
  }

  @Test
  void acceptTextPlain_answersInText() throws Exception {
    HttpResponse<String> r = served.send(served.request("/release")
        .header("Authorization", basic("alice", PASSWORD)).header("Accept", "text/plain")
        .POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
    assertThat(r.body()).isEqualTo("release accepted: done\n");
    assertThat(loop.commands).containsExactly(new Input.ReleaseCommand(ALICE));
  }

  @Test
  void loopDoesNotAnswer_is503SayingSo() throws Exception {
    loop.neverAnswer();

    HttpResponse<String> r = post("/release");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("no answer in 200 ms", "/status");
  }

  @Test
  void loopCannotTakeTheCommand_is503WithWhy() throws Exception {
    loop.answer = c -> CompletableFuture.failedFuture(new IllegalStateException("still starting"));

    HttpResponse<String> r = post("/release");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("still starting");
  }

  @Test
  void hold_forAndFormReason_postsAHold() throws Exception {
    HttpResponse<String> r = served.send(served.request("/hold?for=30m")
        .header("Authorization", basic("alice", PASSWORD))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("reason=cloud+maintenance%2C+ticket+42")));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(loop.commands).containsExactly(
        new Input.HoldCommand(Duration.ofMinutes(30), "cloud maintenance, ticket 42", ALICE));
  }

  @Test
  void hold_textPlainBody_isTheReason_untilReleasedWithoutFor() throws Exception {
    served.send(served.request("/hold").header("Authorization", basic("alice", PASSWORD))
        .header("Content-Type", "text/plain; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString("migrating the DB\n")));

    assertThat(loop.commands).containsExactly(new Input.HoldCommand(null, "migrating the DB", ALICE));
  }

  @Test
  void hold_reasonInTheQuery_orNone_defaultsToWhoHeld() throws Exception {
    post("/hold?reason=from%20the%20query");
    post("/hold");

    assertThat(loop.commands).extracting(c -> ((Input.HoldCommand) c).reason())
        .containsExactly("from the query", "held by alice");
  }

  @Test
  void hold_reasonWithControlCharactersAndTooLong_isCleanedAndCut() throws Exception {
    served.send(served.request("/hold").header("Authorization", basic("alice", PASSWORD))
        .header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("a\u001b[31mb\nc" + "x".repeat(300))));

    String reason = ((Input.HoldCommand) loop.commands.get(0)).reason();
    assertThat(reason).startsWith("a[31mbc").hasSize(CommandEndpoints.MAX_REASON)
        .doesNotContain("\u001b", "\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "-5m", "8d", "soon", ""})
  void hold_badFor_is400SayingWhatIsAllowed(String value) throws Exception {
    HttpResponse<String> r = post("/hold?for=" + value);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("for: '" + value + "'", "at most 7 days");
    assertThat(loop.commands).isEmpty();
  }

  @Test
  void hold_jsonBody_is415() throws Exception {
    HttpResponse<String> r = served.send(served.request("/hold")
        .header("Authorization", basic("alice", PASSWORD)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"x\"}")));

    assertThat(r.statusCode()).isEqualTo(415);
  }

  @Test
  void noCredentials_is401WithTheChallenge_notCountedAsAFailure() throws Exception {
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = served.send(served.request("/failback")
          .POST(HttpRequest.BodyPublishers.noBody()));
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate"))
          .contains("Basic realm=\"region-failover\", charset=\"UTF-8\"");
    }
    assertThat(served.events.named("auth_failed")).isEmpty();
    assertThat(post("/failback").statusCode()).isEqualTo(202);
  }

  @Test
  void wrongPassword_is401_loggedWithUserAndAddress_neverThePassword() throws Exception {
    HttpResponse<String> r = post("/failback", "alice", "hunter2-wrong");

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(loop.commands).isEmpty();
    Event e = served.events.named("auth_failed").get(0);
    assertThat(e.level()).isEqualTo(Event.Level.WARN);
    assertThat(e.fields()).containsEntry("user", "alice").containsEntry("address", "127.0.0.1")
        .containsEntry("reason", "wrong password");
    assertThat(served.events.events().toString()).doesNotContain("hunter2-wrong", "$2y$");
  }

  @Test
  void unknownUser_answersExactlyAsAWrongPassword() throws Exception {
    HttpResponse<String> unknown = post("/failback", "mallory", PASSWORD);
    HttpResponse<String> wrong = post("/failback", "alice", "nope");

    assertThat(unknown.statusCode()).isEqualTo(wrong.statusCode());
    assertThat(unknown.body()).isEqualTo(wrong.body());
    assertThat(served.events.named("auth_failed").get(0).fields())
        .containsEntry("user", "mallory").containsEntry("reason", "unknown user");
  }

  @Test
  void malformedCredentials_is401AndCounted() throws Exception {
    HttpResponse<String> r = served.send(served.request("/failback")
        .header("Authorization", "Basic !!!").POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(served.events.named("auth_failed")).singleElement()
        .satisfies(e -> assertThat(e.fields()).containsEntry("reason", "malformed basic credentials"));
  }

  @Test
  void sixthFailureWithinAMinute_is429WithRetryAfter_evenWithTheRightPassword() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(post("/failback", "alice", "wrong-" + i).statusCode()).isEqualTo(401);
      ticker.advance(Duration.ofSeconds(1));
    }

    HttpResponse<String> sixth = post("/failback", "alice", "wrong-6");
    HttpResponse<String> right = post("/failback");

    assertThat(sixth.statusCode()).isEqualTo(429);
    assertThat(sixth.headers().firstValue("Retry-After")).contains("55");
    assertThat(right.statusCode()).isEqualTo(429);
    assertThat(loop.commands).isEmpty();
    assertThat(served.events.named("auth_failed")).hasSize(5);
    assertThat(served.events.named("auth_throttled")).singleElement()
        .satisfies(e -> assertThat(e.fields()).containsEntry("address", "127.0.0.1"));

    ticker.advance(Duration.ofSeconds(55)); // the first failure is a minute old
    assertThat(post("/failback").statusCode()).isEqualTo(202);
  }

  @Test
  void oneUsersFailures_doNotLockOutAnotherFromTheSameAddress() throws Exception {
    // Everyone coming through ssh -L is 127.0.0.1: bob's wrong passwords must not lock
    // alice out.
    for (int i = 0; i < 6; i++) {
      post("/failback", "bob", "wrong-" + i);
    }

    assertThat(post("/failback", "bob", "wrong-7").statusCode()).isEqualTo(429);
    assertThat(post("/failback", "alice", PASSWORD).statusCode()).isEqualTo(202);
    assertThat(served.events.named("auth_throttled")).singleElement()
        .satisfies(e -> assertThat(e.fields()).containsEntry("address", "127.0.0.1")
            .containsEntry("user", "bob"));
  }

  @Test
  void malformedCredentials_countUnderNoUser_notAgainstAlice() throws Exception {
    for (int i = 0; i < 5; i++) {
      served.send(served.request("/failback").header("Authorization", "Basic !!!")
          .POST(HttpRequest.BodyPublishers.noBody()));
    }

    HttpResponse<String> sixth = served.send(served.request("/failback")
        .header("Authorization", "Basic !!!").POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(sixth.statusCode()).isEqualTo(429);
    assertThat(post("/failback").statusCode()).isEqualTo(202);
  }

  @Test
  void passwordCheckInProgress_is503Busy_notCountedAsAFailure() throws Exception {
    passwords.checking().acquireUninterruptibly(); // a check in progress
    try {
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> r = post("/failback");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("busy checking passwords; try again");
        assertThat(r.headers().firstValue("Retry-After")).contains("1");
      }
    } finally {
      passwords.checking().release();
    }

    assertThat(served.events.named("auth_failed")).isEmpty();
    assertThat(post("/failback").statusCode()).as("not locked out").isEqualTo(202);
    assertThat(loop.commands).hasSize(1);
  }

  @Test
  void dnsRebinding_hostAndOriginBothEvil_is421_notRun() throws Exception {
    // The Origin matches the Host, so the cross-site check alone let this through.
    String r = served.raw("POST /failback HTTP/1.1\r\nHost: evil.example:"
        + served.server.port() + "\r\nOrigin: http://evil.example:" + served.server.port()
        + "\r\nAuthorization: " + basic("alice", PASSWORD) + "\r\nContent-Length: 0");

    assertThat(r).startsWith("HTTP/1.1 421");
    assertThat(loop.commands).isEmpty();
  }

  @Test
  void crossSiteOrigin_is403_sameOriginIsFine() throws Exception {
    HttpResponse<String> cross = served.send(served.request("/failback")
        .header("Authorization", basic("alice", PASSWORD)).header("Origin", "https://evil.example")
        .POST(HttpRequest.BodyPublishers.noBody()));
    HttpResponse<String> same = served.send(served.request("/failback")
        .header("Authorization", basic("alice", PASSWORD))
        .header("Origin", "http://127.0.0.1:" + served.server.port())
        .POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(cross.statusCode()).isEqualTo(403);
    assertThat(cross.body()).contains("cross-origin");
    assertThat(same.statusCode()).isEqualTo(202);
    assertThat(loop.commands).hasSize(1);
  }
}
