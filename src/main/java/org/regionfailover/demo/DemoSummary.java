package org.regionfailover.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders what the demo showed as a few plain lines for a person, not a log parser. */
public final class DemoSummary {
  private DemoSummary() {}

  /**
   * The summary. {@code legs} and {@code firstProbeNanos} as the scenario recorded them,
   * {@code wallNanos} the whole demo, {@code outcome} one line on how it ended,
   * {@code notes} further lines (cleanup, dry run). The outcome comes last.
   */
  public static String render(List<String> visited, List<DemoScenario.Leg> legs,
      long firstProbeNanos, long wallNanos, String outcome, List<String> notes) {
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("Demo, step by step:");
    lines.add("  regions visited:   " + String.join(" -> ", visited));
    lines.add("  first probe:       " + (firstProbeNanos < 0 ? "none"
        : seconds(firstProbeNanos) + " after the demo started"));
    for (DemoScenario.Leg l : legs) {
      lines.add(String.format(Locale.ROOT, "  %-5s down at %s: first failed probe after %s,"
              + " failover%s decided after %s; %s",
          l.region(), seconds(l.downAt()), after(l.downAt(), l.outageSeenAt()),
          l.to() == null ? "" : " to " + l.to(), after(l.downAt(), l.failoverAt()),
          switchText(l)));
    }
    lines.add("  demo took:         " + seconds(wallNanos) + " (times above count from its start)");
    notes.forEach(n -> lines.add("  " + n));
    // Last, where the eye is when the demo ends: the outcome (the caller adds the page's URL).
    lines.add("Demo summary: " + outcome);
    return String.join(System.lineSeparator(), lines);
  }

  private static String switchText(DemoScenario.Leg l) {
    if (l.switchMs() < 0) {
      return "switch not completed";
    }
    if (l.restartMs() < 0) {
      return "switch took " + l.switchMs() + " ms (dry run: no restart)";
    }
    return "restart took " + l.restartMs() + " ms (switch " + l.switchMs() + " ms)";
  }

  private static String after(long from, long at) {
    return at < 0 ? "- (not seen)" : seconds(at - from);
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
