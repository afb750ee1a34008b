package org.regionfailover.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Ticker;

/**
 * The demo's script, driven by what the loop reports rather than by a timer: once the
 * stack is up and the first region has answered a few probes, its simulated endpoint
 * goes down; after each completed failover the new region goes down after one healthy
 * probe; the last region of the order stays up, and its first healthy probe ends the
 * demo. Records when each step happened, for the summary.
 */
public final class DemoScenario implements EventLog {
  /**
   * Healthy probes of the first region before it goes down: enough to see the normal
   * case in the log (with supervisord they happen while the stack starts, so they cost
   * no extra time).
   */
  static final int FIRST_REGION_HEALTHY_PROBES = 3;

  private final RegionSimulator regions;
  private final List<String> order;
  private final boolean stackStart;
  private final EventLog log;
  private final Runnable onFinished;
  private final Ticker ticker;
  private final long origin;
  private final List<Leg> legs = new ArrayList<>();
  private int current;
  private int healthy;
  private boolean ready;
  private boolean goneDown;
  private long firstProbeAt = -1;
  private volatile boolean finished;

  /** One region taken down, and what the supervisor did about it (nanos from origin; -1 unseen). */
  public record Leg(String region, long downAt, long outageSeenAt, long failoverAt, String to,
      long restartMs, long switchMs) {
    Leg withOutageSeen(long at) {
      return new Leg(region, downAt, outageSeenAt < 0 ? at : outageSeenAt, failoverAt, to,
          restartMs, switchMs);
    }

    Leg withFailover(long at, String target) {
      return new Leg(region, downAt, outageSeenAt, at, target, restartMs, switchMs);
    }

    Leg withRestart(long ms) {
      return new Leg(region, downAt, outageSeenAt, failoverAt, to, ms, switchMs);
    }

    Leg withSwitch(long ms) {
      return new Leg(region, downAt, outageSeenAt, failoverAt, to, restartMs, ms);
    }
  }

  /**
   * {@code order}: the failover order; {@code stackStart}: whether the loop starts the
   * stack first (then probes count only after {@code stack_started}); {@code log}: where
   * the scenario's own events go; {@code onFinished}: called once, when the script is done;
   * {@code origin}: the tick the recorded times count from (the demo's start).
   */
  public DemoScenario(RegionSimulator regions, List<String> order, boolean stackStart,
      EventLog log, Runnable onFinished, Ticker ticker, long origin) {
    this.regions = Objects.requireNonNull(regions, "regions");
    this.order = List.copyOf(order);
    this.stackStart = stackStart;
    this.log = Objects.requireNonNull(log, "log");
    this.onFinished = Objects.requireNonNull(onFinished, "onFinished");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.origin = origin;
  }

  @Override
  public synchronized void emit(Event e) {
    long now = ticker.read() - origin;
    Object region = e.fields().get("region");
    switch (e.name()) {
      case "region_adopted" -> ready |= !stackStart;
      case "stack_started" -> ready = true;
      case "probe" -> {
        firstProbeAt = firstProbeAt < 0 ? now : firstProbeAt;
        if (Boolean.TRUE.equals(e.fields().get("healthy")) && order.get(current).equals(region)) {
          healthy++;
        }
      }
      case "outage_started" -> updateLeg(region, l -> l.withOutageSeen(now));
      case "failover" -> updateLeg(region, l -> l.withFailover(now,
          String.valueOf(e.fields().get("to_region"))));
      case "restart_completed" -> updateLastLeg(l -> l.withRestart(number(e, "duration_ms")));
      case "failover_completed" -> {
        updateLastLeg(l -> l.withSwitch(number(e, "duration_ms")));
        int at = order.indexOf(String.valueOf(region));
        current = at < 0 ? current : at;
        healthy = 0;
        goneDown = false;
      }
      default -> { }
    }
    step(now);
  }

  private void step(long now) {
    if (!ready || goneDown || finished) {
      return;
    }
    int needed = legs.isEmpty() ? FIRST_REGION_HEALTHY_PROBES : 1;
    if (healthy < needed) {
      return;
    }
    String region = order.get(current);
    if (current == order.size() - 1) {
      finished = true;
      log.emit(Event.info("demo_finished", "demo: " + region + " answers; scenario complete,"
          + " stopping the supervisor").with("region", region));
      onFinished.run();
      return;
    }
    goneDown = true;
    regions.setUp(region, false);
    legs.add(new Leg(region, now, -1, -1, null, -1, -1));
    log.emit(Event.warn("demo_region_down", "demo: region " + region + " is now down (its"
            + " simulated cloudlookup answers 503)").with("region", region));
  }

  private void updateLeg(Object region, java.util.function.UnaryOperator<Leg> change) {
    int i = legs.size() - 1;
    if (i >= 0 && legs.get(i).region().equals(region)) {
      legs.set(i, change.apply(legs.get(i)));
    }
  }

  private void updateLastLeg(java.util.function.UnaryOperator<Leg> change) {
    if (!legs.isEmpty()) {
      legs.set(legs.size() - 1, change.apply(legs.get(legs.size() - 1)));
    }
  }

  private static long number(Event e, String field) {
    return e.fields().get(field) instanceof Number n ? n.longValue() : -1;
  }

  /** Whether the script ran to its end. */
  public boolean finished() {
    return finished;
  }

  /** The regions taken down so far, in order. */
  public synchronized List<Leg> legs() {
    return List.copyOf(legs);
  }

  /** Nanoseconds from the scenario's start to the first probe; -1 if none yet. */
  public synchronized long firstProbeAt() {
    return firstProbeAt;
  }

  /** The regions the host was on, in order: the first, then each failover's target. */
  public synchronized List<String> visited() {
    List<String> out = new ArrayList<>(List.of(order.get(0)));
    legs.stream().filter(l -> l.to() != null && l.switchMs() >= 0).forEach(l -> out.add(l.to()));
    return out;
  }
}
