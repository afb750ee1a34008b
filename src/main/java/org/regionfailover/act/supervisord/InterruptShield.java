package org.regionfailover.act.supervisord;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcException;
import org.regionfailover.time.NamedThreads;

/**
 * Runs one supervisord step to its end even if the calling thread is interrupted meanwhile,
 * then leaves the interrupt flag set for the caller to act on between steps.
 *
 * <p>Why a helper thread: HttpClient talks to a unix socket through a {@code SocketChannel},
 * and interrupting a thread blocked on a channel closes the channel. A SIGTERM arriving
 * during {@code stopProcess} would then lose the answer while supervisord carries on, and
 * we could not say whether the program stopped. The step's own thread is never interrupted.
 */
final class InterruptShield {
  /** A step that talks to supervisord. */
  interface Step {
    void run() throws XmlRpcException, InterruptedException;
  }

  private InterruptShield() {}

  /** Runs {@code step} to completion; an interrupt that arrived meanwhile stays pending. */
  static void finish(String name, Step step) throws XmlRpcException, InterruptedException {
    var task = new FutureTask<Void>(() -> {
      step.run();
      return null;
    });
    // A daemon: a stuck call is bounded by the transport timeout; never block JVM exit.
    Thread worker = NamedThreads.daemon("supervisord-" + name, task);
    worker.start();
    boolean interrupted = false;
    while (true) {
      try {
        task.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // keep waiting: the step is finished, not abandoned
      } catch (ExecutionException e) {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
        Throwable cause = e.getCause();
        if (cause instanceof XmlRpcException x) {
          throw x;
        }
        if (cause instanceof InterruptedException x) {
          throw x;
        }
        if (cause instanceof RuntimeException x) {
          throw x;
        }
        throw new IllegalStateException("supervisord step " + name + " failed", cause);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
