package org.regionfailover.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.TestCertificate;

/**
 * {@code check} against WireMock: its HTTP port serves the cloudlookup endpoints per
 * region, its HTTPS port (a self-signed localhost certificate) is the TLS check's target
 * for NAM and EU, and APAC points at a closed port.
 */
class CheckCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path certDir;
  static TestCertificate cert;
  static WireMockServer server;
  static int closedPort;
  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void start() throws Exception {
    cert = TestCertificate.create(certDir);
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().dynamicHttpsPort()
        .keystorePath(cert.keystore().toString()).keystorePassword(cert.password())
        .keyManagerPassword(cert.password()).keystoreType("PKCS12"));
    server.start();
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort(); // nothing listens here once the socket is closed
    }
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void regions() {
    server.resetAll();
    server.stubFor(get(urlPathMatching("/(NAM|EU|APAC)/cloudlookup/.*"))
        .willReturn(aResponse().withStatus(200)));
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("EXT_CLOUD_FAILOVER_LIST", "NAM=localhost:" + server.httpsPort()
        + ",EU=127.0.0.1:" + server.httpsPort() + ",APAC=localhost:" + closedPort);
    env.put("EXT_CLOUD_LOOKUP_URL", "http://127.0.0.1:" + server.port() + "/{region}/cloudlookup/{txnId}");
    env.put("CONNECTION_KEEPALIVE_TXN_ID", "txn");
    env.put("EXT_CLOUD_ENV_FILE", dir.resolve("ext_cloud.env").toString());
    env.put("EXT_CLOUD_CA_FILE", cert.pem().toString());
    // Nothing listens here: check must not need supervisord.
    env.put("SUPERVISOR_SERVER_URL", "unix://" + dir.resolve("no-supervisord.sock"));
    return env;
  }

  private int check(Map<String, String> env, String... args) {
    List<String> all = new ArrayList<>(List.of("check"));
    all.addAll(List.of(args));
    return new Cli(env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(1))
        .run(all.toArray(String[]::new));
  }

  private void activeIs(String region) throws Exception {
    Files.writeString(dir.resolve("ext_cloud.env"),
        "export EXT_CLOUD=localhost:" + server.httpsPort() + "\nexport EXT_REGION=" + region + "\n");
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void check_activeRegionAnswers_exits0WithATableRowPerCheck() throws Exception {
    activeIs("EU");

    int code = check(env());

    assertThat(code).as(stdout() + err).isEqualTo(Cli.OK);
    assertThat(stdout()).contains("Active region: EU (env file " + dir.resolve("ext_cloud.env") + " names EU)")
        .containsPattern("REGION +HOST +ACTIVE +CHECK +RESULT +LATENCY MS")
        .containsPattern("EU +127.0.0.1:\\d+ +yes +cloudlookup +ok \\(status 200\\) +\\d+")
        .containsPattern("NAM +localhost:\\d+ +no +tls +ok +\\d+")
        .containsPattern("APAC +localhost:\\d+ +no +tls +refused: .*")
        .contains("OK: active region EU is healthy.");
  }

  @Test
  void check_activeRegionDown_exits1AndSaysWhy() throws Exception {
    activeIs("EU");
    server.stubFor(get(urlPathMatching("/EU/cloudlookup/.*")).willReturn(aResponse().withStatus(503)));

    int code = check(env());

    assertThat(code).isEqualTo(Cli.FAILED);
    assertThat(stdout()).contains("FAILED: active region EU is not healthy: status 503");
  }

  @Test
  void check_otherRegionDown_stillExits0() throws Exception {
    activeIs("EU");
    server.stubFor(get(urlPathMatching("/NAM/cloudlookup/.*")).willReturn(aResponse().withStatus(503)));

    assertThat(check(env())).isEqualTo(Cli.OK);
  }

  @Test
  void check_envFileMissing_usesThePreferredRegion() {
    server.stubFor(get(urlPathMatching("/EU/cloudlookup/.*")).willReturn(aResponse().withStatus(503)));

    int code = check(env(), "--region", "NAM");

    assertThat(code).as(stdout()).isEqualTo(Cli.OK);
    assertThat(stdout()).contains("Active region: NAM (env file " + dir.resolve("ext_cloud.env")
        + " is missing; assuming the first region of the order)");
    assertThat(dir.resolve("ext_cloud.env")).as("check never writes the env file").doesNotExist();
  }

  /**
   * The shipped sample names /opt/application/tmp/ext_cloud.env: on a host without that
   * directory, check says what to create (the file itself may be missing), and its help
   * says the same.
   */
  @Test
  void check_envFilesDirectoryMissing_exit2SayingWhatToCreate_asItsHelpSays() {
    Map<String, String> env = env();
    Path missing = dir.resolve("opt/application/tmp");
    env.put("EXT_CLOUD_ENV_FILE", missing.resolve("ext_cloud.env").toString());

    int code = check(env);

    assertThat(code).isEqualTo(Cli.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("mkdir -p " + missing)
        .contains("a missing file inside it is fine");
    out.reset();
    check(env(), "--help");
    assertThat(stdout().replaceAll("\\s+", " "))
        .contains("its directory must exist, as the loop writes the file there: exit 2 says"
            + " what to create");
  }

  @Test
  void check_json_hasOneEntryPerRegionWithTheirResults() throws Exception {
    activeIs("NAM");

    int code = check(env(), "--json");

    assertThat(code).isEqualTo(Cli.OK);
    JsonNode root = JSON.readTree(stdout());
    assertThat(root.get("active_region").asText()).isEqualTo("NAM");
    assertThat(root.get("healthy").asBoolean()).isTrue();
    JsonNode regions = root.get("regions");
    assertThat(regions).hasSize(3);
    assertThat(regions.findValuesAsText("region")).containsExactly("NAM", "EU", "APAC");
    JsonNode nam = regions.get(0);
    assertThat(nam.get("active").asBoolean()).isTrue();
    assertThat(nam.at("/cloudlookup/status").asInt()).isEqualTo(200);
    assertThat(nam.at("/cloudlookup/url").asText()).endsWith("/NAM/cloudlookup/txn");
    assertThat(nam.at("/tls/healthy").asBoolean()).isTrue();
    assertThat(nam.at("/tls/port").asInt()).isEqualTo(server.httpsPort());
    assertThat(regions.get(1).has("cloudlookup")).as("only the active region is probed").isFalse();
    assertThat(regions.get(2).at("/tls/healthy").asBoolean()).isFalse();
    assertThat(regions.get(2).at("/tls/result").asText()).startsWith("refused");
  }

  @Test
  void check_certificateNotTrusted_tlsFailsButTheExitFollowsCloudlookup() throws Exception {
    activeIs("EU");
    Map<String, String> env = env();
    env.remove("EXT_CLOUD_CA_FILE");

    int code = check(env, "--json");

    assertThat(code).isEqualTo(Cli.OK);
    JsonNode eu = JSON.readTree(stdout()).get("regions").get(1);
    assertThat(eu.at("/tls/healthy").asBoolean()).isFalse();
    assertThat(eu.at("/tls/result").asText()).startsWith("tls: ");
  }

  @Test
  void check_badTlsTimeout_exits2NamingSettingAndValue() {
    int code = check(env(), "--tls-timeout", "0s");

    assertThat(code).isEqualTo(Cli.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--tls-timeout (FAILOVER_TLS_TIMEOUT)", "'0s'", "positive duration");
  }

  @Test
  void check_badPortInTheFailoverList_exits2NamingTheItem() {
    Map<String, String> env = env();
    env.put("EXT_CLOUD_FAILOVER_LIST", "NAM=localhost:99999,EU=localhost:443");

    int code = check(env);

    assertThat(code).isEqualTo(Cli.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--failover-list (EXT_CLOUD_FAILOVER_LIST)", "NAM=localhost:99999", "1 to 65535");
  }

  @Test
  void check_missingFailoverList_exits2() {
    Map<String, String> env = env();
    env.remove("EXT_CLOUD_FAILOVER_LIST");

    assertThat(check(env)).isEqualTo(Cli.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--failover-list", "is required");
  }
}
