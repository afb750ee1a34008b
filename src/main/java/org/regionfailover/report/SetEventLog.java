package org.regionfailover.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The event log of one failover set: every event it passes on carries {@code set}, so that
 * a monitor, a dashboard and replay can tell the sets of one process apart. The field goes
 * right after the event's name, where a reader of the raw line looks first.
 */
public final class SetEventLog implements EventLog {
  /** The field every event of a set carries. */
  public static final String FIELD = "set";

  private final EventLog delegate;
  private final String set;

  public SetEventLog(EventLog delegate, String set) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.set = Objects.requireNonNull(set, "set");
  }

  @Override
  public void emit(Event event) {
    delegate.emit(of(event, set));
  }

  /** {@code event} as set {@code set} logs it: with {@code set} first, unless it has one. */
  public static Event of(Event event, String set) {
    if (event.fields().containsKey(FIELD)) {
      return event;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(FIELD, set);
    fields.putAll(event.fields());
    return new Event(event.name(), event.level(), event.message(), fields);
  }

  /** The set's name. */
  public String set() {
    return set;
  }
}
