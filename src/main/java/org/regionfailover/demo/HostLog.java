package org.regionfailover.demo;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.regionfailover.config.FailoverList;
import org.regionfailover.config.Setting;
import org.regionfailover.replay.EventLineWriter;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;

/**
 * One in-process demo host's own stdout: its events as JSON lines in a file, as a host
 * running alone writes them, starting with its {@code startup} line, so that
 * {@code region-failover replay FILE} replays that host with no settings given.
 */
public final class HostLog implements EventLog, Closeable {
  private final OutputStream out;
  private final EventLineWriter lines;
  private final Clock clock;

  private HostLog(OutputStream out, Clock clock) {
    this.out = out;
    this.lines = new EventLineWriter(out, "region-failover", false);
    this.clock = clock;
  }

  /** A log written to {@code file} (made anew). */
  public static HostLog open(Path file, Clock clock) throws IOException {
    return new HostLog(new BufferedOutputStream(Files.newOutputStream(file)), clock);
  }

  /**
   * The startup line of a demo fleet host: the rule settings it runs with, as the loop's
   * own startup line records them ({@code setting_<variable>}), and its coordination.
   */
  public static Event startup(String id, FailoverList list, String start, Duration interval,
      Duration threshold, String directUrl, String connect) {
    Map<Setting, String> settings = Map.ofEntries(
        Map.entry(Setting.FAILOVER_LIST, list.regions().stream()
            .map(r -> r.name() + "=" + r.host()).collect(Collectors.joining(","))),
        Map.entry(Setting.REGION, start),
        Map.entry(Setting.INTERVAL, interval.toString()),
        Map.entry(Setting.OUTAGE_THRESHOLD, threshold.toString()),
        Map.entry(Setting.PROBE_TIMEOUT, interval.dividedBy(2).toString()),
        Map.entry(Setting.REGION_PROBE, directUrl),
        Map.entry(Setting.REGION_INTERVAL, interval.toString()),
        Map.entry(Setting.FAILURE_RATIO, "1"),
        Map.entry(Setting.FAILBACK, "off"),
        Map.entry(Setting.MAX_TRANSITIONS, "off"),
        Map.entry(Setting.COORDINATION, "zookeeper://" + connect),
        Map.entry(Setting.ROLE, "fleet"));
    Event.Builder b = Event.info("startup", "demo fleet host " + id + " starting");
    settings.forEach((s, v) -> b.with("setting_" + s.env().toLowerCase(Locale.ROOT), v));
    return b.build();
  }

  @Override
  public synchronized void emit(Event event) {
    try {
      Instant now = clock.instant();
      lines.write(event, now.getEpochSecond() * 1_000_000_000L + now.getNano());
      out.flush();
    } catch (IOException e) {
      // A demo's own copy of its log: the shared stdout still has every event.
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
