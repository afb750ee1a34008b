package org.regionfailover.cli;

import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import org.slf4j.LoggerFactory;

/**
 * Start-up work that needs no argument, done on a second thread while the main thread reads
 * the command line and the settings (picocli alone takes 0.1 s there): logging's
 * configuration (60 ms), then the JDK's default TLS context, which reads the trust store
 * (0.1 s). Both are made once per process and both are wanted before the first probe; on a
 * second core they are ready by then instead of after. A failure here is ignored: the same
 * call on the main path fails the same way and reports it.
 */
final class WarmUp {
  private static final CountDownLatch LOGGING = new CountDownLatch(1);
  private static volatile boolean started;

  private WarmUp() {}

  /** Starts the thread; called first thing by {@link Main}. */
  static void start() {
    started = true;
    Thread t = new Thread(WarmUp::run, "warm-up");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Waits until logging is configured, if the warm-up runs. SLF4J hands a logger asked for
   * while it starts a stand-in and warns on stderr when it replays its events, so nothing
   * that may log runs before this; the wait is usually nil, the main thread being slower.
   */
  static void awaitLogging() throws InterruptedException {
    if (started) {
      LOGGING.await();
    }
  }

  private static void run() {
    try {
      LoggerFactory.getILoggerFactory();
    } finally {
      LOGGING.countDown();
    }
    try {
      SSLContext.getDefault();
    } catch (NoSuchAlgorithmException | RuntimeException e) {
      // reported by the probe that needs it
    }
  }
}
