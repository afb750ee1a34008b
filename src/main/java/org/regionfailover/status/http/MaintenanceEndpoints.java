package org.regionfailover.status.http;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.DurationParser;
import org.regionfailover.config.MaintenanceFile;
import org.regionfailover.config.MaintenanceWindow;
import org.regionfailover.loop.MaintenanceCalendar;

/**
 * The operators' maintenance windows, authenticated as the other commands:
 * {@code POST /maintenance?region=EU&start=2026-12-01T02:00Z&for=2h&reason=...} adds one,
 * {@code DELETE /maintenance/ID} removes one; both are written to the maintenance file, and
 * every set's loop gets the new schedule. The windows are the process's, not a set's: a
 * region's maintenance concerns every set that uses it.
 */
public final class MaintenanceEndpoints {
  private final MaintenanceCalendar calendar;
  private final Clock wall;

  public MaintenanceEndpoints(MaintenanceCalendar calendar, Clock wall) {
    this.calendar = Objects.requireNonNull(calendar, "calendar");
    this.wall = Objects.requireNonNull(wall, "wall");
  }

  /** Adds {@code POST /maintenance} and {@code DELETE /maintenance/ID} to {@code routes}. */
  public Routes.Builder register(Routes.Builder routes) {
    return routes.post("/maintenance", this::add).deletePrefix("/maintenance/", this::delete);
  }

  Reply add(Request r) {
    MaintenanceWindow window;
    try {
      window = window(r);
    } catch (IllegalArgumentException e) {
      return Reply.text(400, e.getMessage());
    }
    if (window.over(wall.instant())) {
      return Reply.text(400, "the window ended at " + window.end() + ", before now; a window"
          + " to come or under way is allowed");
    }
    try {
      boolean added = calendar.add(window);
      return Reply.json(added ? 201 : 200, describe(window, added ? "scheduled"
          : "already scheduled"));
    } catch (ConfigException e) {
      return Reply.text(409, "the maintenance file has errors, fix it first: " + e.getMessage());
    } catch (IOException e) {
      return Reply.text(500, "cannot write " + calendar.file() + ": " + e.getMessage());
    }
  }

  Reply delete(Request r) {
    String id = r.rest().strip();
    try {
      Optional<MaintenanceWindow> gone = calendar.remove(id);
      return gone.map(w -> Reply.json(200, describe(w, "removed")))
          .orElseGet(() -> Reply.text(404, "no maintenance window '"
              + ConfigException.shown(id) + "'; GET /status lists the windows with their IDs"));
    } catch (ConfigException e) {
      return Reply.text(409, "the maintenance file has errors, fix it first: " + e.getMessage());
    } catch (IOException e) {
      return Reply.text(500, "cannot write " + calendar.file() + ": " + e.getMessage());
    }
  }

  /** The window the query describes, or an IllegalArgumentException saying what is allowed. */
  private MaintenanceWindow window(Request r) {
    String region = MaintenanceFile.region(required(r, "region", "one of "
        + String.join(", ", calendar.regions())), calendar.regions());
    Instant start = MaintenanceFile.time("start", required(r, "start",
        MaintenanceFile.TIME_ALLOWED));
    Duration length;
    try {
      length = DurationParser.parse("for", required(r, "for", DurationParser.ALLOWED));
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    String reason = CommandEndpoints.clean(r.query("reason").orElse(""));
    if (reason.isEmpty()) {
      throw new IllegalArgumentException("reason: required, a sentence saying why (it shows"
          + " in the status, the log and the file)");
    }
    return new MaintenanceWindow(region, start, length, reason);
  }

  private static String required(Request r, String name, String allowed) {
    return r.query(name).filter(v -> !v.isBlank()).orElseThrow(() ->
        new IllegalArgumentException(name + ": required; " + allowed));
  }

  private static Map<String, Object> describe(MaintenanceWindow w, String outcome) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("outcome", outcome);
    o.put("id", w.id());
    o.put("region", w.region());
    o.put("start", w.start().toString());
    o.put("end", w.end().toString());
    o.put("reason", w.reason());
    return o;
  }
}
