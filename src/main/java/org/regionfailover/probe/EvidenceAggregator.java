package org.regionfailover.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.regionfailover.time.Ticker;

/**
 * The {@code endpoint} traffic source of one set (issue 27): the applications' reports to
 * {@code POST /evidence}, summed per region until the loop drains them once per interval.
 * A report costs a few atomic adds on the server's thread and never touches the loop; at
 * most {@code perSecond} reports are taken in each second, the others are refused and
 * counted as dropped, so that a flood costs reports, never a late probe.
 */
public final class EvidenceAggregator implements TrafficSource {
  /** The source's name, as {@code --traffic-source} spells it. */
  public static final String NAME = "endpoint";
  /** Far above a stack's applications reporting every second or so, far below a flood. */
  public static final int DEFAULT_PER_SECOND = 1000;
  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  /** One region's sums since the last drain. */
  private static final class Sums {
    final AtomicLong ok = new AtomicLong();
    final AtomicLong ignored = new AtomicLong();
    final AtomicLongArray unreachable = new AtomicLongArray(TrafficCounts.UNREACHABLE.size());
  }

  private final Ticker ticker;
  private final int perSecond;
  private final Map<String, Sums> regions = new ConcurrentHashMap<>();
  private final AtomicLong windowStart;
  private final AtomicLong inWindow = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  /** At most {@code perSecond} reports in each second of {@code ticker}. */
  public EvidenceAggregator(Ticker ticker, int perSecond) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    if (perSecond < 1) {
      throw new IllegalArgumentException("perSecond must be at least 1: " + perSecond);
    }
    this.perSecond = perSecond;
    this.windowStart = new AtomicLong(ticker.read());
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Whether one more report may be taken now; false counts it as dropped. The second's
   * window restarts lazily: two threads racing at its edge may let a few more through,
   * which is harmless, and no lock is ever taken.
   */
  public boolean admit() {
    long now = ticker.read();
    long start = windowStart.get();
    if (now - start >= SECOND && windowStart.compareAndSet(start, now)) {
      inWindow.set(0);
    }
    if (inWindow.incrementAndGet() > perSecond) {
      dropped.incrementAndGet();
      return false;
    }
    return true;
  }

  /**
   * Adds one admitted report about {@code region}: {@code ok} calls went through,
   * {@code unreachable} by class of {@link TrafficCounts#UNREACHABLE} (other keys are not
   * looked at), {@code ignored} calls in a class that never counts.
   */
  public void add(String region, long ok, Map<String, Long> unreachable, long ignored) {
    Sums sums = regions.computeIfAbsent(Objects.requireNonNull(region, "region"),
        r -> new Sums());
    sums.ok.addAndGet(ok);
    sums.ignored.addAndGet(ignored);
    List<String> classes = TrafficCounts.UNREACHABLE;
    for (int i = 0; i < classes.size(); i++) {
      Long n = unreachable.get(classes.get(i));
      if (n != null && n > 0) {
        sums.unreachable.addAndGet(i, n);
      }
    }
  }

  @Override
  public long takeDropped() {
    return dropped.getAndSet(0);
  }

  /**
   * The sums since the last drain, one entry per region reported; the reports dropped
   * since then ride on the first entry, or on an empty one (region null) when no report got
   * through. Each count is taken and zeroed atomically: a report added meanwhile counts in
   * this drain or the next, never in none.
   */
  @Override
  public List<TrafficCounts> drain() {
    List<TrafficCounts> out = new ArrayList<>();
    long lost = dropped.getAndSet(0);
    for (Map.Entry<String, Sums> e : new TreeMap<>(regions).entrySet()) {
      Sums s = e.getValue();
      long ok = s.ok.getAndSet(0);
      long ignored = s.ignored.getAndSet(0);
      Map<String, Long> byClass = new TreeMap<>();
      long unreachable = 0;
      for (int i = 0; i < TrafficCounts.UNREACHABLE.size(); i++) {
        long n = s.unreachable.getAndSet(i, 0);
        if (n > 0) {
          byClass.put(TrafficCounts.UNREACHABLE.get(i), n);
          unreachable += n;
        }
      }
      if (ok > 0 || unreachable > 0 || ignored > 0) {
        out.add(new TrafficCounts(e.getKey(), ok, unreachable, byClass, ignored,
            out.isEmpty() ? lost : 0, NAME));
      }
    }
    if (out.isEmpty() && lost > 0) {
      out.add(new TrafficCounts(null, 0, 0, Map.of(), 0, lost, NAME));
    }
    return out;
  }
}
