package org.regionfailover.status.http;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.FakeTicker;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.Regions;
import org.regionfailover.act.Action;
import org.regionfailover.act.chain.ActionChain;
import org.regionfailover.act.chain.ActionChainStage;
import org.regionfailover.act.envfile.EnvFileWriter;
import org.regionfailover.config.Region;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Transition;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.time.Backoff;
import org.regionfailover.time.NamedThreads;

/**
 * The commands of several sets over real HTTP, each set a real {@link FailoverLoop} on its
 * own thread with its own act stage (which rewrites the set's own env file): a command for a
 * set reaches that set's loop and no other; the paths without a set are refused while there
 * are several, and answer for the set when there is one.
 */
class SeveralSetsCommandTest {
  private static final String PASSWORD = "correct horse";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<LoopSet> sets = new ArrayList<>();
  private Served served;

  /** A set: its loop, running, and its act stage, which writes {@code NAME.env}. */
  private final class LoopSet {
    final RecordingEventLog log = new RecordingEventLog();
    final FakeTicker ticker = new FakeTicker();
    final Path envFile;
    final CompletableFuture<Region> switched = new CompletableFuture<>();
    final ActionChainStage stage;
    final FailoverLoop loop;
    final ServedSet served;

    LoopSet(String name, List<Region> order) {
      envFile = dir.resolve(name + ".env");
      FailoverPolicy policy = new FailoverPolicy(order, Duration.ofSeconds(10),
          Duration.ofMinutes(4));
      Action told = new Action() {
        @Override
        public String name() {
          return "switch_end";
        }

        @Override
        public void apply(Region target) {
          switched.complete(target);
        }
      };
      stage = new ActionChainStage(new ActionChain(List.of(), new Backoff(Duration.ofMillis(1),
          Duration.ofMillis(5)), log, ticker), List.of(new EnvFileWriter(envFile), told),
          List.of(), List.of(), null);
      loop = new FailoverLoop(policy, new Transition(policy.initial(0, ticker.read()),
          List.of()), stage, log, ticker, FailoverLoop.Stack.NONE);
      NamedThreads.daemon("loop-" + name, loop::run).start();
      served = new ServedSet(name, () -> null, order, loop::command);
    }
  }

  private LoopSet set(String name, List<Region> order) {
    LoopSet s = new LoopSet(name, order);
    sets.add(s);
    return s;
  }

  private void serve(LoopSet... served) throws Exception {
    ServedSets all = new ServedSets();
    for (LoopSet s : served) {
      all.add(s.served);
    }
    Path file = dir.resolve("htpasswd");
    Files.writeString(file, "alice:" + new String(BCrypt.with(BCrypt.Version.VERSION_2Y)
        .hashToChar(4, PASSWORD.toCharArray())) + "\n");
    PasswordCheck passwords = new PasswordCheck(Htpasswd.read(file, "--htpasswd"),
        Duration.ZERO);
    Routes routes = new CommandEndpoints(all).register(Routes.builder()).build();
    this.served = new Served(routes, log -> new PostGuard(passwords,
        new FailureLimiter(new FakeTicker()), log));
  }

  @AfterEach
  void stop() {
    if (served != null) {
      served.close();
    }
    sets.forEach(s -> {
      s.loop.stop();
      s.stage.close(1000);
    });
  }

  private HttpResponse<String> post(String pathAndQuery) throws Exception {
    return served.send(served.request(pathAndQuery).header("Authorization", "Basic "
        + Base64.getEncoder().encodeToString(("alice:" + PASSWORD)
            .getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.noBody()));
  }

  @Test
  void moveOfOneSet_reachesItsLoopAndActStageOnly() throws Exception {
    LoopSet a = set("a", Regions.ORDER);
    LoopSet b = set("b", Regions.ORDER);
    serve(a, b);

    HttpResponse<String> r = post("/set/b/region/apac?force=true");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(JSON.readTree(r.body()).path("accepted").asBoolean()).isTrue();
    // A bound on a hung act stage only; the switch itself takes milliseconds.
    assertThat(b.switched.get(30, TimeUnit.SECONDS)).isEqualTo(Regions.APAC);
    assertThat(Files.readString(b.envFile)).contains(Regions.APAC.host());
    assertThat(b.log.named("manual_command")).hasSize(1);
    assertThat(a.log.named("manual_command")).isEmpty();
    assertThat(a.loop.state().active()).isZero();
    assertThat(a.switched).isNotDone();
    assertThat(a.envFile).doesNotExist();
  }

  @Test
  void holdAndReleaseOfOneSet_theOtherStaysFree() throws Exception {
    LoopSet a = set("a", Regions.ORDER);
    LoopSet b = set("b", Regions.EU_NAM);
    serve(a, b);

    assertThat(post("/set/a/hold?for=10m").statusCode()).isEqualTo(200);
    assertThat(a.loop.state().held()).isTrue();
    assertThat(b.loop.state().held()).isFalse();

    assertThat(post("/set/a/release").statusCode()).isEqualTo(200);
    assertThat(a.loop.state().held()).isFalse();
    assertThat(b.log.named("manual_command")).isEmpty();
  }

  @Test
  void regionOfAnotherSetsOrder_is404NamingThisSetsRegions() throws Exception {
    LoopSet a = set("a", Regions.ORDER);
    LoopSet b = set("b", Regions.EU_NAM);
    serve(a, b);

    HttpResponse<String> r = post("/set/b/region/APAC");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("'APAC'", "EU, NAM");
    assertThat(b.log.named("manual_command")).isEmpty();
  }

  @Test
  void pathsWithoutASet_withTwoSets_are409NamingTheSetsAndThePathToUse() throws Exception {
    LoopSet a = set("a", Regions.ORDER);
    LoopSet b = set("b", Regions.ORDER);
    serve(a, b);

    for (String path : List.of("/failback", "/region/NAM", "/hold", "/release")) {
      HttpResponse<String> r = post(path);
      assertThat(r.statusCode()).as(path).isEqualTo(409);
      assertThat(r.body()).as(path).contains("a, b", "/set/NAME" + path);
    }
    assertThat(a.log.named("manual_command")).isEmpty();
    assertThat(b.log.named("manual_command")).isEmpty();
  }

  @Test
  void unknownSetOrCommand_is404_unauthenticated_is401() throws Exception {
    LoopSet a = set("a", Regions.ORDER);
    LoopSet b = set("b", Regions.ORDER);
    serve(a, b);

    HttpResponse<String> unknown = post("/set/c/hold");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("'c'", "a, b");
    HttpResponse<String> bogus = post("/set/a/restart");
    assertThat(bogus.statusCode()).isEqualTo(404);
    assertThat(bogus.body()).contains("'restart'", "failback, region/NAME, hold, release");
    HttpResponse<String> anonymous = served.send(served.request("/set/a/hold")
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(a.loop.state().held()).isFalse();
  }

  @Test
  void oneSet_pathsWithAndWithoutTheSet_reachItsLoop() throws Exception {
    LoopSet only = set("default", Regions.ORDER);
    serve(only);

    assertThat(post("/hold").statusCode()).isEqualTo(200);
    assertThat(only.loop.state().held()).isTrue();
    assertThat(post("/set/default/release").statusCode()).isEqualTo(200);
    assertThat(only.loop.state().held()).isFalse();
  }
}
