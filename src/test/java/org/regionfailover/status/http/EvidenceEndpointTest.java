package org.regionfailover.status.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.regionfailover.FakeTicker;
import org.regionfailover.Regions;
import org.regionfailover.probe.EvidenceAggregator;
import org.regionfailover.probe.TrafficCounts;

/**
 * Issue 27: the applications' reports to {@code POST /evidence} over a real status server:
 * taken from loopback without the operators' credentials, with the bearer token when one is
 * configured, refused with what is allowed when the body is wrong, and beyond the rate
 * answered 429 and counted as dropped.
 */
class EvidenceEndpointTest {
  private static final String REPORT = "{\"region\":\"EU\",\"ok\":120,\"errors\":{\"refused\":3,"
      + "\"reset\":0,\"timeout\":1,\"tls\":0,\"502\":0,\"503\":2,\"504\":0}}";

  private final FakeTicker ticker = new FakeTicker();
  private Served served;

  @AfterEach
  void close() {
    if (served != null) {
      served.close();
    }
  }

  private ServedSet set(String name, EvidenceAggregator aggregator) {
    ServedSet s = new ServedSet(name, () -> null, Regions.ORDER,
        c -> CompletableFuture.failedFuture(new IllegalStateException("no loop")));
    return aggregator == null ? s : s.withEvidence(aggregator);
  }

  private Routes routes(ServedSets sets, Optional<String> token) {
    return new EvidenceEndpoint(sets, token).register(Routes.builder()).build();
  }

  private HttpResponse<String> post(String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b = served.request(path)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return served.send(b);
  }

