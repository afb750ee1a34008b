package org.regionfailover.report;

import java.util.List;

/**
 * Sends every event to several logs in order, e.g. the JSON log and an observer that
 * reacts to what the loop did. A log that throws costs only its own copy of the event.
 */
public final class TeeEventLog implements EventLog {
  private final List<EventLog> logs;

  public TeeEventLog(EventLog... logs) {
    this.logs = List.of(logs);
  }

  @Override
  public void emit(Event event) {
    for (EventLog log : logs) {
      try {
        log.emit(event);
      } catch (RuntimeException e) {
        // The EventLog contract is "never throw": one broken observer must not stop the
        // event reaching the others, nor reach the loop.
      }
    }
  }
}
