package org.regionfailover.time;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Runs a task on fixed-rate slots ({@code origin + k * interval}) on its own thread.
 *
 * <p>Unlike {@code scheduleAtFixedRate}, missed slots are skipped rather than run back to
 * back after a pause, and the task can never kill the schedule: a task that throws is
 * reported and the next slot runs anyway (a JDK periodic task that throws is silently
 * cancelled, which for a supervisor means a missed failover). The caller says how it is
 * reported ({@code failed}, e.g. {@code EventLog::tickFailed}): {@code report} uses
 * {@code time}, so nothing in {@code time} can use events.
 */
public final class FixedRateRunner implements AutoCloseable {
  private final LongConsumer task;
  /** After construction, read and written on the runner's thread only (see {@link #reschedule}). */
  private long intervalNanos;
  /** The last slot run on the grid, and the run planned next; runner's thread only. */
  private long lastSlot;
  private ScheduledFuture<?> pending;
  private final Ticker ticker;
  private final Consumer<Throwable> failed;
  private final ScheduledThreadPoolExecutor executor;

  /** {@code task} receives the slot it runs for: the ticker time it was scheduled at. */
  public FixedRateRunner(LongConsumer task, Duration interval, Ticker ticker,
      Consumer<Throwable> failed) {
    this(task, interval, ticker, failed, "probe-loop");
  }

  /** As above, on a thread named {@code threadName}. */
  public FixedRateRunner(LongConsumer task, Duration interval, Ticker ticker,
      Consumer<Throwable> failed, String threadName) {
    this.task = Objects.requireNonNull(task, "task");
    this.intervalNanos = interval.toNanos();
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.failed = Objects.requireNonNull(failed, "failed");
    this.executor =
        new ScheduledThreadPoolExecutor(1, r -> NamedThreads.lasting(threadName, r));
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Starts with a first run now. */
  public void start() {
    long origin = ticker.read();
    executor.execute(() -> run(origin));
  }

  private void run(long slot) {
    lastSlot = slot;
    runSafely(slot);
    if (executor.isShutdown()) {
      return;
    }
    long now = ticker.read();
    long next = nextSlot(slot, now, intervalNanos);
    pending = executor.schedule(() -> run(next), next - now, TimeUnit.NANOSECONDS);
  }

  /**
   * From now on runs every {@code interval}, then runs {@code afterwards}: both on the
   * runner's thread once a tick in progress has finished (so {@code afterwards} may close
   * what the old ticks used). Never blocks. The first run on the new grid comes one interval
   * after the last slot, the shorter of the old and new intervals, or at once when that
   * moment has passed: a faster cadence starts without waiting for a slow slot, a slower one
   * keeps the slot that was due next, and no two runs come closer than the shorter interval.
   * Once the runner is closed, only {@code afterwards} runs, on the calling thread.
   */
  public void reschedule(Duration interval, Runnable afterwards) {
    long next = interval.toNanos();
    if (next <= 0) {
      throw new IllegalArgumentException("the interval must be positive: " + interval);
    }
    Objects.requireNonNull(afterwards, "afterwards");
    try {
      executor.execute(() -> replan(next, afterwards));
    } catch (RejectedExecutionException e) {
      afterwards.run();
    }
  }

  private void replan(long interval, Runnable afterwards) {
    try {
      if (interval != intervalNanos && pending != null && pending.cancel(false)) {
        long now = ticker.read();
        long first = lastSlot + Math.min(intervalNanos, interval);
        long slot = now - first >= 0 ? now : first;
        pending = executor.schedule(() -> run(slot), slot - now, TimeUnit.NANOSECONDS);
      }
      intervalNanos = interval;
    } finally {
      try {
        afterwards.run();
      } catch (Throwable t) {
        failed.accept(t);
      }
    }
  }

  /** Runs the task once more now, off the grid (on the same thread, so never concurrently). */
  public void runNow() {
    if (!executor.isShutdown()) {
      try {
        executor.execute(() -> runSafely(ticker.read()));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // stopping
      }
    }
  }

  /**
   * Runs the task once more after {@code delay}, off the grid (same thread, never
   * concurrently); empty when the runner is stopping.
   */
  public Optional<ScheduledFuture<?>> runAfter(Duration delay) {
    try {
      return Optional.of(executor.schedule(() -> runSafely(ticker.read()), delay.toNanos(),
          TimeUnit.NANOSECONDS));
    } catch (RejectedExecutionException e) {
      return Optional.empty();
    }
  }

  /**
   * A task that throws is reported and the runner goes on: the JDK would otherwise cancel
   * a scheduled task silently, and the supervisor would stop probing.
   */
  private void runSafely(long slot) {
    try {
      task.accept(slot);
    } catch (Throwable t) {
      failed.accept(t);
    }
  }

  /** The first slot after {@code now}, on the grid that starts at {@code slot}. */
  static long nextSlot(long slot, long now, long interval) {
    long next = slot + interval;
    if (now - next >= 0) {
      long missed = (now - slot) / interval;
      next = slot + (missed + 1) * interval;
    }
    return next;
  }

  /** Stops scheduling; a tick in progress finishes, waiting at most {@code grace}. */
  public void close(Duration grace) {
    executor.shutdown();
    try {
      executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
