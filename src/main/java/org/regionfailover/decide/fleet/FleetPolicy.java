package org.regionfailover.decide.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.Quorum;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Budget;
import org.regionfailover.decide.RegionView.Health;
import org.regionfailover.decide.TargetChoice;

/**
 * The decider's rules on the fleet's evidence, pure: {@code (state, views, now) -> step}.
 * The fleet's region is down when at least the quorum of live hosts have seen it down for
 * the threshold; the target is chosen by the same pre-flight as one host's, on the fleet's
 * direct views; the fleet's budget and an operator's hold apply as on one host; an earlier
 * region up for a quorum of hosts for the fail-back time is gone back to.
 *
 * <p>Times are wall-clock nanoseconds: deciders come and go, and the history they share in
 * ZooKeeper must mean the same to each.
 */
public final class FleetPolicy {
  /**
   * What a step concluded: the next state, a move to write ({@code proposal}, null: none),
   * and a finding to report once ({@code report}, null: nothing new).
   */
  public record Step(FleetState next, Proposal proposal, Finding report) {}

  /** A move of the fleet to {@code target}: {@code kind} failover, failback or operator. */
  public record Proposal(int target, String kind, String reason) {}

  /** Something to report: an event name and a sentence for the operator. */
  public record Finding(String event, String message) {}

  /** The answer to an operator's command, and the step it makes. */
  public record Answer(boolean accepted, String outcome, Step step) {}

  private final List<Region> order;
  private final Duration threshold;
  private final Quorum quorum;
  private final FailbackMode failback;
  private final Duration failbackAfter;
  private final Budget budget;
  private final TargetChoice targets;

  public FleetPolicy(List<Region> order, Duration threshold, Quorum quorum,
      FailbackMode failback, Duration failbackAfter, Budget budget) {
    this.order = List.copyOf(order);
    this.threshold = Objects.requireNonNull(threshold, "threshold");
    this.quorum = Objects.requireNonNull(quorum, "quorum");
    this.failback = Objects.requireNonNull(failback, "failback");
    this.failbackAfter = Objects.requireNonNull(failbackAfter, "failbackAfter");
    this.budget = Objects.requireNonNull(budget, "budget");
    this.targets = new TargetChoice(this.order);
  }

