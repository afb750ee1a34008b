package org.regionfailover.decide;

/**
 * Where the supervisor stands. Each state carries its own clock readings (monotonic
 * nanoseconds from the injected ticker), so a decision needs nothing but the state, the
 * input and {@code now}.
 */
public sealed interface State {
  /** Index of the active region in the failover order. */
  int active();

  /** When the last probe started. */
  long lastProbeAt();

  /**
   * The same state with the last probe taken at {@code at}: where a reload of the rules puts
   * it when the interval changes (see {@link FailoverPolicy#adopt}).
   */
  State withLastProbeAt(long at);

  /** The active region answers, or nothing has been seen yet. */
  record Watching(int active, long lastProbeAt) implements State {
    @Override
    public State withLastProbeAt(long at) {
      return new Watching(active, at);
    }
  }

  /**
   * The active region has failed every probe since {@code since}.
   * {@code since} is moved forward over a pause of the process, so that only time we
   * actually spent watching counts toward the threshold.
   */
  record Down(int active, long lastProbeAt, long since, int failures, String reason)
      implements State {
    public Down {
      if (failures < 1) {
        throw new IllegalArgumentException("an outage has at least one failure: " + failures);
      }
    }

    @Override
    public State withLastProbeAt(long at) {
      return new Down(active, at, since, failures, reason);
    }
  }

  /**
   * The host is being moved from {@code active} to {@code target}; probes are not evidence
   * until the act stage reports the switch done, because the stack is restarting. At
   * start-up ({@code startup}, with {@code target == active}) this is the grace period
   * while the stack is first started.
   */
  record Switching(int active, int target, long lastProbeAt, long startedAt, boolean startup)
      implements State {
    /** A restart of the stack on the active region (repair in place), not a move. */
    public boolean inPlace() {
      return !startup && target == active;
    }

    @Override
    public State withLastProbeAt(long at) {
      return new Switching(active, target, at, startedAt, startup);
    }
  }

  /**
   * Programs of the stack on {@code active} were found not RUNNING (or supervisord did not
   * answer) at {@code since}, and are being started again. The tunnel is down, so probes
   * are not evidence against the region until the repair is done.
   */
  record Repairing(int active, long lastProbeAt, long since, String reason) implements State {
    @Override
    public State withLastProbeAt(long at) {
      return new Repairing(active, at, since, reason);
    }
  }
}
