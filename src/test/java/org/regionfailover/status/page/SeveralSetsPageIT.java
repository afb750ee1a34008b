package org.regionfailover.status.page;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.config.ListenAddress;
import org.regionfailover.status.http.CommandEndpoints;
import org.regionfailover.status.http.FailureLimiter;
import org.regionfailover.status.http.Htpasswd;
import org.regionfailover.status.http.PageEndpoints;
import org.regionfailover.status.http.PasswordCheck;
import org.regionfailover.status.http.PostGuard;
import org.regionfailover.status.http.ReadEndpoints;
import org.regionfailover.status.http.Routes;
import org.regionfailover.status.http.ServedSet;
import org.regionfailover.status.http.ServedSets;
import org.regionfailover.status.http.StatusServer;
import org.regionfailover.status.metrics.PrometheusMetrics;

/**
 * The page of a process with two failover sets, in a real Chromium against the real status
 * server: each set a real policy and recorder ({@link FailoverSimulation}), one healthy, one
 * with its preferred region down. The page shows a section per set under its name, each
 * with its own banner and plots, and a command given in one set's section reaches that set
 * only, through the set's own path.
 */
class SeveralSetsPageIT {
  private static final String USER = "oncall";
  private static final String PASSWORD = "s3cret";

  @TempDir Path dir;
  private StatusServer server;
  private StatusPageDriver page;

  @AfterEach
  void stop() {
    if (page != null) {
      page.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static ServedSet served(String name, FailoverSimulation sim) {
    return new ServedSet(name, sim::snapshot, FailoverSimulation.ORDER,
        c -> CompletableFuture.completedFuture(sim.command(c)));
  }

  @Test
  void twoSets_aSectionEach_aCommandInOneReachesThatSetOnly() throws Exception {
    // 22 simulated minutes that end about now; set b's EU is down for the last 2.
    Instant start = Instant.now().minus(Duration.ofMinutes(22));
    FailoverSimulation a = new FailoverSimulation(start);
    FailoverSimulation b = new FailoverSimulation(start);
    a.run(Duration.ofMinutes(22));
    b.run(Duration.ofMinutes(20));
    b.setDown(FailoverSimulation.EU, true);
    b.run(Duration.ofMinutes(2));
    ServedSets sets = new ServedSets(List.of(served("b", b), served("a", a)));
    Clock clock = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return a.now();
      }
    };
    Routes.Builder routes = Routes.builder();
    new ReadEndpoints(sets, new PrometheusMetrics("0.1.0-sim", null), clock).register(routes);
    new PageEndpoints(new PageAssets()).register(routes);
    new CommandEndpoints(sets).register(routes);
    Path htpasswd = dir.resolve("htpasswd");
    Files.writeString(htpasswd, USER + ":" + new String(BCrypt.with(BCrypt.Version.VERSION_2Y)
        .hashToChar(5, PASSWORD.toCharArray())) + "\n");
    RecordingEventLog log = new RecordingEventLog();
    server = StatusServer.start(new ListenAddress("127.0.0.1", 0), null, routes.build(),
        new PostGuard(new PasswordCheck(Htpasswd.read(htpasswd, "--htpasswd")),
            new FailureLimiter(System::nanoTime), log), log);

    page = StatusPageDriver.start();
    page.answerLogins(server.url(), USER, PASSWORD);
    page.open(server.url());

    assertThat(page.awaitText("set-name--a", t -> !t.isEmpty())).isEqualTo("set a");
    assertThat(page.text("set-name--b")).isEqualTo("set b");
    page.awaitText("state-word--a", t -> t.contains("WATCHING"));
    page.awaitText("state-word--b", t -> t.contains("DOWN"));
    assertThat(page.awaitText("host", t -> t.contains("2 failover sets"))).isNotEmpty();
    page.awaitText("hold-text--b", t -> t.contains("not held"));
    assertThat(page.plotRegionsOfSet("a")).containsExactly("EU", "NAM", "APAC");
    assertThat(page.plotRegionsOfSet("b")).containsExactly("EU", "NAM", "APAC");

    page.type("hold-reason--b", "tunnel maintenance");
    String answer = page.commandOfSet("b", "btn-hold");

    assertThat(answer).contains("Set b: Hold", "200");
    assertThat(b.snapshot().state().held()).isTrue();
    assertThat(a.snapshot().state().held()).isFalse();
    page.awaitText("hold-text--b", t -> t.contains("held by " + USER));
    assertThat(page.text("hold-text--a")).contains("not held");
    page.screenshot(Path.of("target", "status-page-two-sets.png"));
    assertThat(page.browserErrors()).as("errors in the browser's console").isEmpty();
  }
}