  /** The index of {@code name} in the order, -1 when it is not there. */
  public int index(String name) {
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  public List<Region> order() {
    return order;
  }

  /** One pass over the fleet's views at {@code now}. */
  public Step decide(FleetState state, List<SeenView> views, long now) {
    FleetState s = state;
    if (s.hold() != null && s.hold().expired(now)) {
      s = s.hold(null);
    }
    s = s.upSince(upSince(s, views, now));
    int live = views.size();
    int need = quorum.required(live);
    int down = downOnActive(s, views, now);
    if (live > 0 && down >= need) {
      return outage(s, views, now, down, live, need);
    }
    Step back = failBack(s, views, now, need);
    if (back != null) {
      return back;
    }
    return new Step(s.reported(null), null, null);
  }

  /** Hosts on the fleet's region whose chain has failed for the threshold. */
  int downOnActive(FleetState s, List<SeenView> views, long now) {
    return seeingDown(s.active(), views, now);
  }

  /**
   * The hosts that count toward moving the fleet off region {@code active} at {@code now}:
   * on that region, their chain failing for the threshold or longer.
   */
  public int seeingDown(int active, List<SeenView> views, long now) {
    String name = order.get(active).name();
    long limit = threshold.toNanos();
    return (int) views.stream().filter(v -> v.view().region().equals(name))
        .filter(v -> v.downFor(now) >= limit).count();
  }

  public Quorum quorum() {
    return quorum;
  }

  public Duration threshold() {
    return threshold;
  }

  /** The fleet's budget of automatic transitions. */
  public Budget budget() {
    return budget;
  }

  private Step outage(FleetState s, List<SeenView> views, long now, int down, int live,
      int need) {
    Region from = order.get(s.active());
    String evidence = down + " of " + live + " live hosts have seen " + from.name()
        + " down for " + threshold.toSeconds() + " s or more (quorum " + quorum + " = "
        + need + ")";
    if (s.hold() != null) {
      return refused(s, "fleet_transition_held", "a fleet failover from " + from.name()
          + " is due (" + evidence + ") but " + s.hold().user() + " holds the fleet ("
          + s.hold().reason() + ")");
    }
    TargetChoice.Choice choice = targets.after(s.active(), r -> health(views, r),
        (r, h) -> order.get(r).name() + ": " + h.name().toLowerCase(Locale.ROOT)
            + " for the fleet");
    if (choice.blocked()) {
      return refused(s, "fleet_failover_blocked", "no fleet failover from " + from.name()
          + " (" + evidence + "): every other region is down on the fleet's direct probes ("
          + String.join("; ", choice.skipped()) + ")");
    }
    long[] history = s.history();
    if (!budget.allows(history, now)) {
      long freeIn = budget.nextFree(history, now) - now;
      return refused(s, "fleet_failover_blocked", "no fleet failover from " + from.name()
          + " (" + evidence + "): the fleet's budget of " + budget.count() + " transitions in "
          + budget.window().toSeconds() + " s is spent; a slot frees in "
          + Duration.ofNanos(freeIn).toSeconds() + " s");
    }
    String reason = evidence + (choice.skipped().isEmpty() ? ""
        : "; passed over " + String.join(", ", choice.skipped()));
    return moved(s, choice.target(), "failover", reason, now);
  }

  private Step failBack(FleetState s, List<SeenView> views, long now, int need) {
    if (failback != FailbackMode.AUTO || s.hold() != null) {
      return null;
    }
    long[] history = s.history();
    if (history.length > 0 && now - history[history.length - 1] - failbackAfter.toNanos() < 0) {
      return null;
    }
    long[] up = s.upSince();
    for (int r = 0; r < s.active(); r++) {
      if (up[r] != FleetState.NEVER && now - up[r] - failbackAfter.toNanos() >= 0) {
        if (!budget.allows(history, now)) {
          return refused(s, "fleet_failover_blocked", "a fleet fail-back to "
              + order.get(r).name() + " is due but the fleet's budget is spent");
        }
        return moved(s, r, "failback", order.get(r).name() + " has been up for at least "
            + need + " hosts' direct probes for " + failbackAfter.toSeconds() + " s", now);
      }
    }
    return null;
  }

  /** Since when each region has been up on at least the quorum of hosts' direct probes. */
  private long[] upSince(FleetState s, List<SeenView> views, long now) {
    long[] up = s.upSince();
    int need = quorum.required(views.size());
    for (int r = 0; r < order.size(); r++) {
      String name = order.get(r).name();
      long ups = views.stream().filter(v -> v.view().direct().get(name) == Health.UP).count();
      if (views.isEmpty() || ups < need) {
        up[r] = FleetState.NEVER;
      } else if (up[r] == FleetState.NEVER) {
        up[r] = now;
      }
    }
    return up;
  }

  /**
   * A region's health for the fleet: unknown when no host has seen it, down when more hosts
   * see it down than up, else up.
   */
  Health health(List<SeenView> views, int region) {
    String name = order.get(region).name();
    long ups = views.stream().filter(v -> v.view().direct().get(name) == Health.UP).count();
    long downs = views.stream().filter(v -> v.view().direct().get(name) == Health.DOWN).count();
    if (ups + downs == 0) {
      return Health.UNKNOWN;
    }
    return downs > ups ? Health.DOWN : Health.UP;
  }

  private Step refused(FleetState s, String event, String message) {
    String key = event + ":" + message.replaceAll("[0-9]+ s", "");
    if (key.equals(s.reported())) {
      return new Step(s, null, null);
    }
    return new Step(s.reported(key), null, new Finding(event, message));
  }

  private Step moved(FleetState s, int target, String kind, String reason, long now) {
    long[] next = budget.record(s.history(), now);
    return new Step(s.moved(target, keep(next, now)), new Proposal(target, kind, reason), null);
  }

  /** The history kept: the budget's window, and the last transition for the fail-back time. */
  private long[] keep(long[] history, long now) {
    long keepNanos = Math.max(budget.window().toNanos(), failbackAfter.toNanos());
    long[] kept = java.util.Arrays.stream(history).filter(t -> now - t - keepNanos < 0)
        .toArray();
    return kept.length > 0 ? kept : new long[] {history[history.length - 1]};
  }

  /** An operator's command for the fleet at {@code now}. */
  public Answer command(FleetState state, FleetCommand c, List<SeenView> views, long now) {
    return switch (c.name()) {
      case "hold" -> {
        long until = c.duration() == null ? 0 : now + c.duration().toNanos();
        FleetHold hold = new FleetHold(c.user(), c.reason() == null ? "" : c.reason(), now,
            until);
        yield new Answer(true, (state.hold() != null ? "fleet hold replaced: " : "fleet held: ")
            + "no automatic fleet transition " + (c.duration() == null ? "until released"
                : "for " + c.duration()), new Step(state.hold(hold), null, null));
      }
      case "release" -> state.hold() == null
          ? new Answer(false, "the fleet is not held", new Step(state, null, null))
          : new Answer(true, "released: automatic fleet transitions resume",
              new Step(state.hold(null), null, null));
      default -> move(state, c, views, now);
    };
  }

  private Answer move(FleetState state, FleetCommand c, List<SeenView> views, long now) {
    if (c.target() < 0 || c.target() >= order.size()) {
      return new Answer(false, "no region " + c.target() + " in the order",
          new Step(state, null, null));
    }
    Region to = order.get(c.target());
    if (c.target() == state.active()) {
      return new Answer(false, "the fleet is already on " + to.name(),
          new Step(state, null, null));
    }
    if (!c.force() && health(views, c.target()) == Health.DOWN) {
      return new Answer(false, to.name() + " is down on most hosts' direct probes; add"
          + " force=true to move the fleet anyway", new Step(state, null, null));
    }
    Step step = moved(state, c.target(), "operator", c.user() + " from " + c.address()
        + " (on " + c.host() + ") asked: " + c.name() + (c.force() ? ", forced" : ""), now);
    return new Answer(true, "moving the fleet from " + order.get(state.active()).name()
        + " to " + to.name(), step);
  }
}
