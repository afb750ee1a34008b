package org.regionfailover.replay;

import org.regionfailover.probe.ProbeResult;

/**
 * One line of a recorded log that a replay reads (see {@link Kind}), of region
 * {@code region} (index in the replay's order), at {@code at} (epoch nanoseconds). Mutable
 * and reused line after line, so that reading a year of probes allocates nothing per line
 * but the result itself.
 */
public final class RecordedInput {
  /**
   * The loop's events that a replay reads, by their names: the one list to extend when
   * replay reads another kind of line (then {@link Replay#accept} says what it means).
   */
  public enum Kind {
    /** A chain probe: {@code region}, {@code healthy}, {@code latency_ms}, {@code status}. */
    CHAIN("probe"),
    /** A direct probe of the region's host, with the fields of a chain probe. */
    DIRECT("region_probe"),
    /** The recording started its stack on {@code region} ({@code full_restart}): its start. */
    STACK_STARTING("stack_starting"),
    /** The recording began to move to {@code to_region}, or to repair in place on {@code region}. */
    SWITCH_BEGUN("failover", "failback", "repair"),
    /** The recording's switch to {@code region} (or its restart there) is done. */
    SWITCH_DONE("failover_completed", "repair_completed", "stack_started"),
    /** The recording gave up its switch to {@code region}, because of {@code reason}. */
    SWITCH_ABANDONED("failover_failed", "repair_failed", "stack_start_failed"),
    /**
     * The fleet moved the recording to {@code region} at {@code epoch}: a {@code failover},
     * {@code failback} or {@code manual_switch} line with {@code fleet: true} ({@code move}
     * names which; {@code user} the operator of a manual one). An input, not a decision of
     * the host's: the replay takes it as the loop did.
     */
    FLEET_MOVE("manual_switch"),
    /**
     * A reload applied settings ({@code reload_applied}): {@code changes} holds the new
     * values of the set replayed, by variable; the loop took them between two steps, after a
     * switch in progress. Its time is the line's: the loop had taken them by then.
     */
    RELOAD("reload_applied"),
    /**
     * A source's counts of the applications' calls through {@code region} over one interval
     * ({@code traffic}: {@code ok}, {@code unreachable}, {@code source}, {@code errors} by
     * class): the loop's echo of its traffic input, taken again as that input.
     */
    TRAFFIC("traffic");

    final String[] events;

    Kind(String... events) {
      this.events = events;
    }
  }

  Kind kind;
  int region;
  /** The recorded {@code decided_at} when the line has one, else its {@code @timestamp}. */
  long at;
  /** Whether {@link #at} is the loop's own decision time ({@code decided_at}). */
  boolean decided;
  ProbeResult result;
  /** {@code stack_starting}: the whole stack was restarted. */
  boolean fullRestart;
  /** {@code *_failed}: why; a fleet move: the fleet's reason. */
  String reason;
  /** A fleet move: its epoch, the event that logged it, and the operator ({@code user}). */
  int epoch = -1;
  String move;
  String user;
  /** A reload: the set's changed settings, variable to new value (null: its default). */
  java.util.Map<String, String> changes;
  /** A traffic line: its counts, source and unreachable errors by class (maybe empty). */
  long ok;
  long unreachable;
  String source;
  java.util.Map<String, Long> byClass;

  public Kind kind() {
    return kind;
  }

  /** Whether this was a direct probe of the region's host ({@code region_probe}). */
  public boolean direct() {
    return kind == Kind.DIRECT;
  }

  /** Index of the region in the replay's failover order (for a switch: its target). */
  public int region() {
    return region;
  }

  /** When the loop decided it ({@code decided_at}), or else when the line was written. */
  public long at() {
    return at;
  }

  /** A probe's result; null for another kind. */
  public ProbeResult result() {
    return result;
  }

  /** A reload's changed settings, variable to new value (null: back to the default). */
  public java.util.Map<String, String> changes() {
    return changes;
  }

  /** A traffic line as the input the loop took ({@code traffic}); only for that kind. */
  public org.regionfailover.decide.Input.Traffic traffic() {
    return new org.regionfailover.decide.Input.Traffic(region, ok, unreachable,
        byClass == null ? java.util.Map.of() : byClass, source == null ? "" : source);
  }

  void copyFrom(RecordedInput other) {
    kind = other.kind;
    region = other.region;
    at = other.at;
    decided = other.decided;
    result = other.result;
    fullRestart = other.fullRestart;
    reason = other.reason;
    epoch = other.epoch;
    move = other.move;
    user = other.user;
    changes = other.changes;
    ok = other.ok;
    unreachable = other.unreachable;
    source = other.source;
    byClass = other.byClass;
  }
}
