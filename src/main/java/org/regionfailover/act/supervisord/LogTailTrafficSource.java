package org.regionfailover.act.supervisord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcException;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcFault;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcTransportException;
import org.regionfailover.probe.TrafficCounts;
import org.regionfailover.probe.TrafficSource;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Ticker;

/**
 * The {@code log:PROGRAM} traffic source (issue 27): reads what a program wrote to its
 * stdout and stderr logs since the last drain, through supervisord's XML-RPC tail by
 * offset (no access to the files needed, no change to the application), and counts the
 * lines that match {@code error} as unreachable (class {@value #CLASS}) and those that
 * match {@code ok} as successes; a line that matches both is an error. The calls went
 * where the env file points, so the counts are for the active region (region null).
 *
 * <p>Only what is appended after the first drain counts: older lines are history. A log
 * that shrank (cleared, rotated) starts over from its end, once, reported. More than
 * {@code maxRead} bytes appended between two drains: the oldest are skipped, counted as
 * dropped. supervisord unreachable or without the program: nothing, reported once per
 * episode; reading resumes from the ends of the logs when it answers again.
 */
public final class LogTailTrafficSource implements TrafficSource {
  /** The class of every error counted from a log: a log line does not say which kind. */
  public static final String CLASS = "log";
  /** 512 KiB: with XML escaping, a tail answer stays well under the transport's 4 MiB. */
  static final int DEFAULT_MAX_READ = 512 * 1024;
  private static final int MAX_PARTIAL_LINE = 64 * 1024;
  private static final int READ_ATTEMPTS = 3;
  private static final Duration SKIP_REPORT_EVERY = Duration.ofMinutes(1);

  private final SupervisorClient client;
  private final String program;
  private final Pattern error;
  private final Pattern ok;
  private final EventLog log;
  private final Ticker ticker;
  private final int maxRead;
  private final List<StreamTail> tails = new ArrayList<>();
  private final Set<LogStream> reportedMissing = new HashSet<>();
  private boolean configured;
  private String unreadable; // the current episode's reason; null while readable
  private long skippedUnreported;
  private long lastSkipReport;
  private boolean skipReported;

  /** The source the wiring builds; {@code client} should have a short call timeout. */
  public LogTailTrafficSource(SupervisorClient client, String program, Pattern error, Pattern ok,
      EventLog log) {
    this(client, program, error, ok, log, Ticker.system(), DEFAULT_MAX_READ);
  }

  /** With an injected clock (skip reports) and read bound, for tests. */
  public LogTailTrafficSource(SupervisorClient client, String program, Pattern error, Pattern ok,
      EventLog log, Ticker ticker, int maxRead) {
    this.client = Objects.requireNonNull(client, "client");
    this.program = Objects.requireNonNull(program, "program");
    this.error = Objects.requireNonNull(error, "error");
    this.ok = Objects.requireNonNull(ok, "ok");
    this.log = Objects.requireNonNull(log, "log");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    if (maxRead < 1) {
      throw new IllegalArgumentException("maxRead must be at least 1: " + maxRead);
    }
    this.maxRead = maxRead;
  }

  @Override
  public String name() {
    return "log:" + program;
  }

