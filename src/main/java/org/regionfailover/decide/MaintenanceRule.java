package org.regionfailover.decide;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.regionfailover.config.MaintenanceWindow;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Decision.MaintenanceNotice;

/**
 * Planned maintenance, judged on the wall clock at every step (never by a timer set once,
 * which a clock step or a suspended VM would skip): from a window's start minus the lead
 * until its end a host on its region moves away; during the window the region is no
 * target; after it a fail-back waits the fail-back time counted from the window's end.
 */
final class MaintenanceRule {
  private final List<Region> order;
  private final Duration failbackAfter;

  MaintenanceRule(List<Region> order, Duration failbackAfter) {
    this.order = order;
    this.failbackAfter = failbackAfter;
  }

  /** The index of a window's region in the order, or -1: another set's region. */
  int index(MaintenanceWindow w) {
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i).name().equals(w.region())) {
        return i;
      }
    }
    return -1;
  }

  /** Whether {@code region} is inside a window at {@code wall}: no failover or move there. */
  MaintenanceWindow closed(MaintenancePlan plan, int region, Instant wall) {
    return find(plan, region, w -> w.covers(wall));
  }

  /**
   * The window a host on {@code region} moves away for at {@code wall} (from its start
   * minus the lead to its end), or null; no planned move goes there either.
   */
  MaintenanceWindow leaving(MaintenancePlan plan, int region, Instant wall) {
    return find(plan, region, w -> !wall.isBefore(plan.moveFrom(w)) && !w.over(wall));
  }

  /** The window that keeps a fail-back off {@code region}: ahead within the lead, in it, or ended less than the fail-back time ago. */
  MaintenanceWindow keepsFailbackOff(MaintenancePlan plan, int region, Instant wall) {
    return find(plan, region, w -> !wall.isBefore(plan.moveFrom(w))
        && wall.isBefore(w.end().plus(failbackAfter)));
  }

  /**
   * A window of {@code region} that a host moving there now for {@code leaving} would have
   * to leave again before {@code leaving} ends (its lead starts before then), or null.
   */
  MaintenanceWindow clashes(MaintenancePlan plan, int region, MaintenanceWindow leaving,
      Instant wall) {
    return find(plan, region, w -> plan.moveFrom(w).isBefore(leaving.end()) && !w.over(wall));
  }

  private MaintenanceWindow find(MaintenancePlan plan, int region,
      java.util.function.Predicate<MaintenanceWindow> when) {
    for (MaintenanceWindow w : plan.windows()) {
      if (index(w) == region && when.test(w)) {
        return w;
      }
    }
    return null;
  }

  /**
   * A new schedule: this set's windows not over at {@code wall}; each new one is reported
   * as scheduled. Windows ended less than the fail-back time ago are kept, so the fail-back
   * still waits after a reload.
   */
  MaintenancePlan scheduled(MaintenancePlan plan, List<MaintenanceWindow> windows,
      Duration lead, Instant wall, List<Decision> out) {
    List<MaintenanceWindow> mine = new ArrayList<>();
    for (MaintenanceWindow w : windows) {
      int r = index(w);
      if (r < 0 || !wall.isBefore(w.end().plus(failbackAfter))) {
        continue;
      }
      mine.add(w);
      if (!w.over(wall) && !plan.windows().contains(w)) {
        out.add(new MaintenanceNotice(MaintenanceNotice.Kind.SCHEDULED, order.get(r), w,
            w.covers(wall) ? "under way" : "in " + human(Duration.between(wall, w.start()))));
      }
    }
    for (MaintenanceWindow w : plan.windows()) {
      if (!mine.contains(w) && !w.over(wall)) {
        out.add(new MaintenanceNotice(MaintenanceNotice.Kind.CANCELLED, order.get(index(w)), w,
            "removed from the schedule"));
      }
    }
    return plan.windows(mine, lead);
  }

  /**
   * The windows that started or ended by {@code wall}, reported once each; a window a clock
   * step jumped over entirely is reported as started and ended. A window ended is kept until
   * the fail-back time after its end has passed.
   */
  MaintenancePlan passed(MaintenancePlan plan, Instant wall, List<Decision> out,
      java.util.function.IntConsumer endedOn) {
    MaintenancePlan next = plan;
    for (MaintenanceWindow w : plan.windows()) {
      Region region = order.get(index(w));
      if (!wall.isBefore(w.start()) && !next.reported(w, "started")) {
        out.add(new MaintenanceNotice(MaintenanceNotice.Kind.STARTED, region, w,
            "until " + w.end()));
        next = next.report(w, "started");
      }
      if (w.over(wall) && !next.reported(w, "ended")) {
        out.add(new MaintenanceNotice(MaintenanceNotice.Kind.ENDED, region, w,
            "a fail-back waits until " + w.end().plus(failbackAfter)));
        next = next.report(w, "ended");
        endedOn.accept(index(w));
      }
      if (!wall.isBefore(w.end().plus(failbackAfter))) {
        next = next.ended(w);
      }
    }
    return next;
  }

  static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s >= 3600 ? s / 3600 + " h " + s % 3600 / 60 + " min" : s >= 60 ? s / 60 + " min "
        + s % 60 + " s" : s + " s";
  }
}
