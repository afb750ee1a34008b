package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.config.ConfigSource;
import org.regionfailover.config.SettingsLoader;
import org.regionfailover.status.http.Routes;
import org.regionfailover.status.http.StatusServer;
import org.regionfailover.time.Ticker;

/**
 * {@code POST /reload} on a real status server, authenticated like every command, and the
 * htpasswd file read again by it: an operator added is accepted, one removed gets 401,
 * without a restart; a broken file is rejected (422) and the old one stays in force.
 */
class ListenerReloadTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final RecordingEventLog log = new RecordingEventLog();
  private final Map<String, String> env = new HashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private ReloadRequests requests;
  private StatusServer server;
  private Path htpasswd;

  @BeforeEach
  void start() throws Exception {
    htpasswd = dir.resolve("htpasswd");
    Files.writeString(htpasswd, entry("alice", "a-pass"));
    env.put("EXT_CLOUD_FAILOVER_LIST", "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com");
    env.put("CONNECTION_KEEPALIVE_ORG_ID", "org-1");
    env.put("CONNECTION_KEEPALIVE_TXN_ID", "txn-1");
    env.put("EXT_CLOUD_ENV_FILE", dir.resolve("ext_cloud.env").toString());
    env.put("FAILOVER_LISTEN", "127.0.0.1:0");
    env.put("FAILOVER_HTPASSWD", htpasswd.toString());
    serve();
  }

  private void serve() {
    ConfigSource source = () ->
        LoopCommand.flagsAndEnvironment(new SettingsLoader(Map.of(), env)).load();
    var boot = source.load();
    StatusListener.Security security = StatusListener.security(boot.main().listener());
    requests = new ReloadRequests(java.time.Duration.ZERO, d -> { });
    Reloading reloading = new Reloading(requests, source, boot, Applier.NONE, log);
    Routes.Builder routes = Routes.builder();
    reloading.register(routes);
    server = StatusListener.start(boot.main().listener(), security, routes.build(), log,
        Ticker.system());
    reloading.start(security);
  }

  @AfterEach
  void stop() {
    requests.close();
    server.close();
  }

  private static String entry(String user, String password) {
    return user + ":" + new String(BCrypt.with(BCrypt.Version.VERSION_2Y)
        .hashToChar(4, password.toCharArray())) + "\n";
  }

  private HttpResponse<String> reload(String user, String password) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(server.url() + "reload"))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody());
    if (user != null) {
      r.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void reload_withoutCredentials401_withThem200Unchanged() throws Exception {
    assertThat(reload(null, null).statusCode()).isEqualTo(401);
    assertThat(reload("alice", "wrong").statusCode()).isEqualTo(401);
    assertThat(log.names()).doesNotContain("reload_unchanged");

    HttpResponse<String> r = reload("alice", "a-pass");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("outcome").asText()).isEqualTo("unchanged");
    assertThat(body.path("user").asText()).isEqualTo("alice");
    assertThat(log.named("reload_unchanged").get(0).fields()).containsEntry("trigger", "http")
        .containsEntry("user", "alice");
  }

  @Test
  void anOperatorAdded_isAccepted_oneRemovedGets401_withoutARestart() throws Exception {
    assertThat(reload("bob", "b-pass").statusCode()).as("not in the file yet").isEqualTo(401);
    Files.writeString(htpasswd, entry("alice", "a-pass") + entry("bob", "b-pass"));

    HttpResponse<String> r = reload("alice", "a-pass");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("outcome").asText()).isEqualTo("applied");
    assertThat(body.path("files_changed").get(0).asText())
        .contains("FAILOVER_HTPASSWD", "2 operator(s)");
    assertThat(log.named("reload_applied")).hasSize(1);
    assertThat(reload("bob", "b-pass").statusCode()).as("bob, added").isEqualTo(200);

    Files.writeString(htpasswd, entry("bob", "b-pass"));
    assertThat(reload("bob", "b-pass").statusCode()).isEqualTo(200);
    assertThat(reload("alice", "a-pass").statusCode()).as("alice, removed").isEqualTo(401);
  }

  @Test
  void aBrokenFile_isRejected422_andTheOldOneStaysInForce() throws Exception {
    Files.writeString(htpasswd, "alice:$apr1$not-bcrypt\n");

    HttpResponse<String> r = reload("alice", "a-pass");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("outcome").asText()).isEqualTo("rejected");
    assertThat(body.path("reason").asText()).contains("FAILOVER_HTPASSWD", "line 1", "alice");
    assertThat(log.named("reload_rejected")).hasSize(1);
    assertThat(reload("alice", "a-pass").statusCode()).as("the old file's alice")
        .isEqualTo(422);
  }

  @Test
  void manualControlOff_turnedOnByAReload() throws Exception {
    stop();
    env.remove("FAILOVER_HTPASSWD");
    serve();
    assertThat(reload("alice", "a-pass").statusCode()).as("manual control off").isEqualTo(403);

    env.put("FAILOVER_HTPASSWD", htpasswd.toString());
    assertThat(requests.request(ReloadRequests.Trigger.signal()).get().kind().name())
        .isEqualTo("APPLIED");

    assertThat(reload("alice", "a-pass").statusCode()).isEqualTo(200);
  }
}
