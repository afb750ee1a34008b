package org.regionfailover.replay;

/** The fields of one line that a replay reads, whichever parser read them; reused per line. */
final class LineFields {
  static final int UNSET = -1;
  /** A region name not in the failover order. */
  static final int UNKNOWN = -2;

  long at;
  /** {@code decided_at}, or {@link IsoTimestamps#INVALID}. */
  long decided;
  /** Whether the line has an {@code event} field at all. */
  boolean event;
  /** What the event is to a replay; null: an event it does not read. */
  RecordedInput.Kind kind;
  /** Index in the order, {@link #UNKNOWN} or {@link #UNSET}; the same for {@link #toRegion}. */
  int region;
  int toRegion;
  /** 1 true, 0 false, or {@link #UNSET}; the same for {@link #fullRestart}. */
  int healthy;
  int fullRestart;
  long latency;
  int status;
  String reason;
  /** The event's name; {@code fleet} 1 true, 0 false or {@link #UNSET}; its epoch; user. */
  String eventName;
  int fleet;
  long epoch;
  String user;
  /** 1: of the set replayed, 0: of another set, {@link #UNSET}: of no set (the process's). */
  int set;
  /** {@code reload_applied}: the replayed set's changed settings, variable to new value. */
  java.util.Map<String, String> changes;
  /** {@code traffic}: its counts ({@link #UNSET} when absent), source and errors by class. */
  long ok;
  long unreachable;
  String source;
  java.util.Map<String, Long> errors;

  void reset() {
    at = IsoTimestamps.INVALID;
    decided = IsoTimestamps.INVALID;
    event = false;
    kind = null;
    region = UNSET;
    toRegion = UNSET;
    healthy = UNSET;
    fullRestart = UNSET;
    latency = 0;
    status = UNSET;
    reason = null;
    eventName = null;
    fleet = UNSET;
    epoch = UNSET;
    user = null;
    set = UNSET;
    changes = null;
    ok = UNSET;
    unreachable = UNSET;
    source = null;
    errors = null;
  }
}
