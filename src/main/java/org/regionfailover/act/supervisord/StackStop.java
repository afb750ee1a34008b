package org.regionfailover.act.supervisord;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcException;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcFault;
import org.regionfailover.time.NamedThreads;

/**
 * Stops every program of the stack through supervisord at once and waits for each: the
 * programs stop in parallel, so the whole stop takes the longest stopwaitsecs, not the sum.
 * A program that is not running counts as stopped.
 */
public record StackStop(SupervisorClient client, List<String> programs) {
  /** Stops the stack; what could not be stopped, one line a program (empty: all stopped). */
  public List<String> stop() {
    // Lasting threads: a stop once begun finishes (fencing must not leave a program up).
    ExecutorService pool = Executors.newFixedThreadPool(programs.size(),
        task -> NamedThreads.lasting("stack-stop", task));
    List<String> failed = new ArrayList<>();
    try {
      for (Future<String> f : pool.invokeAll(
          programs.stream().<Callable<String>>map(p -> () -> stop(p)).toList())) {
        if (f.get() != null) {
          failed.add(f.get());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopping: what failed so far is all we know
    } catch (ExecutionException e) {
      failed.add(String.valueOf(e.getCause()));
    } finally {
      pool.shutdown();
    }
    return failed;
  }

  private String stop(String program) throws InterruptedException {
    try {
      client.stopProcess(program, true);
      return null;
    } catch (XmlRpcFault f) {
      return f.getMessage().contains("NOT_RUNNING") ? null : program + ": " + f.getMessage();
    } catch (XmlRpcException e) {
      return program + ": " + e.getMessage();
    }
  }
}
