package org.regionfailover.replay;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.regionfailover.config.Region;
import org.regionfailover.decide.State;
import org.regionfailover.report.Event;

/**
 * What a replay did, for the person reading its summary: transitions, blocked ones, time
 * on each region, the longest outage, and how much of the chain evidence was stood in for.
 * Transitions are recognised by their event names, so a rule that adds one with the loop's
 * names (failover, failback, repair) is counted without a change here; every other event
 * is at least counted by name. Maps are sorted: the summary is the same at every run.
 */
public final class ReplayStats {
  /** Events that move the host, or restart its stack: what a budget limits. */
  static final Set<String> TRANSITIONS = Set.of("failover", "failback", "repair");
  static final String BLOCKED = "failover_blocked";

  private final List<Region> order;
  private final long[] regionNanos;
  private final Map<String, Integer> events = new TreeMap<>();
  private final Map<String, Integer> blockedBy = new TreeMap<>();
  private int transitions;
  private int blocked;
  long chainUsed;
  long stoodIn;
  long noEvidence;
  long clockBack;
  private long first = Long.MIN_VALUE;
  private long last = Long.MIN_VALUE;
  private int region = -1;
  private long regionSince;
  private State.Down down;
  private long longestNanos = -1;
  private int longestRegion;
  private long longestSince;

  ReplayStats(List<Region> order) {
    this.order = order;
    this.regionNanos = new long[order.size()];
  }

  void start(int active, long at) {
    region = active;
    regionSince = at;
    first = at;
  }

  void event(Event e, long at) {
    events.merge(e.name(), 1, Integer::sum);
    if (TRANSITIONS.contains(e.name())) {
      transitions++;
    } else if (e.name().equals(BLOCKED)) {
      blocked++;
      blockedBy.merge(String.valueOf(e.fields().get("reason")), 1, Integer::sum);
    }
  }

  /** After each step: the phase the core is in at {@code at}. */
  void phase(State phase, long at) {
    if (phase.active() != region) {
      regionNanos[region] += at - regionSince;
      region = phase.active();
      regionSince = at;
    }
    if (phase instanceof State.Down d) {
      down = d;
    } else if (down != null) {
      outage(down, at);
      down = null;
    }
  }

  void end(State phase, long at) {
    last = at;
    if (phase == null) {
      return;
    }
    regionNanos[region] += at - regionSince;
    regionSince = at;
    if (down != null) {
      outage(down, at); // still going at the end of the log
    }
  }

  private void outage(State.Down d, long at) {
    long length = at - d.since();
    if (length > longestNanos) {
      longestNanos = length;
      longestRegion = d.active();
      longestSince = d.since();
    }
  }

  public int transitions() {
    return transitions;
  }

  public int blocked() {
    return blocked;
  }

  /** How many events of each name the replay printed. */
  public Map<String, Integer> events() {
    return java.util.Collections.unmodifiableMap(events);
  }

  /** Time on the region at {@code index} of the order, nanoseconds. */
  public long nanosOn(int index) {
    return regionNanos[index];
  }

  /** The longest outage, nanoseconds; -1 when there was none. */
  public long longestOutageNanos() {
    return longestNanos;
  }

  /** The summary, one line per topic, for stderr; {@code settings}: where they came from. */
  public String render(LineCounts lines, int inputs, String settings) {
    StringBuilder b = new StringBuilder();
    // Traffic only when the log has some: a log without reads as it always did.
    b.append(String.format(Locale.ROOT, "replay: %d input%s, %d lines: %d probe%s %d"
            + " region_probe%s events replayed; %d lines skipped (%d other events, %d malformed,"
            + " %d of a region not in the failover list%s)%n",
        inputs, inputs == 1 ? "" : "s", lines.lines(), lines.chainProbes(),
        lines.traffic() == 0 ? " and" : ",", lines.directProbes(),
        lines.traffic() == 0 ? "" : " and " + lines.traffic() + " traffic", lines.skipped(), lines.otherEvents(), lines.malformed(),
        lines.unknownRegion(), lines.otherSets() == 0 ? ""
            : ", " + lines.otherSets() + " of other failover sets"));
    b.append(settings).append(System.lineSeparator());
    if (first == Long.MIN_VALUE) {
      b.append(String.format(Locale.ROOT, "nothing to replay: no probe events%n"));
      return b.toString();
    }
    long span = last - first;
    b.append(String.format(Locale.ROOT, "recorded clock: %s to %s (%s)%n",
        IsoTimestamps.format(first), IsoTimestamps.format(last), human(span)));
    b.append(String.format(Locale.ROOT, "transitions: %d%s%n", transitions,
        counts(events, TRANSITIONS)));
    b.append(String.format(Locale.ROOT, "blocked transitions: %d%s%n", blocked,
        blockedBy.isEmpty() ? "" : " (" + joined(blockedBy) + ")"));
    StringBuilder regions = new StringBuilder();
    for (int i = 0; i < order.size(); i++) {
      regions.append(i == 0 ? "" : ", ").append(order.get(i).name()).append(' ')
          .append(human(regionNanos[i]))
          .append(String.format(Locale.ROOT, " (%.1f %%)",
              span <= 0 ? 0.0 : 100.0 * regionNanos[i] / span));
    }
    b.append(String.format(Locale.ROOT, "time on each region: %s%n", regions));
    b.append(longestNanos < 0 ? String.format(Locale.ROOT, "longest outage: none%n")
        : String.format(Locale.ROOT, "longest outage: %s on %s, from %s%n", human(longestNanos),
            order.get(longestRegion).name(), IsoTimestamps.format(longestSince)));
    b.append(String.format(Locale.ROOT, "chain evidence: %d chain probes of the region the"
            + " recording was on; %d stood in for by the simulated region's last direct probe;"
            + " %d without any (not counted)%s%n", chainUsed, stoodIn, noEvidence,
        clockBack == 0 ? "" : "; " + clockBack + " probes logged earlier than the one before"
            + " (held at that time)"));
    b.append(String.format(Locale.ROOT, "events: %s%n",
        events.isEmpty() ? "none" : joined(events)));
    return b.toString();
  }

  private static String counts(Map<String, Integer> events, Set<String> names) {
    Map<String, Integer> some = new TreeMap<>();
    events.forEach((k, v) -> {
      if (names.contains(k)) {
        some.put(k, v);
      }
    });
    return some.isEmpty() ? "" : " (" + joined(some) + ")";
  }

  private static String joined(Map<String, Integer> m) {
    StringBuilder b = new StringBuilder();
    m.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
    return b.toString();
  }

  /** {@code 42.0 s}, {@code 3 min 12.5 s}, {@code 26 h 3 min}: readable at any scale. */
  static String human(long nanos) {
    double s = nanos / 1e9;
    if (s < 60) {
      return String.format(Locale.ROOT, "%.1f s", s);
    }
    long whole = (long) s;
    if (whole < 3600) {
      return String.format(Locale.ROOT, "%d min %.1f s", whole / 60, s - whole / 60 * 60);
    }
    return String.format(Locale.ROOT, "%d h %d min", whole / 3600, whole % 3600 / 60);
  }
}
