package org.regionfailover.act;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.regionfailover.config.Region;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Backoff;
import org.regionfailover.time.Ticker;

/**
 * Runs the steps of a switch (env file, restart...) in order on the act stage's own
 * thread, so that probing goes on meanwhile. A failed step stops the chain, is reported,
 * and the whole chain is retried with backoff; only a chain that completed is
 * acknowledged to the loop. A chain still failing after {@code giveUpAfter} is abandoned
 * and reported as such, so the loop is never left waiting on a switch that cannot happen.
 */
public final class ActionChain implements AutoCloseable {
  private final List<Action> actions;
  private final Backoff backoff;
  private final Duration giveUpAfter;
  private final EventLog log;
  private final Ticker ticker;
  private final DoubleSupplier random;
  private final ScheduledThreadPoolExecutor executor;

  /** One submitted chain: its steps, its callbacks and when its first attempt began. */
  private record Job(Region target, List<Action> steps, Runnable onDone,
      Consumer<String> onGiveUp, long firstAttemptAt, boolean mayGiveUp) {}

  /** A chain that retries until it succeeds or the supervisor stops. */
  public ActionChain(List<Action> actions, Backoff backoff, EventLog log, Ticker ticker) {
    this(actions, backoff, null, log, ticker, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** With an explicit source of jitter, for tests. */
  public ActionChain(List<Action> actions, Backoff backoff, EventLog log, Ticker ticker,
      DoubleSupplier random) {
    this(actions, backoff, null, log, ticker, random);
  }

  /** A chain that gives up on a switch still failing after {@code giveUpAfter} (null: never). */
  public ActionChain(List<Action> actions, Backoff backoff, Duration giveUpAfter, EventLog log,
      Ticker ticker, DoubleSupplier random) {
    this.actions = List.copyOf(actions);
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.giveUpAfter = giveUpAfter;
    this.log = Objects.requireNonNull(log, "log");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.random = Objects.requireNonNull(random, "random");
    this.executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "act");
      t.setDaemon(true);
      return t;
    });
    // A retry that is still waiting when we stop must not fire after shutdown.
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Starts moving the host to {@code target}; {@code onDone} runs once every step succeeded. */
  public void submit(Region target, Runnable onDone) {
    submit(target, actions, onDone, reason -> { });
  }

  /** As {@link #submit(Region, Runnable)}; {@code onGiveUp} runs if the switch is abandoned. */
  public void submit(Region target, Runnable onDone, Consumer<String> onGiveUp) {
    submit(target, actions, onDone, onGiveUp);
  }

  /** Like {@link #submit(Region, Runnable)} with other steps, e.g. the first start of the stack. */
  public void submit(Region target, List<Action> steps, Runnable onDone) {
    submit(target, steps, onDone, reason -> { });
  }

  /** As above; {@code onGiveUp} receives the last failure when the chain is abandoned. */
  public void submit(Region target, List<Action> steps, Runnable onDone,
      Consumer<String> onGiveUp) {
    List<Action> copy = List.copyOf(steps);
    execute(() -> attempt(new Job(target, copy, onDone, onGiveUp, ticker.read(), true), 0));
  }

  /**
   * Runs {@code steps} until they succeed, however long that takes: a repair of the stack
   * in place is never abandoned, each failure is reported and retried with backoff.
   */
  public void submitUntilDone(Region target, List<Action> steps, Runnable onDone) {
    List<Action> copy = List.copyOf(steps);
    execute(() -> attempt(new Job(target, copy, onDone, reason -> { }, ticker.read(), false), 0));
  }

  private void execute(Runnable job) {
    try {
      executor.execute(job);
    } catch (RejectedExecutionException e) {
      // Stopping: a decision taken in the last tick has no one left to carry it out.
      log.emit(Event.warn("action_dropped", "stopping: a switch or repair decided during"
          + " shutdown was not started"));
    }
  }

  private void attempt(Job job, int attempt) {
    Region target = job.target();
    for (Action action : job.steps()) {
      long start = ticker.read();
      try {
        action.apply(target);
        log.emit(Event.info("action_completed", action.name() + " done for " + target.name())
            .with("action", action.name()).with("region", target.name())
            .with("host", target.host()).with("duration_ms", millisSince(start)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        log.emit(Event.warn("action_interrupted", action.name() + " for " + target.name()
                + " interrupted by shutdown; the switch did not complete")
            .with("action", action.name()).with("region", target.name()));
        return;
      } catch (Exception | Error e) {
        // Error too: thrown inside the executor it would vanish with no log, no retry, and
        // the loop stuck waiting for an acknowledgement.
        failed(job, attempt, action, e);
        return;
      }
    }
    acknowledge(job.onDone(), target);
  }

  private void failed(Job job, int attempt, Action action, Throwable e) {
    Region target = job.target();
    String reason = action.name() + ": " + e.getMessage();
    long failingMs = millisSince(job.firstAttemptAt());
    if (job.mayGiveUp() && giveUpAfter != null && failingMs >= giveUpAfter.toMillis()) {
      log.emit(Event.error("switch_abandoned", "switch to " + target.name() + " still failing"
              + " after " + failingMs + " ms (" + (attempt + 1) + " attempts); giving up: "
              + reason)
          .with("region", target.name()).with("host", target.host())
          .with("reason", reason).with("attempt", attempt + 1).with("duration_ms", failingMs));
      try {
        job.onGiveUp().accept(reason);
      } catch (RuntimeException ex) {
        log.emit(Event.error("act_error", "reporting the abandoned switch failed: " + ex)
            .with("region", target.name()));
      }
      return;
    }
    Duration delay = backoff.delay(attempt, random);
    log.emit(Event.error("action_failed", action.name() + " for " + target.name() + " failed: "
            + e.getMessage() + "; retrying in " + delay.toMillis() + " ms")
        .with("action", action.name()).with("region", target.name())
        .with("host", target.host()).with("reason", String.valueOf(e.getMessage()))
        .with("attempt", attempt + 1).with("retry_in_ms", delay.toMillis()));
    if (!executor.isShutdown()) {
      executor.schedule(() -> attempt(job, attempt + 1), delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void acknowledge(Runnable onDone, Region target) {
    try {
      onDone.run();
    } catch (RuntimeException e) {
      log.emit(Event.error("act_error", "acknowledging the switch failed: " + e)
          .with("region", target.name()));
    }
  }

  private long millisSince(long start) {
    return TimeUnit.NANOSECONDS.toMillis(ticker.read() - start);
  }

  /**
   * Stops: a step in progress may finish within {@code grace} (an env write always does);
   * after that it is interrupted. Pending retries are dropped.
   */
  public void close(Duration grace) {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
        executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
