package org.regionfailover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several hosts' supervisord logs merged by timestamp: the intervals in which more than one
 * host had a program of its stack running. The split-brain count of the active/standby
 * tests.
 */
public final class StackOverlaps {
  private static final Pattern LINE = Pattern.compile(
      "^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}) [A-Z]+ (spawned|stopped|exited): '?([a-z-]+)'?.*");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

  /** One start or end of a program on one host. */
  public record Change(long at, int host, String program, boolean up) {}

  private StackOverlaps() {}

  /** The starts and ends in {@code logs} (one supervisord.log per host), in time order. */
  public static List<Change> changes(List<Path> logs) throws IOException {
    List<Change> changes = new ArrayList<>();
    for (int h = 0; h < logs.size(); h++) {
      for (String line : Files.readAllLines(logs.get(h))) {
        Matcher m = LINE.matcher(line);
        if (m.matches()) {
          long at = LocalDateTime.parse(m.group(1), TIME).atZone(ZoneId.systemDefault())
              .toInstant().toEpochMilli();
          changes.add(new Change(at, h, m.group(3), m.group(2).equals("spawned")));
        }
      }
    }
    // At one millisecond, stops before starts: the logs' resolution cannot order them.
    changes.sort(Comparator.comparingLong(Change::at).thenComparing(Change::up));
    return changes;
  }

  /**
   * The intervals [from, to] (epoch ms) in which two or more hosts ran a program; one still
   * open at the end of the logs ends at {@link Long#MAX_VALUE}.
   */
  public static List<long[]> of(List<Change> changes, int hosts) {
    List<Set<String>> running = new ArrayList<>();
    for (int h = 0; h < hosts; h++) {
      running.add(new HashSet<>());
    }
    List<long[]> overlaps = new ArrayList<>();
    long since = -1;
    for (Change c : changes) {
      if (c.up()) {
        running.get(c.host()).add(c.program());
      } else {
        running.get(c.host()).remove(c.program());
      }
      boolean several = running.stream().filter(r -> !r.isEmpty()).count() > 1;
      if (several && since < 0) {
        since = c.at();
      } else if (!several && since >= 0) {
        overlaps.add(new long[] {since, c.at()});
        since = -1;
      }
    }
    if (since >= 0) {
      overlaps.add(new long[] {since, Long.MAX_VALUE}); // still both running at the end
    }
    return overlaps;
  }
}
