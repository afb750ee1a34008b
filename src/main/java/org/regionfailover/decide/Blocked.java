package org.regionfailover.decide;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The refused transition last reported, compared as a value (never by message text), so
 * that a block is reported when it starts and when its reason changes, not at every probe;
 * the status shows it meanwhile.
 */
public sealed interface Blocked {
  /** The {@code reason} of its {@code failover_blocked}, {@code /status} and the gauge. */
  String reason();

  /** Since when (ticker time) the block lasts; null for one that ends at a set time. */
  Long since();

  /**
   * A failover the probe asked for, refused because the applications' calls through the
   * region went through at volume ({@code --traffic-veto}): reported once per outage.
   */
  record TrafficHealthy(long startedAt) implements Blocked {
    @Override
    public String reason() {
      return "traffic_healthy";
    }

    @Override
    public Long since() {
      return startedAt;
    }
  }

  /** Refused by the budget until a slot frees at {@code freeAt}: reported once per slot. */
  record ByBudget(long freeAt) implements Blocked {
    @Override
    public String reason() {
      return "budget";
    }

    @Override
    public Long since() {
      return null;
    }
  }

  /**
   * No region to fail over to from {@code from} since {@code since}: every other region is
   * down on its direct probe, and {@code answers} says how, in the order after {@code from}:
   * the HTTP status it answered with, or empty when it did not answer. Reported again when
   * that changes (a region unreachable now answers 503); an error's text, which differs at
   * every probe ("timeout after 5003 ms"), is not a change. Forgotten when a probe no longer
   * finds the active region down.
   */
  record NoTarget(int from, List<OptionalInt> answers, long startedAt) implements Blocked {
    public NoTarget {
      answers = List.copyOf(answers);
    }

    @Override
    public String reason() {
      return "no_healthy_target";
    }

    @Override
    public Long since() {
      return startedAt;
    }

    /** The block for want of a target from {@code from} on {@code view}. */
    static NoTarget of(int from, RegionView view, long now, Blocked reported) {
      List<OptionalInt> answers = new ArrayList<>();
      for (int i = 1; i < view.size(); i++) {
        RegionView.Seen seen = view.last((from + i) % view.size());
        answers.add(seen == null ? OptionalInt.empty() : seen.result().status());
      }
      // Blocked since the first report of this outage, whatever reasons came after.
      return new NoTarget(from, answers, reported instanceof NoTarget n ? n.startedAt : now);
    }

    boolean sameReason(Blocked reported) {
      return reported instanceof NoTarget n && n.from == from && n.answers.equals(answers);
    }
  }

  /**
   * A move ({@code kind}, to region {@code target}) the pre-switch {@code hook} vetoed: it
   * exited non-zero, printing {@code output} last (empty: nothing), or ran past its timeout
   * ({@code timedOut}), since {@code startedAt} (issue 28). Not counted in the budget; the
   * move is decided, and the hook asked, again at the next probe. Reported when it starts
   * and when the hook's answer changes ({@link #sameVeto}), not at every ask.
   */
  record HookVeto(PendingSwitch.Kind kind, int target, String hook, String output,
      boolean timedOut, long startedAt) implements Blocked {
    /** The {@code failover_blocked} reason. */
    public static final String REASON = "hook_veto";

    public HookVeto {
      java.util.Objects.requireNonNull(kind, "kind");
      java.util.Objects.requireNonNull(hook, "hook");
      java.util.Objects.requireNonNull(output, "output");
    }

    @Override
    public String reason() {
      return REASON;
    }

    @Override
    public Long since() {
      return startedAt;
    }

    /** Whether {@code reported} is this veto, whatever its start: same move, same answer. */
    boolean sameVeto(Blocked reported) {
      return reported instanceof HookVeto h && h.kind == kind && h.target == target
          && h.hook.equals(hook) && h.output.equals(output) && h.timedOut == timedOut;
    }
  }
}
