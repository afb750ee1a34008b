package org.regionfailover.act.chain;

import java.util.List;
import java.util.Objects;
import org.regionfailover.config.Region;
import org.regionfailover.act.ActStage;
import org.regionfailover.act.Action;
import org.regionfailover.act.supervisord.StackRepair;

/**
 * The act stage on an {@link ActionChain}: one thread runs every switch, start and repair
 * in the order they were asked for, so two of them never touch the stack at once.
 */
public final class ActionChainStage implements ActStage {
  private final ActionChain chain;
  private final List<Action> switchSteps;
  private final List<Action> restartSteps;
  private final List<Action> startSteps;
  private final List<Action> fullRestartSteps;
  private final StackRepair repair;

  /**
   * {@code switchSteps} move the host; {@code startSteps} start what is not running at
   * start-up and {@code fullRestartSteps} restart all of it after a switch cut short (both
   * empty: nothing to start); {@code repair} may be null when the stack is not watched.
   * A restart in place runs {@code fullRestartSteps} (without the env file).
   */
  public ActionChainStage(ActionChain chain, List<Action> switchSteps, List<Action> startSteps,
      List<Action> fullRestartSteps, StackRepair repair) {
    this(chain, switchSteps, startSteps, fullRestartSteps,
        fullRestartSteps.isEmpty() ? switchSteps : fullRestartSteps, repair);
  }

  /** As above, with the steps of a restart in place given. */
  public ActionChainStage(ActionChain chain, List<Action> switchSteps, List<Action> startSteps,
      List<Action> fullRestartSteps, List<Action> restartSteps, StackRepair repair) {
    this.chain = Objects.requireNonNull(chain, "chain");
    this.restartSteps = List.copyOf(restartSteps);
    this.switchSteps = List.copyOf(switchSteps);
    this.startSteps = List.copyOf(startSteps);
    this.fullRestartSteps = List.copyOf(fullRestartSteps);
    this.repair = repair;
  }

  /** Whether there is a stack to start at start-up. */
  public boolean startsStack() {
    return !startSteps.isEmpty();
  }

  @Override
  public void switchTo(Region target, Outcome outcome) {
    chain.submit(target, switchSteps, outcome::done, outcome::attemptFailed);
  }

  @Override
  public void restartInPlace(Region region, Outcome outcome) {
    chain.submit(region, restartSteps, outcome::done, outcome::attemptFailed);
  }

  @Override
  public void startStack(Region region, boolean fullRestart, Outcome outcome) {
    chain.submit(region, fullRestart ? fullRestartSteps : startSteps, outcome::done,
        outcome::attemptFailed);
  }

  @Override
  public void repair(Region region, Repaired repaired) {
    if (repair == null) {
      throw new IllegalStateException("the stack is not watched, so it cannot be repaired");
    }
    chain.submit(region, List.of(repair),
        () -> repaired.repaired(repair.lastStarted(), repair.repairs()), reason -> { });
  }

  @Override
  public void abandonSwitch(String why) {
    chain.cancel(why);
  }

  @Override
  public void close(long graceMillis) {
    chain.close(java.time.Duration.ofMillis(graceMillis));
  }
}
