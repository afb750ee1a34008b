package org.regionfailover.act.supervisord;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.regionfailover.FakeTicker;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcHttpTransport;

/**
 * The log: source's reading by offset, against a loopback HTTP server that answers the tail
 * calls as supervisord 4.2.5's {@code tailFile} does (the last bytes of the log), for the
 * moments a real supervisord cannot be made to hit on cue: the log growing between the
 * size call and the read, and supervisord failing on the bytes of one read.
 */
class LogTailTrafficSourceTest {
  private static final Pattern PARAMS = Pattern.compile("<methodName>([^<]+)</methodName>"
      + "|<(?:int|i4)>(-?\\d+)</(?:int|i4)>");

  private HttpServer server;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final List<Integer> lengthsAsked = new ArrayList<>();
  /** Runs before each tail is answered, with the call's number (from 1). */
  private IntConsumer beforeTail = n -> { };
  private int failTail = -1;
  private int tails;
  private final RecordingEventLog events = new RecordingEventLog();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/RPC2", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void readsOnlyTheNewBytes_notTheLogsLastBytesEachTime() {
    append("old line ERROR\n".repeat(1000));
    LogTailTrafficSource source = source(1024);
    source.drain();
    lengthsAsked.clear();

    append("ERROR 1\nok 2\n");

    assertThat(source.drain()).singleElement()
        .satisfies(c -> assertThat(List.of(c.unreachable(), c.ok(), c.dropped()))
            .containsExactly(1L, 1L, 0L));
    assertThat(lengthsAsked).as("a size, then exactly the 13 new bytes")
        .containsExactly(0, 13);
  }

  @Test
  void logGrowsBetweenTheSizeAndTheRead_everyLineCountedOnce() {
    LogTailTrafficSource source = source(1024);
    source.drain();
    append("ERROR 1\n");
    beforeTail = n -> {
      if (n == 3) { // the read after the size: more lines land in between
        append("ERROR 2\nok 3\n");
      }
    };

    assertThat(source.drain()).singleElement()
        .satisfies(c -> assertThat(List.of(c.unreachable(), c.ok(), c.dropped()))
            .containsExactly(2L, 1L, 0L));
    assertThat(events.names()).isEmpty();
  }

  @Test
  void supervisordFailsOnTheBytesOfARead_skippedAsDropped_readingGoesOn() {
    LogTailTrafficSource source = source(1024);
    source.drain();
    append("ERROR lost\n");
    failTail = 3;

    assertThat(source.drain()).singleElement()
        .satisfies(c -> assertThat(List.of(c.unreachable(), c.dropped())).containsExactly(0L, 1L));
    append("ERROR seen\n");
    assertThat(source.drain()).singleElement()
        .satisfies(c -> assertThat(List.of(c.unreachable(), c.dropped())).containsExactly(1L, 0L));
    assertThat(events.names()).containsExactly("traffic_log_skipped");
  }

  private LogTailTrafficSource source(int maxRead) {
    var client = new SupervisorClient(new XmlRpcHttpTransport(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/RPC2", null, null,
        Duration.ofSeconds(10)));
    return new LogTailTrafficSource(client, "app:writer", Pattern.compile("ERROR"),
        Pattern.compile("\\bok\\b"), events, new FakeTicker(), maxRead);
  }

  private synchronized void append(String text) {
    stdout.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  private synchronized byte[] log() {
    return stdout.toByteArray();
  }

  private void answer(HttpExchange exchange) throws IOException {
    String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Matcher m = PARAMS.matcher(request);
    m.find();
    String method = m.group(1);
    List<Integer> ints = new ArrayList<>();
    while (m.find()) {
      ints.add(Integer.parseInt(m.group(2)));
    }
    String value;
    if (method.equals("supervisor.getAllConfigInfo")) {
      value = "<array><data><value><struct>"
          + member("group", "<string>app</string>") + member("name", "<string>writer</string>")
          + member("stdout_logfile", "<string>/var/log/writer.out</string>")
          + member("redirect_stderr", "<boolean>1</boolean>")
          + "</struct></value></data></array>";
    } else {
      int n;
      synchronized (this) {
        n = ++tails;
      }
      beforeTail.accept(n);
      if (n == failTail) {
        exchange.sendResponseHeaders(500, -1);
        exchange.close();
        return;
      }
      lengthsAsked.add(ints.get(1));
      value = tailFile(log(), ints.get(0), ints.get(1));
    }
    byte[] body = ("<?xml version='1.0'?>\n<methodResponse><params><param><value>" + value
        + "</value></param></params></methodResponse>\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/xml");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  /** supervisor/options.py tailFile, 4.2.5, line for line. */
  private static String tailFile(byte[] file, int offset, int length) {
    boolean overflow = false;
    int sz = file.length;
    if (sz > offset + length) {
      overflow = true;
      offset = sz - 1;
    }
    if (offset + length > sz) {
      if (offset > sz - 1) {
        length = 0;
      }
      offset = sz - length;
    }
    offset = Math.max(offset, 0);
    length = Math.max(length, 0);
    String data = length == 0 ? ""
        : new String(file, offset, Math.min(length, sz - offset), StandardCharsets.UTF_8);
    return "<array><data><value><string>" + data.replace("&", "&amp;").replace("<", "&lt;")
        + "</string></value><value><int>" + sz + "</int></value><value><boolean>"
        + (overflow ? 1 : 0) + "</boolean></value></data></array>";
  }

  private static String member(String name, String value) {
    return "<member><name>" + name + "</name><value>" + value + "</value></member>";
  }
}
