package org.regionfailover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The stack's "application" for the end-to-end tests of issue 27: a small real program
 * (python3, present wherever supervisord is) that supervisord runs as one of the stack's
 * programs ({@link SupervisordFixture#trafficClient}). Like the other programs it sources
 * the env file, and it calls {@code APP/$EXT_REGION} (e.g. {@link FakeCloud#appUrl()}) at a
 * fixed rate, 20 a second by default, each call on its own thread so that calls that hang
 * do not slow the rate, with a short timeout. Each outcome is classified as the evidence
 * endpoint takes it: {@code ok} (2xx, 3xx), {@code refused}, {@code reset}, {@code timeout},
 * {@code tls}, or the status code as its number (502, 503, 500, 404...); anything else is
 * {@code other}. It tells the supervisor in either or both ways:
 * <ul>
 *   <li>{@link #reportingTo}: it POSTs the counts since its previous report to the evidence
 *       endpoint, {@code {"region":"EU","ok":N,"errors":{"503":n,...}}}, every
 *       {@link #reportEvery} (1 s by default), with {@code Authorization: Bearer TOKEN} when
 *       given a token file; a report that fails is written to stderr as
 *       {@code evidence report not sent: ...} and its counts are lost, as a real client's;
 *   <li>{@link #loggingCalls}: one line per failed call on stderr and one per call that went
 *       through on stdout, unbuffered, for the {@code log:PROGRAM} source, as a typical
 *       client logs them: {@code <time> GET http://.../app/EU -> HTTP/1.1 200}, {@code ...
 *       -> HTTP/1.1 503}, {@code -> connection refused}, {@code -> connection reset},
 *       {@code -> timed out}, {@code -> SSL handshake failed}: the lines the sample env
 *       file's example patterns are written for.
 * </ul>
 * It also appends "{@code $EXT_REGION $$ application}" to the fixture's record file, as
 * the fixture's other programs do. SIGTERM ends it at once.
 */
public final class TrafficClient {
  private static final String SCRIPT = """
      import argparse, http.client, json, os, socket, ssl, sys, threading, time
      import urllib.parse
      from datetime import datetime, timezone

      p = argparse.ArgumentParser()
      p.add_argument("--app", required=True)
      p.add_argument("--rate", type=float, default=20)
      p.add_argument("--timeout", type=float, default=0.5)
      p.add_argument("--report")
      p.add_argument("--report-every", type=float, default=1.0)
      p.add_argument("--token-file")
      p.add_argument("--log-calls", action="store_true")
      a = p.parse_args()

      region = os.environ["EXT_REGION"]
      a.app_url = a.app.rstrip("/") + "/" + region
      app = urllib.parse.urlsplit(a.app_url)
      token = open(a.token_file).read().strip() if a.token_file else None
      lock = threading.Lock()
      ok = 0
      errors = {}

      def outcome():
          # The call's class as the evidence endpoint takes it, and its log line's ending.
          conn = http.client.HTTPConnection(app.hostname, app.port, timeout=a.timeout)
          try:
              conn.request("GET", app.path)
              status = conn.getresponse().status
              return "ok" if 200 <= status < 400 else str(status), "HTTP/1.1 %d" % status
          except ConnectionRefusedError:
              return "refused", "connection refused"
          except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
              return "reset", "connection reset"
          except (socket.timeout, TimeoutError):
              return "timeout", "timed out"
          except ssl.SSLError:
              return "tls", "SSL handshake failed"
          except Exception as e:
              return "other", "error %r" % e
          finally:
              conn.close()

      def call():
          global ok
          kind, text = outcome()
          line = "%s GET %s -> %s" % (
              datetime.now(timezone.utc).isoformat(timespec="milliseconds"), a.app_url, text)
          with lock:
              if kind == "ok":
                  ok += 1
              else:
                  errors[kind] = errors.get(kind, 0) + 1
          if a.log_calls:
              print(line, file=sys.stdout if kind == "ok" else sys.stderr, flush=True)

      def report():
          global ok, errors
          with lock:
              body = {"region": region, "ok": ok, "errors": errors}
              ok, errors = 0, {}
          target = urllib.parse.urlsplit(a.report)
          conn = http.client.HTTPConnection(target.hostname, target.port, timeout=1)
          headers = {"Content-Type": "application/json"}
          if token:
              headers["Authorization"] = "Bearer " + token
          try:
              conn.request("POST", target.path, json.dumps(body), headers)
              status = conn.getresponse().status
              if status != 204:
                  print("evidence report not sent: HTTP %d" % status, file=sys.stderr, flush=True)
          except Exception as e:
              print("evidence report not sent: %r" % e, file=sys.stderr, flush=True)
          finally:
              conn.close()

      period = 1.0 / a.rate
      next_call = time.monotonic()
      next_report = next_call + a.report_every
      while True:
          now = time.monotonic()
          if now >= next_call:
              threading.Thread(target=call, daemon=True).start()
              next_call = max(next_call + period, now)
          if a.report and now >= next_report:
              report()
              next_report = max(next_report + a.report_every, time.monotonic())
          wake = min(next_call, next_report) if a.report else next_call
          time.sleep(max(0.0, wake - time.monotonic()))
      """;

  private final String app;
  private String reportUrl;
  private Path tokenFile;
  private Duration reportEvery = Duration.ofSeconds(1);
  private boolean logCalls;
  private int rate = 20;
  private Duration timeout = Duration.ofMillis(500);

  private TrafficClient(String app) {
    this.app = app;
  }

  /** A client of {@code app} + "/" + {@code $EXT_REGION}, 20 calls a second, 0.5 s timeout. */
  public static TrafficClient calling(String app) {
    return new TrafficClient(app);
  }

  /** Reports its counts to {@code evidenceUrl} (e.g. {@code http://127.0.0.1:PORT/evidence}). */
  public TrafficClient reportingTo(String evidenceUrl) {
    this.reportUrl = evidenceUrl;
    return this;
  }

  /** Its reports carry the bearer token in {@code file} (read once, at its start). */
  public TrafficClient withTokenFile(Path file) {
    this.tokenFile = file;
    return this;
  }

  /** How often it reports (1 s by default). */
  public TrafficClient reportEvery(Duration every) {
    this.reportEvery = every;
    return this;
  }

  /** Writes one line per call, failures on stderr and successes on stdout. */
  public TrafficClient loggingCalls() {
    this.logCalls = true;
    return this;
  }

  /** Calls a second (20 by default). */
  public TrafficClient rate(int callsPerSecond) {
    this.rate = callsPerSecond;
    return this;
  }

  /** One call's timeout (0.5 s by default). */
  public TrafficClient timeout(Duration t) {
    this.timeout = t;
    return this;
  }

  /**
   * Writes the program into {@code dir} and returns supervisord's command for it: a shell
   * that sources {@code $ENVFILE}, records the start in {@code $RECORD} and execs python3.
   */
  String command(Path dir) throws IOException {
    Path script = Files.writeString(dir.resolve("traffic-client.py"), SCRIPT);
    Path launcher = Files.writeString(dir.resolve("traffic-client.sh"), "#!/bin/sh\n"
        + ". \"$ENVFILE\"\n"
        + "echo \"$EXT_REGION $$ application\" >> \"$RECORD\"\n"
        + "exec " + python() + " -u " + script + " \"$@\"\n");
    List<String> args = new ArrayList<>(List.of("/bin/sh", launcher.toString(), "--app", app,
        "--rate", Integer.toString(rate), "--timeout", seconds(timeout)));
    if (reportUrl != null) {
      args.addAll(List.of("--report", reportUrl, "--report-every", seconds(reportEvery)));
    }
    if (tokenFile != null) {
      args.addAll(List.of("--token-file", tokenFile.toString()));
    }
    if (logCalls) {
      args.add("--log-calls");
    }
    return String.join(" ", args);
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
  }

  private static String python() {
    return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }
}
