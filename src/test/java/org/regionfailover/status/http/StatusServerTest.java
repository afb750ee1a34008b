package org.regionfailover.status.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.regionfailover.report.Event;

/** The server over real HTTP on loopback: routing, the headers of every answer, failures. */
class StatusServerTest {
  private final List<Request> seen = new CopyOnWriteArrayList<>();
  private Served served;

  @BeforeEach
  void start() throws Exception {
    Routes routes = Routes.builder()
        .get("/health", r -> {
          seen.add(r);
          return Reply.text(200, "OK");
        })
        .getPrefix("/health/", r -> {
          seen.add(r);
          return Reply.text(200, "component " + r.rest());
        })
        .get("/", r -> Reply.html(200, "<!doctype html><title>t</title>"))
        .get("/boom", r -> {
          throw new IllegalStateException("endpoint bug");
        })
        .post("/echo", r -> Reply.text(200, r.body()))
        .build();
    served = new Served(routes);
  }

  @AfterEach
  void stop() {
    served.close();
  }

  @Test
  void get_exactPath_answersWithTheHeadersEveryAnswerCarries() throws Exception {
    HttpResponse<String> r = served.get("/health");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("OK");
    assertThat(r.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
    assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(r.headers().firstValue("Content-Security-Policy")).as("only on HTML").isEmpty();
  }

  @Test
  void get_html_carriesAStrictContentSecurityPolicy() throws Exception {
    HttpResponse<String> r = served.get("/");

    assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
        assertThat(csp).contains("default-src 'self'", "frame-ancestors 'none'")
            .doesNotContain("unsafe-inline"));
  }

  @Test
  void get_underAPrefix_givesTheRestToTheEndpoint() throws Exception {
    HttpResponse<String> r = served.get("/health/region/EU");

    assertThat(r.body()).isEqualTo("component region/EU");
    assertThat(seen).singleElement().satisfies(req -> {
      assertThat(req.path()).isEqualTo("/health/region/EU");
      assertThat(req.rest()).isEqualTo("region/EU");
      assertThat(req.remoteAddress()).isEqualTo("127.0.0.1");
      assertThat(req.user()).isNull();
    });
  }

  @Test
  void get_queryAndHeaders_reachTheEndpoint() throws Exception {
    served.send(served.request("/health?verbose&a=1&a=2&b=x%20y").header("X-Test", "v").GET());

    Request req = seen.get(0);
    assertThat(req.hasQuery("verbose")).isTrue();
    assertThat(req.query("verbose")).contains("");
    assertThat(req.query().get("a")).containsExactly("1", "2");
    assertThat(req.query("b")).contains("x y");
    assertThat(req.header("x-test")).as("any case").contains("v");
    assertThat(req.hasQuery("missing")).isFalse();
  }

  @Test
  void get_malformedQuery_is400() throws Exception {
    // Raw bytes: HttpClient refuses to send a malformed escape.
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", served.server.port())) {
      s.getOutputStream().write("GET /health?a=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String status = new java.io.BufferedReader(new java.io.InputStreamReader(
          s.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII)).readLine();
      assertThat(status).startsWith("HTTP/1.1 400");
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void hostNotAnIpOrLocalhost_onLoopback_is421ForEveryMethod() throws Exception {
    // DNS rebinding: evil.example made to resolve to 127.0.0.1.
    String get = served.raw("GET /health HTTP/1.1\r\nHost: evil.example:" + served.server.port());
    String post = served.raw("POST /echo HTTP/1.1\r\nHost: evil.example\r\n"
        + "Origin: http://evil.example\r\nContent-Length: 0");

    assertThat(get).startsWith("HTTP/1.1 421").contains("localhost");
    assertThat(post).startsWith("HTTP/1.1 421");
    assertThat(seen).isEmpty();
  }

  @Test
  void hostIpLiteralOrLocalhost_anyPort_isServed() throws Exception {
    assertThat(served.raw("GET /health HTTP/1.1\r\nHost: localhost:1")).startsWith("HTTP/1.1 200");
    assertThat(served.raw("GET /health HTTP/1.1\r\nHost: [::1]:9180")).startsWith("HTTP/1.1 200");
    assertThat(served.raw("GET /health HTTP/1.1\r\nHost: 127.0.0.1")).startsWith("HTTP/1.1 200");
  }

  @Test
  void hostMissing_is400OnHttp11_fineOnHttp10() throws Exception {
    assertThat(served.raw("GET /health HTTP/1.1")).startsWith("HTTP/1.1 400")
        .contains("missing Host");
    assertThat(served.raw("GET /health HTTP/1.0")).startsWith("HTTP/1.1 200");
  }

  @Test
  void get_unknownPath_is404WithTheSameHeaders() throws Exception {
    HttpResponse<String> r = served.get("/nope");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(served.get("/health/").statusCode()).as("a prefix alone").isEqualTo(404);
  }

