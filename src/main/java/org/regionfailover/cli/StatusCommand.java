package org.regionfailover.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.ZoneId;
import org.regionfailover.config.ListenerSettings;

/**
 * {@code region-failover status}: asks the running supervisor's listener for {@code /status}
 * and prints it for a person (a table per failover set when there are several), or as the
 * raw document with {@code --json}. Exit codes: 0 healthy (every set), 1 not healthy (any
 * set), 2 bad configuration, 3 not running (nothing answers).
 */
final class StatusCommand {
  static final int NOT_RUNNING = 3;

  /** Something answered, but not as a running region-failover would. */
  private static final class Foreign extends IOException {
    Foreign(String message) {
      super(message);
    }
  }

  /** The supervisor answered 503: it runs, but its loop has not started yet. */
  private static final class Starting extends IOException {
    Starting(String message) {
      super(message);
    }
  }

  private final StatusClient client;
  private final URI base;
  private final boolean json;
  private final PrintStream out;
  private final PrintStream err;

  /**
   * {@code base}: the listener's URL; {@code tlsCert}: the certificate it serves (https),
   * trusted as the only one, whatever name it carries, since it is this host's own.
   */
  StatusCommand(URI base, Path tlsCert, boolean json, PrintStream out, PrintStream err) {
    this(new StatusClient(base, tlsCert), json, out, err);
  }

  private StatusCommand(StatusClient client, boolean json, PrintStream out, PrintStream err) {
    this.client = client;
    this.base = client.base();
    this.json = json;
    this.out = out;
    this.err = err;
  }

  /** For the listener of {@code listener} (see {@link StatusClient#of}). */
  static StatusCommand of(ListenerSettings listener, boolean json, PrintStream out,
      PrintStream err) {
    return new StatusCommand(StatusClient.of(listener, "status"), json, out, err);
  }

  int call() {
    byte[] body;
    try {
      body = fetch();
    } catch (ConnectException e) {
      err.println("region-failover status: not running: " + client.nothingListens(e));
      return NOT_RUNNING;
    } catch (java.net.SocketTimeoutException e) {
      err.println("region-failover status: " + base + " accepts connections but does not"
          + " answer (" + e.getMessage() + "): the process may be stopped (SIGSTOP) or hung");
      return NOT_RUNNING;
    } catch (Starting e) {
      err.println("region-failover status: running but not ready: " + e.getMessage());
      return Cli.FAILED;
    } catch (javax.net.ssl.SSLException e) {
      err.println("region-failover status: TLS with " + base + " failed (" + e.getMessage()
          + "): the listener's certificate is not the one in --tls-cert, or it does not"
          + " speak TLS");
      return Cli.USAGE;
    } catch (IOException | GeneralSecurityException e) {
      err.println("region-failover status: " + base + " is not region-failover's status"
          + " server, or answered badly: " + e.getMessage());
      return Cli.USAGE;
    }
    JsonNode doc;
    String table;
    try {
      doc = new ObjectMapper().readTree(body);
      if (!doc.path("version").isTextual() || !(doc.path("active_region").isTextual()
          || doc.path("sets").isArray())) {
        throw new Foreign("no version, and neither active_region nor sets");
      }
      table = json ? null : new StatusTable(ZoneId.systemDefault()).renderSets(doc);
    } catch (IOException | RuntimeException e) {
      err.println("region-failover status: " + base + " answered something that is not"
          + " region-failover's status (" + e.getMessage() + "); is another program on that"
          + " port?");
      return Cli.USAGE;
    }
    out.print(json ? new String(body, StandardCharsets.UTF_8) + "\n" : table);
    return doc.path("healthy").asBoolean() ? Cli.OK : Cli.FAILED;
  }

  private byte[] fetch() throws IOException, GeneralSecurityException {
    StatusClient.Answer answer = client.get("/status");
    if (answer.status() == 503) {
      throw new Starting(answer.body().length == 0 ? "HTTP 503" : answer.text());
    }
    if (answer.status() != 200) {
      throw new Foreign("HTTP " + answer.status());
    }
    return answer.body();
  }
}
