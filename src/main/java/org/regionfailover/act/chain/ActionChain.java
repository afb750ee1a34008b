package org.regionfailover.act.chain;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.regionfailover.config.Region;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Backoff;
import org.regionfailover.time.NamedThreads;
import org.regionfailover.time.Ticker;
import org.regionfailover.act.Action;

/**
 * Runs the steps of a switch (env file, restart...) in order on the act stage's own
 * thread, so that probing goes on meanwhile. A failed step stops the chain, is reported,
 * and the whole chain is retried with backoff; only a chain that completed is
 * acknowledged to the loop. Each failed attempt is reported to the submitter, whose
 * decide stage may {@link #cancel} the chain; the act stage never gives up by itself.
 */
public final class ActionChain implements AutoCloseable {
  private final List<Action> actions;
  private final Backoff backoff;
  /** Jobs of an older generation were cancelled: their retries are dropped. */
  private final AtomicLong generation = new AtomicLong();
  private volatile Job current;
  private volatile String lastFailure = "";
  private volatile int lastAttempt;
  private final EventLog log;
  private final Ticker ticker;
  private final DoubleSupplier random;
  private final ScheduledThreadPoolExecutor executor;

  /** One submitted chain: its steps, its callbacks and when its first attempt began. */
  private record Job(Region target, List<Action> steps, Runnable onDone,
      Consumer<String> onAttemptFailed, long firstAttemptAt, long generation) {}

  /** A chain that retries until it succeeds, is cancelled, or the supervisor stops. */
  public ActionChain(List<Action> actions, Backoff backoff, EventLog log, Ticker ticker) {
    this(actions, backoff, log, ticker, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** With an explicit source of jitter, for tests. */
  public ActionChain(List<Action> actions, Backoff backoff, EventLog log, Ticker ticker,
      DoubleSupplier random) {
    this.actions = List.copyOf(actions);
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.log = Objects.requireNonNull(log, "log");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.random = Objects.requireNonNull(random, "random");
    this.executor = new ScheduledThreadPoolExecutor(1, NamedThreads.daemons("act"));
    // A retry that is still waiting when we stop must not fire after shutdown.
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Starts moving the host to {@code target}; {@code onDone} runs once every step succeeded. */
  public void submit(Region target, Runnable onDone) {
    submit(target, actions, onDone, reason -> { });
  }

  /** As {@link #submit(Region, Runnable)}; {@code onAttemptFailed} hears of every failed attempt. */
  public void submit(Region target, Runnable onDone, Consumer<String> onAttemptFailed) {
    submit(target, actions, onDone, onAttemptFailed);
  }

  /** Like {@link #submit(Region, Runnable)} with other steps, e.g. the first start of the stack. */
  public void submit(Region target, List<Action> steps, Runnable onDone) {
    submit(target, steps, onDone, reason -> { });
  }

  /**
   * As above; {@code onAttemptFailed} receives each failure. The chain is retried with
   * backoff until it succeeds or {@link #cancel} drops it: when to give up is not decided here.
   */
  public void submit(Region target, List<Action> steps, Runnable onDone,
      Consumer<String> onAttemptFailed) {
    List<Action> copy = List.copyOf(steps);
    long gen = generation.get();
    execute(() -> attempt(new Job(target, copy, onDone, onAttemptFailed, ticker.read(), gen), 0));
  }

  /**
   * Drops the retries of every chain submitted so far (a step in progress finishes, and
   * its chain is not acknowledged); reports {@code switch_abandoned} for the one in hand.
   */
  public void cancel(String why) {
    generation.incrementAndGet();
    Job job = current;
    if (job != null) {
      current = null;
      log.emit(Event.error("switch_abandoned", "work on " + job.target().name()
              + " (a switch or a repair) given up"
              + " after " + millisSince(job.firstAttemptAt()) + " ms (" + lastAttempt
              + " attempts): " + why)
          .with("region", job.target().name()).with("host", job.target().host())
          .with("reason", lastFailure).with("attempt", lastAttempt)
          .with("duration_ms", millisSince(job.firstAttemptAt())));
    }
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
    if (job.generation() != generation.get()) {
      return; // cancelled while it waited for its retry
    }
    current = job;
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
    if (job.generation() != generation.get()) {
      return; // given up while its last step ran: the decide stage has moved on
    }
    current = null;
    acknowledge(job.onDone(), target);
  }

  private void failed(Job job, int attempt, Action action, Throwable e) {
    if (job.generation() != generation.get()) {
      return; // given up while this attempt ran: no retry to announce
    }
    Region target = job.target();
    String reason = action.name() + ": " + e.getMessage();
    lastFailure = reason;
    lastAttempt = attempt + 1;
    Duration delay = backoff.delay(attempt, random);
    log.emit(Event.error("action_failed", action.name() + " for " + target.name() + " failed: "
            + e.getMessage() + "; retrying in " + delay.toMillis() + " ms")
        .with("action", action.name()).with("region", target.name())
        .with("host", target.host()).with("reason", String.valueOf(e.getMessage()))
        .with("attempt", attempt + 1).with("retry_in_ms", delay.toMillis()));
    try {
      job.onAttemptFailed().accept(reason);
    } catch (RuntimeException ex) {
      log.emit(Event.error("act_error", "reporting a failed attempt failed: " + ex)
          .with("region", target.name()));
    }
    if (!executor.isShutdown() && job.generation() == generation.get()) {
      try {
        executor.schedule(() -> attempt(job, attempt + 1), delay.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException stopping) {
        // the supervisor is stopping; pending retries are dropped by design
      }
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
