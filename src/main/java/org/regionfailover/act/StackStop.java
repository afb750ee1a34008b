package org.regionfailover.act;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.regionfailover.act.xmlrpc.XmlRpcException;
import org.regionfailover.act.xmlrpc.XmlRpcFault;

/**
 * Stops every program of the stack through supervisord at once and waits for each: the
 * programs stop in parallel, so the whole stop takes the longest stopwaitsecs, not the sum.
 * A program that is not running counts as stopped.
 */
public final class StackStop {
  private final SupervisorClient client;
  private final List<String> programs;

  public StackStop(SupervisorClient client, List<String> programs) {
    this.client = Objects.requireNonNull(client, "client");
    this.programs = List.copyOf(programs);
  }

  /** Stops the stack; what could not be stopped, one line a program (empty: all stopped). */
  public List<String> stop() {
    ExecutorService pool = Executors.newFixedThreadPool(programs.size());
    List<String> failed = new ArrayList<>();
    try {
      List<Future<String>> stops = new ArrayList<>();
      programs.forEach(p -> stops.add(pool.submit(() -> stop(p))));
      for (Future<String> f : stops) {
        String failure = f.get();
        if (failure != null) {
          failed.add(failure);
        }
      }
      return failed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopping: what failed so far is all we know
      return failed;
    } catch (ExecutionException e) {
      return List.of(String.valueOf(e.getCause()));
    } finally {
      pool.shutdown();
    }
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
