package org.regionfailover.cli;

import ch.qos.logback.classic.LoggerContext;
import java.util.concurrent.CountDownLatch;
import org.regionfailover.report.datadog.RetryPostGuard;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** Entry point: wires the process (signals, environment, exit code) to the {@link Cli}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // First of all: the JVM's own SIGHUP handling exits 129, so until this line a SIGHUP
    // kills the process; from here on it asks for a reload, kept until the reloader runs.
    ReloadRequests reloads = new ReloadRequests();
    try {
      SignalHandler before = Signal.handle(new Signal("HUP"),
          s -> reloads.request(ReloadRequests.Trigger.signal()));
      if (before == SignalHandler.SIG_IGN) {
        // The parent ignored SIGHUP (nohup): the JVM then leaves it ignored, silently, and
        // every kill -HUP, systemctl reload and `region-failover reload` would do nothing.
        System.err.println("region-failover: SIGHUP is ignored by this process (started under"
            + " nohup?): a signal will not reload it; reload with POST /reload, or start it"
            + " without nohup");
      }
    } catch (IllegalArgumentException e) {
      // -Xrs: the JVM leaves signals alone, and so do we; POST /reload still reloads.
      System.err.println("region-failover: cannot handle SIGHUP (" + e.getMessage()
          + "); reload with POST /reload instead");
    }
    // Before any HTTP connection exists: the JDK would otherwise re-send a POST on a reset,
    // duplicating shipped logs. See RetryPostGuard.
    RetryPostGuard.disable();
    WarmUp.run();
    CountDownLatch stop = new CountDownLatch(1);
    // Handling TERM ourselves (instead of a shutdown hook) lets a clean stop exit 0,
    // after the tick and any env write in progress have finished.
    for (String sig : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(sig), s -> stop.countDown());
    }
    int code;
    try {
      code = new Cli(System.getenv(), System.out, System.err, stop).reloads(reloads).run(args);
    } catch (RuntimeException e) {
      System.err.println("region-failover: unexpected failure: " + e);
      code = Cli.FAILED;
    }
    // Flush the asynchronous log queue before the JVM goes.
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      ctx.stop();
    }
    System.exit(code);
  }
}
