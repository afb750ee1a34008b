package org.regionfailover;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;

/** An in-memory event log for tests: keeps every event in order. */
public final class RecordingEventLog implements EventLog {
  private final List<Event> events = new CopyOnWriteArrayList<>();

  @Override
  public void emit(Event event) {
    events.add(event);
  }

  public List<Event> events() {
    return List.copyOf(events);
  }

  public List<String> names() {
    return events.stream().map(Event::name).collect(Collectors.toList());
  }

  public List<Event> named(String name) {
    return events.stream().filter(e -> e.name().equals(name)).collect(Collectors.toList());
  }
}
