package org.regionfailover.decide;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.regionfailover.config.Region;
import org.regionfailover.decide.RegionView.Health;

/**
 * Pre-flight: where a failover may go. The next region in the order, wrapping around,
 * whose direct health is up; failing that the next whose health is unknown; never one that
 * is down (failing over onto it would cost a whole threshold to find out). With a single
 * region the only move is a restart on it.
 */
public final class TargetChoice {
  /** The chosen region (-1: none) and the regions passed over, with why. */
  public record Choice(int target, List<String> skipped) {
    public boolean blocked() {
      return target < 0;
    }
  }

  private final List<Region> order;

  public TargetChoice(List<Region> order) {
    this.order = List.copyOf(order);
  }

  /** The target after {@code active}, judged on {@code view} at {@code now}. */
  Choice after(int active, RegionView view, long now) {
    return after(active, view, now, r -> null);
  }

  /**
   * As above, passing over the regions {@code closed} says why not to go to (a maintenance
   * window), as if they were down.
   */
  Choice after(int active, RegionView view, long now,
      java.util.function.IntFunction<String> closed) {
    return after(active, r -> closed.apply(r) != null ? Health.DOWN : view.health(r, now),
        (r, h) -> closed.apply(r) != null ? order.get(r).name() + ": " + closed.apply(r)
            : describe(r, h, view));
  }

  /**
   * The target after {@code active} by {@code health} of each region (the fleet's views);
   * {@code describe} says why a region was passed over.
   */
  public Choice after(int active, java.util.function.IntFunction<Health> health,
      java.util.function.BiFunction<Integer, Health, String> describe) {
    int n = order.size();
    if (n == 1) {
      return new Choice(active, List.of());
    }
    for (Health wanted : new Health[] {Health.UP, Health.UNKNOWN}) {
      List<String> skipped = new ArrayList<>();
      for (int i = 1; i < n; i++) {
        int r = (active + i) % n;
        Health h = health.apply(r);
        if (h == wanted) {
          return new Choice(r, skipped);
        }
        skipped.add(describe.apply(r, h));
      }
    }
    List<String> all = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      int r = (active + i) % n;
      all.add(describe.apply(r, health.apply(r)));
    }
    return new Choice(-1, all);
  }

  private String describe(int region, Health health, RegionView view) {
    String why = health.name().toLowerCase(Locale.ROOT);
    RegionView.Seen seen = view.last(region);
    if (health == Health.DOWN && seen != null) {
      why += " (" + seen.result().reason() + ")";
    }
    return order.get(region).name() + ": " + why;
  }
}
