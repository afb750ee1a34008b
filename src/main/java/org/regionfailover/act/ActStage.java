package org.regionfailover.act;

import java.util.List;
import org.regionfailover.config.Region;

/**
 * The act stage as the loop sees it: moves the host, starts or repairs the stack, each in
 * the background, and answers through callbacks (which the loop turns into inputs for its
 * own thread). Nothing here decides: when to give a switch up is the decide stage's call,
 * carried out by {@link #abandonSwitch}.
 */
public interface ActStage extends AutoCloseable {
  /** How a switch or a start of the stack went. */
  interface Outcome {
    /** Every step succeeded. */
    void done();

    /** One attempt failed ({@code reason}); the act stage retries with backoff. */
    void attemptFailed(String reason);
  }

  /** A repair of the stack succeeded: {@code started} programs, {@code repairs} so far. */
  interface Repaired {
    void repaired(List<String> started, int repairs);
  }

  /** Moves the host to {@code target}: journal, env file, ordered restart. */
  void switchTo(Region target, Outcome outcome);

  /**
   * Restarts the stack on {@code region}, the active one, without touching the env file:
   * the region answers, the fault is on this host (repair in place).
   */
  void restartInPlace(Region region, Outcome outcome);

  /** Starts the stack on {@code region}: what is not running, or all of it ({@code fullRestart}). */
  void startStack(Region region, boolean fullRestart, Outcome outcome);

  /** Starts again, in order, the programs that are not running; never given up. */
  void repair(Region region, Repaired repaired);

  /** Stops retrying the switch in progress (a step in hand finishes); {@code why} is reported. */
  void abandonSwitch(String why);

  /** Stops: a step in progress may finish within {@code graceMillis}, pending retries are dropped. */
  void close(long graceMillis);

  @Override
  default void close() {
    close(10_000);
  }
}