  @Override
  public synchronized List<TrafficCounts> drain() {
    Tally tally = new Tally();
    try {
      if (!configured) {
        configure();
      }
      for (StreamTail tail : tails) {
        tail.read(tally);
      }
      readable();
    } catch (XmlRpcException e) {
      unreadable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reportSkipped(tally);
    return tally.isEmpty() ? List.of()
        : List.of(new TrafficCounts(null, tally.ok, tally.errors,
            tally.errors == 0 ? Map.of() : Map.of(CLASS, tally.errors), 0, tally.dropped, name()));
  }

  /** Which logs the program has; a log set to NONE is reported once and left out. */
  private void configure() throws XmlRpcException, InterruptedException {
    tails.clear();
    for (Map.Entry<LogStream, String> e : client.logfiles(program).entrySet()) {
      if (!e.getValue().isEmpty()) {
        tails.add(new StreamTail(e.getKey()));
      } else if (reportedMissing.add(e.getKey())) {
        log.emit(Event.warn("traffic_log_missing", program + " has no " + e.getKey().label()
                + " log in supervisord (logfile NONE): its " + e.getKey().label()
                + " lines are not counted")
            .with("program", program).with("stream", e.getKey().label()));
      }
    }
    configured = true;
  }

  private void unreadable(XmlRpcException e) {
    configured = false; // read the ends afresh once it answers: what passed meanwhile is not counted
    if (unreadable != null) {
      return;
    }
    unreadable = e instanceof XmlRpcFault f && f.code() == SupervisorFaults.BAD_NAME
        ? "supervisord has no program '" + program + "' (BAD_NAME)"
        : e.getMessage();
    log.emit(Event.warn("traffic_log_unreadable", "cannot read the logs of " + program
            + " through supervisord, no traffic evidence from it: " + unreadable)
        .with("program", program).with("reason", unreadable));
  }

  private void readable() {
    if (unreadable != null) {
      log.emit(Event.info("traffic_log_readable", "the logs of " + program
              + " are readable again; counting from their ends")
          .with("program", program).with("was", unreadable));
      unreadable = null;
    }
  }

  private void reportSkipped(Tally tally) {
    skippedUnreported += tally.skippedBytes;
    long now = ticker.read();
    if (skippedUnreported == 0
        || (skipReported && now - lastSkipReport < SKIP_REPORT_EVERY.toNanos())) {
      return;
    }
    log.emit(Event.warn("traffic_log_skipped", program + " logged faster than its logs are read:"
            + " " + skippedUnreported + " bytes skipped, their lines counted as dropped")
        .with("program", program).with("bytes", skippedUnreported));
    skippedUnreported = 0;
    lastSkipReport = now;
    skipReported = true;
  }

  /** What one drain counted over both logs. */
  private static final class Tally {
    long ok;
    long errors;
    long dropped;
    long skippedBytes;

    boolean isEmpty() {
      return ok == 0 && errors == 0 && dropped == 0;
    }
  }

  /** Where reading one log stands: the offset read up to and an unfinished last line. */
  private final class StreamTail {
    private final LogStream stream;
    private int offset = -1; // unknown: the first read only finds the end
    private final StringBuilder partial = new StringBuilder();
    private boolean midLine; // the text read starts inside a line: its first piece is no line

    StreamTail(LogStream stream) {
      this.stream = stream;
    }

    void read(Tally tally) throws XmlRpcException, InterruptedException {
      // A zero-length tail costs nothing but tells the log's size: supervisord answers the
      // LAST bytes of a log, so asking for more than was appended would resend old ones.
      int size = client.tailProcessLog(program, stream, Math.max(offset, 0), 0).size();
      if (offset < 0) {
        offset = size;
        return;
      }
      for (int attempt = 1; size > offset; attempt++) {
        int length = Math.min(size - offset, maxRead);
        LogTail got;
        try {
          got = client.tailProcessLog(program, stream, size - length, length);
        } catch (XmlRpcTransportException e) {
          // supervisord failed on the bytes themselves (a start inside a UTF-8 sequence):
          // skip them rather than stop reading this log for good.
          skip(tally, size - offset, 0, 0);
          partial.setLength(0);
          midLine = false; // the skip ends where the log ended: a line's end, for a line logger
          offset = size;
          return;
        }
        if (got.size() < size) {
          startOver(got.size());
          return;
        }
        int start = got.size() - length;
        if (start > offset && length < maxRead && attempt < READ_ATTEMPTS) {
          size = got.size(); // it grew between the two calls: ask again for all of it
          continue;
        }
        if (start > offset) {
          int lines = count(got.text(), tally, true);
          skip(tally, start - offset, lines, length);
        } else {
          count(got.text(), tally, false);
        }
        offset = got.size();
        return;
      }
      if (size < offset) {
        startOver(size);
      }
    }

    private void startOver(int size) {
      log.emit(Event.warn("traffic_log_reset", "the " + stream.label() + " log of " + program
              + " shrank (cleared or rotated): counting again from its end")
          .with("program", program).with("stream", stream.label())
          .with("offset", offset).with("size", size));
      offset = size;
      partial.setLength(0);
      midLine = false;
    }

    /** {@code bytes} were not read; their lines estimated from the {@code lines} in {@code read}. */
    private void skip(Tally tally, long bytes, int lines, int read) {
      tally.skippedBytes += bytes;
      tally.dropped += lines == 0 || read == 0 ? 1 : Math.max(1, bytes * lines / read);
    }

    /** Counts the complete lines of {@code text}, keeping its unfinished end for later. */
    private int count(String text, Tally tally, boolean afterGap) {
      if (afterGap) {
        partial.setLength(0);
        midLine = true;
      }
      int lines = 0;
      int from = 0;
      for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
        partial.append(text, from, nl);
        if (!midLine) {
          classify(partial, tally);
        }
        midLine = false;
        partial.setLength(0);
        lines++;
        from = nl + 1;
      }
      partial.append(text, from, text.length());
      if (partial.length() > MAX_PARTIAL_LINE) { // not a log line: no end in sight, drop it
        partial.setLength(0);
        midLine = true;
      }
      return lines;
    }

    private void classify(CharSequence line, Tally tally) {
      if (error.matcher(line).find()) {
        tally.errors++;
      } else if (ok.matcher(line).find()) {
        tally.ok++;
      }
    }
  }
}
