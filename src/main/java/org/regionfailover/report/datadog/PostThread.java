package org.regionfailover.report.datadog;

import com.datadog.api.client.v2.model.HTTPLogItem;
import java.io.Closeable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.regionfailover.time.NamedThreads;

/**
 * Runs each post on a daemon thread of its own, so that the sender can stop waiting for one that
 * hangs. The HTTP client cannot be cut short from outside: HttpURLConnection ignores interrupts,
 * and its read timeout (10 s) is longer than the whole shutdown flush (5 s). A post abandoned at
 * the stop deadline is left to end with its timeout or with the JVM.
 */
final class PostThread implements Closeable {
  private final LogsIntake intake;
  private final Runnable onAnswer;
  private final ExecutorService executor;
  private final AtomicInteger unanswered = new AtomicInteger();
  private volatile Thread thread;

  /** {@code onAnswer} runs on the post thread after every answer, to wake the waiting sender. */
  PostThread(LogsIntake intake, Runnable onAnswer) {
    this.intake = intake;
    this.onAnswer = onAnswer;
    this.executor =
        Executors.newSingleThreadExecutor(
            task -> {
              // Daemon: a post that hangs must not keep the JVM alive at exit.
              Thread t = NamedThreads.daemon("datadog-post", task);
              thread = t;
              return t;
            });
  }

  /** Starts posting {@code batch} once; the future completes with the intake's answer. */
  CompletableFuture<IntakeResult> submit(List<HTTPLogItem> batch) {
    CompletableFuture<IntakeResult> answer = new CompletableFuture<>();
    unanswered.incrementAndGet();
    try {
      executor.execute(() -> answer(answer, submitNeverThrowing(batch)));
    } catch (RejectedExecutionException e) {
      // Closed: the shipper is finishing, and the batch counts as dropped at stop.
      answer(answer, new IntakeResult.Retry("shipper stopped", Optional.empty()));
    }
    return answer;
  }

  private void answer(CompletableFuture<IntakeResult> answer, IntakeResult result) {
    // Answered before the answer is visible: a sender holding it never sees busy().
    unanswered.decrementAndGet();
    answer.complete(result);
    onAnswer.run();
  }

  private IntakeResult submitNeverThrowing(List<HTTPLogItem> batch) {
    try {
      return intake.submit(batch);
    } catch (Throwable e) {
      // The sender waits for this answer, so one must always come. Only the class name: an
      // exception's text might quote the request, and with it the API key.
      return new IntakeResult.Retry("client error: " + e.getClass().getName(), Optional.empty());
    }
  }

  /** Whether a post has been started and not answered yet (it may be hanging). */
  boolean busy() {
    return unanswered.get() > 0;
  }

  /** Whether {@code candidate} is the thread that runs the posts. */
  boolean isPostThread(Thread candidate) {
    return candidate == thread;
  }

  /** Takes no more posts and abandons one in progress (its thread is a daemon). */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
