package org.regionfailover.act.supervisord;

import java.util.List;
import java.util.regex.Pattern;
import org.regionfailover.probe.TrafficCounts;
import org.regionfailover.probe.TrafficSource;
import org.regionfailover.report.EventLog;

/**
 * PLACEHOLDER (issue 27, branch i27-evidence): the {@code log:PROGRAM} source is written on
 * another branch with this exact constructor; this stand-in only lets the wiring compile and
 * sees nothing. The merge replaces this whole file with the real one.
 */
public final class LogTailTrafficSource implements TrafficSource {
  private final String program;

  public LogTailTrafficSource(SupervisorClient client, String program, Pattern error,
      Pattern ok, EventLog log) {
    this.program = program;
  }

  @Override
  public String name() {
    return "log:" + program;
  }

  @Override
  public List<TrafficCounts> drain() {
    return List.of();
  }
}
