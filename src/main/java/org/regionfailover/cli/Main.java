package org.regionfailover.cli;

import ch.qos.logback.classic.LoggerContext;
import java.util.concurrent.CountDownLatch;
import org.regionfailover.report.datadog.RetryPostGuard;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Entry point: wires the process (signals, environment, exit code) to the {@link Cli}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
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
      code = new Cli(System.getenv(), System.out, System.err, stop).run(args);
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
