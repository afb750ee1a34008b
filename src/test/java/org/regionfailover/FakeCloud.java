package org.regionfailover;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import java.util.HashMap;
import java.util.Map;

/**
 * The cloud as the loop sees it from a host, for the end-to-end tests: one WireMock on a
 * free loopback port standing in both for the chain to each region
 * ({@code /v2/org/cloudlookup/REGION}, the lookup URL) and for each region's own host
 * ({@code /direct/REGION}, the direct probe as an http template), and for the region's
 * "application" path ({@code /app/REGION}: what the applications' own calls reach through
 * the same chain, see {@link TrafficClient}). The three fail independently, as a selective
 * outage or a broken lookup does. Every region answers 200 on all three until a test says
 * otherwise; the latest stub for a path wins.
 */
public final class FakeCloud implements AutoCloseable {
  /** The failover list most tests run with: EU first, then NAM, then APAC. */
  public static final String EU_NAM_APAC =
      "EU=cloud.eu.ext.com,NAM=cloud.nam.ext.com,APAC=cloud.apac.ext.com";

  private final WireMockServer server;

  /** Starts the server; every chain and every direct probe answers 200. */
  public FakeCloud() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    server.stubFor(get(urlPathMatching("/v2/org/cloudlookup/.*")).willReturn(aResponse().withStatus(200)));
    server.stubFor(get(urlPathMatching("/direct/.*")).willReturn(aResponse().withStatus(200)));
    server.stubFor(get(urlPathMatching("/app/.*")).willReturn(aResponse().withStatus(200)));
  }

  /** The applications' calls to {@code region} are answered {@code status} from now on. */
  public void app(String region, int status) {
    server.stubFor(get(urlPathEqualTo("/app/" + region)).willReturn(aResponse().withStatus(status)));
  }

  /** The applications' calls to {@code region} have their connection reset from now on. */
  public void appReset(String region) {
    server.stubFor(get(urlPathEqualTo("/app/" + region))
        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
  }

  /** The base of the application path: a client appends its region ({@code .../app/EU}). */
  public String appUrl() {
    return "http://127.0.0.1:" + server.port() + "/app";
  }

  /** The chain to {@code region} answers {@code status} from now on. */
  public void chain(String region, int status) {
    server.stubFor(get(urlPathEqualTo("/v2/org/cloudlookup/" + region))
        .willReturn(aResponse().withStatus(status)));
  }

  /** {@code region}'s own host answers its direct probe with {@code status} from now on. */
  public void direct(String region, int status) {
    server.stubFor(get(urlPathEqualTo("/direct/" + region)).willReturn(aResponse().withStatus(status)));
  }

  /**
   * The settings every end-to-end run of the loop shares, as a new mutable map: this cloud
   * as the chain and the direct probe, {@code supervisord} with its env file, quick probes
   * (every 200 ms, timeout 150 ms, outage after 1 s) and the status server on a free
   * loopback port. A test puts what it needs beyond that (the region interval, fail-back,
   * an htpasswd file, other timings).
   */
  public Map<String, String> loopEnv(SupervisordFixture supervisord, String failoverList) {
    Map<String, String> env = new HashMap<>();
    env.put("EXT_CLOUD_FAILOVER_LIST", failoverList);
    env.put("EXT_CLOUD_LOOKUP_URL", "http://127.0.0.1:" + server.port() + "/v2/{orgId}/cloudlookup/{region}");
    env.put("EXT_CLOUD_REGION_PROBE", "http://127.0.0.1:" + server.port() + "/direct/{region}");
    env.put("CONNECTION_KEEPALIVE_ORG_ID", "org");
    env.put("FAILOVER_INTERVAL", "200ms");
    env.put("FAILOVER_OUTAGE_THRESHOLD", "1s");
    env.put("FAILOVER_PROBE_TIMEOUT", "150ms");
    env.put("EXT_CLOUD_ENV_FILE", supervisord.envFile().toString());
    env.put("SUPERVISOR_SERVER_URL", supervisord.url());
    env.put("SUPERVISOR_TIMEOUT", "20s");
    env.put("FAILOVER_LISTEN", "127.0.0.1:0");
    return env;
  }

  /** The probe URL template of this cloud's chain (with {orgId} and {region}). */
  public String chainUrl() {
    return "http://127.0.0.1:" + server.port() + "/v2/{orgId}/cloudlookup/{region}";
  }

  @Override
  public void close() {
    server.stop();
  }
}
