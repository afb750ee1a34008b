package org.regionfailover.decide;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.regionfailover.config.MaintenanceWindow;

/**
 * The planned maintenance a host knows of: the {@code windows} not yet over (of its own
 * regions), how long before one a host on its region moves ({@code lead}), and what has been
 * reported of them ({@code reported}: marks such as {@code ID/started}), so that each
 * start, end and blocked move is reported once; and an operator's hold that begins later
 * ({@code pendingHold}, null: none), judged on the same wall clock.
 */
public record MaintenancePlan(List<MaintenanceWindow> windows, Duration lead,
    Set<String> reported, Input.HoldCommand pendingHold) {
  /** No windows. */
  public static final MaintenancePlan NONE =
      new MaintenancePlan(List.of(), Duration.ZERO, Set.of(), null);

  public MaintenancePlan {
    windows = List.copyOf(windows);
    Objects.requireNonNull(lead, "lead");
    reported = Set.copyOf(reported);
  }

  /** The windows not over at {@code wall}, in the order given. */
  public List<MaintenanceWindow> ahead(Instant wall) {
    return windows.stream().filter(w -> !w.over(wall)).toList();
  }

  /** When a host on a window's region starts to move away from it. */
  public Instant moveFrom(MaintenanceWindow w) {
    return w.start().minus(lead);
  }

  MaintenancePlan windows(List<MaintenanceWindow> next, Duration nextLead) {
    Set<String> ids = new HashSet<>();
    next.forEach(w -> ids.add(w.id()));
    Set<String> kept = new HashSet<>(reported);
    kept.removeIf(mark -> !ids.contains(mark.substring(0, mark.indexOf('/'))));
    return new MaintenancePlan(next, nextLead, kept, pendingHold);
  }

  /** Whether {@code what} ({@code started}, {@code ended}, {@code blocked}) of {@code w} was reported. */
  boolean reported(MaintenanceWindow w, String what) {
    return reported.contains(w.id() + "/" + what);
  }

  MaintenancePlan report(MaintenanceWindow w, String what) {
    Set<String> next = new HashSet<>(reported);
    next.add(w.id() + "/" + what);
    return new MaintenancePlan(windows, lead, next, pendingHold);
  }

  /** With {@code hold} to begin at its start (null: none waiting). */
  MaintenancePlan pendingHold(Input.HoldCommand hold) {
    return new MaintenancePlan(windows, lead, reported, hold);
  }

  MaintenancePlan ended(MaintenanceWindow w) {
    List<MaintenanceWindow> rest = windows.stream().filter(x -> !x.equals(w)).toList();
    return windows(rest, lead);
  }
}