  @Test
  void report_fromLoopback_isTakenWithoutOperatorsCredentials_andDrained() throws Exception {
    EvidenceAggregator aggregator = new EvidenceAggregator(ticker, 100);
    // Manual control off: a command would get 403; the evidence does not go through it.
    served = new Served(routes(new ServedSets(List.of(set("default", aggregator))),
        Optional.empty()));

    HttpResponse<String> r = post("/evidence", REPORT);
    HttpResponse<String> again = post("/set/default/evidence",
        "{\"region\":\"EU\",\"ok\":10,\"errors\":{\"500\":7,\"404\":1,\"brownout\":2,\"504\":4}}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(204);
    List<TrafficCounts> drained = aggregator.drain();
    assertThat(drained).hasSize(1);
    TrafficCounts eu = drained.get(0);
    assertThat(eu.region()).isEqualTo("EU");
    assertThat(eu.ok()).isEqualTo(130);
    assertThat(eu.unreachable()).isEqualTo(10);
    assertThat(eu.byClass()).isEqualTo(Map.of("refused", 3L, "timeout", 1L, "503", 2L,
        "504", 4L));
    // A 500 from one URI, a 4xx and an unknown class never count: ignored, and counted.
    assertThat(eu.ignored()).isEqualTo(10);
    assertThat(eu.source()).isEqualTo("endpoint");
    assertThat(aggregator.drain()).as("counts since the last drain").isEmpty();
  }

  @Test
  void token_isRequired_whenConfigured() throws Exception {
    EvidenceAggregator aggregator = new EvidenceAggregator(ticker, 100);
    served = new Served(routes(new ServedSets(List.of(set("default", aggregator))),
        Optional.of("s3cret-token")));

    HttpResponse<String> none = post("/evidence", REPORT);
    HttpResponse<String> wrong = post("/evidence", REPORT, "Authorization", "Bearer s3cret-tokex");
    HttpResponse<String> basic = post("/evidence", REPORT, "Authorization", "Basic s3cret-token");
    HttpResponse<String> right = post("/evidence", REPORT, "Authorization", "Bearer s3cret-token");

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
        v -> assertThat(v).startsWith("Bearer"));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(basic.statusCode()).isEqualTo(401);
    assertThat(none.body() + wrong.body()).doesNotContain("s3cret");
    assertThat(right.statusCode()).as(right.body()).isEqualTo(204);
    assertThat(aggregator.drain()).singleElement()
        .satisfies(c -> assertThat(c.ok()).isEqualTo(120));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "not json",
      "[1,2]",
      "{\"ok\":1}",
      "{\"region\":\"MARS\",\"ok\":1}",
      "{\"region\":\"EU\"}",
      "{\"region\":\"EU\",\"ok\":-1}",
      "{\"region\":\"EU\",\"ok\":1.5}",
      "{\"region\":\"EU\",\"ok\":\"12\"}",
      "{\"region\":\"EU\",\"ok\":1,\"errors\":{\"503\":-2}}",
      "{\"region\":\"EU\",\"ok\":1,\"errors\":{\"503\":99999999999999999999}}",
      "{\"region\":\"EU\",\"ok\":1,\"errors\":[3]}"})
  void badBody_is400_withWhatIsAllowed_andCountsNothing(String body) throws Exception {
    EvidenceAggregator aggregator = new EvidenceAggregator(ticker, 100);
    served = new Served(routes(new ServedSets(List.of(set("default", aggregator))),
        Optional.empty()));

    HttpResponse<String> r = post("/evidence", body);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).contains("expected JSON").contains("one of the set's regions")
        .contains("refused, reset, timeout, tls, 502, 503, 504");
    assertThat(aggregator.drain()).isEmpty();
  }

  @Test
  void burst_beyondTheRate_is429_andEveryRefusedReportIsCountedDropped() throws Exception {
    EvidenceAggregator aggregator = new EvidenceAggregator(ticker, 5);
    served = new Served(routes(new ServedSets(List.of(set("default", aggregator))),
        Optional.empty()));
    String one = "{\"region\":\"NAM\",\"ok\":1}";

    int taken = 0;
    int refused = 0;
    for (int i = 0; i < 12; i++) {
      int status = post("/evidence", one).statusCode();
      taken += status == 204 ? 1 : 0;
      refused += status == 429 ? 1 : 0;
    }
    ticker.advance(java.time.Duration.ofSeconds(1));
    int next = post("/evidence", one).statusCode();

    assertThat(taken).isEqualTo(5);
    assertThat(refused).isEqualTo(7);
    assertThat(next).as("a new second takes reports again").isEqualTo(204);
    TrafficCounts nam = aggregator.drain().get(0);
    assertThat(nam.ok()).isEqualTo(6);
    assertThat(nam.dropped()).isEqualTo(7);
  }

  @Test
  void severalSets_eachTakesItsOwn_andTheBarePathAsksForOne() throws Exception {
    EvidenceAggregator a = new EvidenceAggregator(ticker, 100);
    EvidenceAggregator b = new EvidenceAggregator(ticker, 100);
    served = new Served(routes(new ServedSets(List.of(set("a", a), set("b", b),
        set("c", null))), Optional.empty()));

    HttpResponse<String> bare = post("/evidence", REPORT);
    HttpResponse<String> toB = post("/set/b/evidence", REPORT);
    HttpResponse<String> toC = post("/set/c/evidence", REPORT);
    HttpResponse<String> toNone = post("/set/zzz/evidence", REPORT);

    assertThat(bare.statusCode()).isEqualTo(409);
    assertThat(bare.body()).contains("/set/NAME/evidence");
    assertThat(toB.statusCode()).isEqualTo(204);
    assertThat(toC.statusCode()).isEqualTo(404);
    assertThat(toC.body()).contains("--traffic-source");
    assertThat(toNone.statusCode()).isEqualTo(404);
    assertThat(a.drain()).isEmpty();
    assertThat(b.drain()).hasSize(1);
  }

  @Test
  void browser_isRefused() throws Exception {
    EvidenceAggregator aggregator = new EvidenceAggregator(ticker, 100);
    served = new Served(routes(new ServedSets(List.of(set("default", aggregator))),
        Optional.empty()));

    HttpResponse<String> r = post("/evidence", REPORT, "Origin", "http://evil.example");

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(aggregator.drain()).isEmpty();
  }

  @Test
  void nonLoopbackClient_isRefused() throws Exception {
    EvidenceAggregator aggregator = new EvidenceAggregator(ticker, 100);
    Routes routes = routes(new ServedSets(List.of(set("default", aggregator))), Optional.empty());
    Routes.Found found = (Routes.Found) routes.find("POST", "/evidence");

    Reply r = found.endpoint().handle(new Request("POST", "/evidence", "", Map.of(), Map.of(),
        REPORT, "192.0.2.7", null));

    assertThat(found.guarded()).as("not behind the operators' guard").isFalse();
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.bodyText()).contains("loopback");
    assertThat(aggregator.drain()).isEmpty();
  }
}
