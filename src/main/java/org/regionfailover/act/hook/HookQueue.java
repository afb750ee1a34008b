package org.regionfailover.act.hook;

import java.util.concurrent.LinkedBlockingQueue;
import org.regionfailover.time.NamedThreads;

/**
 * The one queue a set's hooks run from, on one thread of its own, one at a time, in the
 * order they were added (the order of the events): never on the loop's thread, so a hung
 * hook delays other hooks, never a probe; and a hook still running is never killed because
 * the next event came, the next one waits.
 */
final class HookQueue implements AutoCloseable {
  /** One thing to run; {@link #abandon} when the queue stops before running it. */
  interface Job {
    void run() throws InterruptedException;

    void abandon();
  }

  private final LinkedBlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  HookQueue(String name) {
    this.thread = NamedThreads.daemon(name, this::work);
  }

  /** Adds {@code job} after every job added before it; abandoned at once once closed. */
  void add(Job job) {
    if (closed) {
      job.abandon();
      return;
    }
    jobs.add(job);
  }

  void start() {
    thread.start();
  }

  private void work() {
    while (!closed) {
      Job job;
      try {
        job = jobs.take();
      } catch (InterruptedException e) {
        break;
      }
      try {
        job.run();
      } catch (InterruptedException e) {
        break;
      }
    }
    abandonRest();
  }

  /**
   * Stops: the job running is left (a hook keeps running, it is the operator's; an outbox
   * delivery is made again at the next start), the rest are abandoned.
   */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    if (!thread.isAlive()) {
      abandonRest();
    }
  }

  private void abandonRest() {
    Job j;
    while ((j = jobs.poll()) != null) {
      j.abandon();
    }
  }
}