  @Test
  void wrongMethod_is405WithAllow() throws Exception {
    HttpResponse<String> post = served.send(served.request("/health")
        .POST(HttpRequest.BodyPublishers.noBody()));
    HttpResponse<String> get = served.get("/echo");
    HttpResponse<String> delete = served.send(served.request("/health/x").DELETE());

    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).contains("POST");
    assertThat(delete.statusCode()).isEqualTo(405);
  }

  @Test
  void head_ofAGetRoute_answersWithoutBody() throws Exception {
    HttpResponse<String> r = served.send(served.request("/health")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
  }

  @Test
  void endpointThrows_is500AndLogged_andTheServerGoesOn() throws Exception {
    HttpResponse<String> r = served.get("/boom");

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).doesNotContain("endpoint bug");
    assertThat(served.events.named("endpoint_failed")).singleElement().satisfies(e -> {
      assertThat(e.level()).isEqualTo(Event.Level.ERROR);
      assertThat(e.fields()).containsEntry("path", "/boom").containsEntry("method", "GET");
      assertThat(e.message()).contains("endpoint bug");
    });
    assertThat(served.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void post_manualControlOff_is403BeforeTheEndpoint() throws Exception {
    HttpResponse<String> r = served.send(served.request("/echo")
        .POST(HttpRequest.BodyPublishers.ofString("hi")));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).isEqualTo("manual control is off");
  }

  @Test
  void post_bodyOver8KiB_is413() throws Exception {
    HttpResponse<String> r = served.send(served.request("/echo")
        .POST(HttpRequest.BodyPublishers.ofString("x".repeat(StatusServer.MAX_BODY + 1))));

    assertThat(r.statusCode()).isEqualTo(413);
  }

  @Test
  void start_logsListeningWithTheUrlOfTheBoundPort() {
    assertThat(served.server.port()).isPositive();
    assertThat(served.server.url().toString())
        .isEqualTo("http://127.0.0.1:" + served.server.port() + "/");
    assertThat(served.events.named("listening")).singleElement().satisfies(e -> {
      assertThat(e.fields()).containsEntry("url", served.server.url().toString())
          .containsEntry("tls", false).containsEntry("manual_control", false);
    });
  }

  @Test
  void executor_underLoad_growsTo16NamedThreads_thenRefuses_andExtraThreadsExpire()
      throws Exception {
    java.util.concurrent.ThreadPoolExecutor executor = StatusServer.executor();
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(16);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    List<String> names = new CopyOnWriteArrayList<>();
    try {
      for (int i = 0; i < 16; i++) {
        executor.execute(() -> {
          names.add(Thread.currentThread().getName());
          started.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      }

      // Sixteen slow clients each hold a thread: all are taken at once, none waits behind.
      assertThat(started.await(20, java.util.concurrent.TimeUnit.SECONDS))
          .as("16 tasks running at once, not 2 and a queue").isTrue();
      assertThat(names).hasSize(16).allMatch(n -> n.matches("status-http-\\d+"));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> executor.execute(() -> { }))
          .as("the 17th connection is closed, not queued")
          .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
      assertThat(executor.getCorePoolSize()).isEqualTo(2);
      assertThat(executor.getKeepAliveTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(30);
    } finally {
      release.countDown();
      executor.shutdownNow();
    }
  }

  @Test
  void health_whileSlowClientsTrickleTheirHeaders_stillAnswers() throws Exception {
    // Slowloris: each connection sends a request line, then nothing. The JDK reads headers
    // on the executor's threads, so each holds one until maxReqTime cuts it.
    List<java.net.Socket> slow = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        java.net.Socket s = new java.net.Socket("127.0.0.1", served.server.port());
        s.getOutputStream().write("GET /health HTTP/1.1\r\n"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        slow.add(s);
      }

      HttpResponse<String> r = served.send(served.request("/health")
          .timeout(java.time.Duration.ofSeconds(20)).GET());

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("OK");
    } finally {
      for (java.net.Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  void routes_samePathAndMethodTwice_isRefused() {
    Routes.Builder b = Routes.builder().get("/a", r -> Reply.text(200, ""));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.get("/a", r -> Reply.text(200, "")))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.getPrefix("/health", r -> Reply.text(200, "")))
        .as("a prefix ends with /").isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void routes_longestPrefixWins_exactPathBeatsPrefix() {
    Endpoint a = r -> Reply.text(200, "a");
    Endpoint b = r -> Reply.text(200, "b");
    Endpoint c = r -> Reply.text(200, "c");
    Routes routes = Routes.builder().getPrefix("/x/", a).getPrefix("/x/y/", b).get("/x/y/z", c).build();

    assertThat(routes.find("GET", "/x/y/w")).isEqualTo(new Routes.Found(b, "w", false));
    assertThat(routes.find("GET", "/x/q")).isEqualTo(new Routes.Found(a, "q", false));
    assertThat(routes.find("GET", "/x/y/z")).isEqualTo(new Routes.Found(c, "", false));
    assertThat(routes.find("HEAD", "/x/q")).isEqualTo(new Routes.Found(a, "q", false));
  }
}
