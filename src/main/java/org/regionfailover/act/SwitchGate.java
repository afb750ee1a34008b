package org.regionfailover.act;

import java.util.function.Consumer;
import org.regionfailover.report.Event;

/**
 * Whether a switch the decide stage asked for may go ahead: the operators' pre-switch hook
 * (issue 28), asked after the decision and before the env file is touched. The answer comes
 * through a callback: a hook that takes its time must not hold the loop's thread.
 */
public interface SwitchGate {
  /**
   * The answer: {@code allowed}, or vetoed by {@code hook} (its path) with the last line it
   * printed ({@code output}, empty if none), or by its timeout ({@code timedOut}).
   */
  record Verdict(boolean allowed, String hook, String output, boolean timedOut) {
    /** No hook to ask: every switch may go. */
    public static final Verdict OPEN = new Verdict(true, "", "", false);
  }

  /**
   * Asks about the switch {@code decision} describes (its event: failover, failback,
   * manual move, planned move); {@code answer} is called exactly once, on another thread
   * (or at once, on the caller's, when there is nothing to wait for: {@link #OPEN}).
   */
  void ask(Event decision, Consumer<Verdict> answer);

  /** The gate of a host without a pre-switch hook: it allows every switch at once. */
  SwitchGate OPEN = (decision, answer) -> answer.accept(Verdict.OPEN);
}
