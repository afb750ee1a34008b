package org.regionfailover.cli;

import ch.qos.logback.classic.LoggerContext;
import java.util.concurrent.CountDownLatch;
import org.regionfailover.report.datadog.RetryPostGuard;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** Entry point: wires the process (signals, environment, exit code) to the {@link Cli}. */
public final class Main {
  /**
   * SIGHUP's handler, installed when this class initialises: before {@code main} runs any of
   * its own code, and without a lambda (the first one bootstraps java.lang.invoke, tens of
   * milliseconds on a busy host, during which the JVM's own handling would exit 129). It
   * only counts until {@code main} hands it the reload requests; a count taken before is
   * one reload then.
   */
  private static final class EarlyHup implements SignalHandler {
    private final java.util.concurrent.atomic.AtomicInteger early =
        new java.util.concurrent.atomic.AtomicInteger();
    private volatile ReloadRequests target;

    @Override
    public void handle(Signal signal) {
      ReloadRequests t = target;
      if (t == null) {
        early.incrementAndGet();
      } else {
        t.request(ReloadRequests.Trigger.signal());
      }
    }

    void deliverTo(ReloadRequests requests) {
      target = requests;
      if (early.getAndSet(0) > 0) {
        requests.request(ReloadRequests.Trigger.signal());
      }
    }
  }

  private static final EarlyHup HUP = new EarlyHup();
  /** What the JVM did with SIGHUP before ours: SIG_IGN under nohup; null under -Xrs. */
  private static final Object HUP_BEFORE = installHup();

  private static Object installHup() {
    try {
      return Signal.handle(new Signal("HUP"), HUP);
    } catch (IllegalArgumentException e) {
      return null; // -Xrs: the JVM leaves signals alone
    }
  }

  private Main() {}

  public static void main(String[] args) {
    ReloadRequests reloads = new ReloadRequests();
    HUP.deliverTo(reloads);
    if (HUP_BEFORE == null) {
      System.err.println("region-failover: cannot handle SIGHUP (the JVM runs with -Xrs);"
          + " reload with POST /reload instead");
    } else if (HUP_BEFORE == SignalHandler.SIG_IGN) {
      // The parent ignored SIGHUP (nohup): the JVM then leaves it ignored, silently, and
      // every kill -HUP, systemctl reload and `region-failover reload` would do nothing.
      System.err.println("region-failover: SIGHUP is ignored by this process (started under"
          + " nohup?): a signal will not reload it; reload with POST /reload, or start it"
          + " without nohup");
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
