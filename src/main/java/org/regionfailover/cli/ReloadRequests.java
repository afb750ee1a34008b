package org.regionfailover.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.regionfailover.config.ReloadOutcome;
import org.regionfailover.time.NamedThreads;

/**
 * Requests to reload (SIGHUP, {@code POST /reload}) merged so that any number arriving
 * while a reload runs cause at most one more, run on one thread of its own ({@code reload}),
 * never on a signal's or a request's thread.
 *
 * <p>A reload is quick (it reads a few small files), so merging only the requests that
 * arrive while one runs would still reload once per signal of a burst spread over a second
 * (each {@code kill} takes a few milliseconds): after each reload the thread waits
 * {@link #GAP} before taking the next batch, and everything that arrived meanwhile is one
 * reload. 100 SIGHUPs within a second are then two reloads: the first at once, the second
 * with whatever the files say a second later.
 *
 * <p>Made before anything else in {@code main} so that the SIGHUP handler has somewhere to
 * go from the first moment: requests before {@link #start} are kept, and the first reload
 * runs as soon as it starts (the file may have changed while the process was starting).
 * In a command that never starts it (check, status, replay...), they are simply dropped.
 */
final class ReloadRequests implements AutoCloseable {
  /** Who asked: {@code signal} (SIGHUP, also what {@code region-failover reload} sends) or {@code http}, with its user. */
  record Trigger(String kind, String user) {
    static Trigger signal() {
      return new Trigger("signal", null);
    }

    static Trigger http(String user) {
      return new Trigger("http", Objects.requireNonNull(user, "user"));
    }
  }

  /** The requests one reload answers: who asked (each kind and user once), how many times. */
  record Batch(List<Trigger> triggers, int requests) {}

  /** Requests not yet taken by a reload, and the answer they share. */
  private static final class Pending {
    final Set<Trigger> triggers = new LinkedHashSet<>();
    int requests;
    final CompletableFuture<ReloadOutcome> outcome = new CompletableFuture<>();
  }

  /** The least time between the end of a reload and the start of the next. */
  static final Duration GAP = Duration.ofSeconds(1);

  /** How the thread waits out the gap (tests hold it on a latch). */
  @FunctionalInterface
  interface Pause {
    void pause(Duration d) throws InterruptedException;
  }

  private final Duration gap;
  private final Pause pause;
  private final Object lock = new Object();
  private Pending pending;
  private Thread worker;
  private boolean closed;
  private Runnable instead;

  /** Reloads at least {@link #GAP} apart. */
  ReloadRequests() {
    this(GAP, d -> Thread.sleep(d.toMillis()));
  }

  /** Reloads {@code gap} apart, waited out with {@code pause}. */
  ReloadRequests(Duration gap, Pause pause) {
    this.gap = gap;
    this.pause = pause;
  }

  /**
   * Asks for a reload; the answer is that of the next reload to start (never one already
   * running: it may have read the files before they changed). Never blocks: safe on a
   * signal's thread.
   */
  CompletableFuture<ReloadOutcome> request(Trigger trigger) {
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("stopping"));
      }
      if (instead != null && worker == null) {
        instead.run();
        return CompletableFuture.failedFuture(new IllegalStateException("does not reload"));
      }
      if (pending == null) {
        pending = new Pending();
      }
      pending.triggers.add(trigger);
      pending.requests++;
      lock.notifyAll();
      return pending.outcome;
    }
  }

  /**
   * For a command that never reloads (the demo, in a terminal): a request runs
   * {@code action} instead (a SIGHUP, the terminal closing, stops it).
   */
  void instead(Runnable action) {
    synchronized (lock) {
      instead = action;
    }
  }

  /** Whether reloads run (between {@link #start} and {@link #close}). */
  boolean running() {
    synchronized (lock) {
      return worker != null && !closed;
    }
  }

  /**
   * Runs {@code reload} for each batch of requests, one at a time, on the {@code reload}
   * thread; requests made before this are the first batch.
   */
  void start(Function<Batch, ReloadOutcome> reload) {
    Objects.requireNonNull(reload, "reload");
    synchronized (lock) {
      if (worker != null || closed) {
        throw new IllegalStateException("reloads already started or stopped");
      }
      worker = NamedThreads.daemon("reload", () -> work(reload));
      worker.start();
    }
  }

  private void work(Function<Batch, ReloadOutcome> reload) {
    while (true) {
      Pending taken;
      synchronized (lock) {
        while (pending == null && !closed) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return; // close() interrupts: the process is stopping
          }
        }
        if (closed) {
          return;
        }
        taken = pending;
        pending = null;
      }
      try {
        taken.outcome.complete(reload.apply(new Batch(new ArrayList<>(taken.triggers),
            taken.requests)));
      } catch (RuntimeException | Error e) {
        taken.outcome.completeExceptionally(e);
      }
      try {
        pause.pause(gap);
      } catch (InterruptedException e) {
        return; // close() interrupts: the process is stopping
      }
    }
  }

  /** Stops taking requests; one waiting fails, a reload under way is interrupted. */
  @Override
  public void close() {
    Thread t;
    synchronized (lock) {
      closed = true;
      if (pending != null) {
        pending.outcome.completeExceptionally(new IllegalStateException("stopping"));
        pending = null;
      }
      t = worker;
      lock.notifyAll();
    }
    if (t != null) {
      t.interrupt();
    }
  }
}
