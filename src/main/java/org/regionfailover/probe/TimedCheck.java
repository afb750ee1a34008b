package org.regionfailover.probe;

import java.io.IOException;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.regionfailover.time.Ticker;

/**
 * Runs one socket-level check (a connect, a TLS handshake) and turns its outcome into a
 * {@link ProbeResult} with the time it took: healthy when it returns, and the reason the
 * HTTP probe would give when it throws. Shared by the direct probes.
 */
final class TimedCheck {
  /** A check that either completes or throws. */
  interface Check {
    void run() throws IOException;
  }

  private TimedCheck() {}

  static ProbeResult run(Ticker ticker, Check check) {
    long start = ticker.read();
    try {
      check.run();
      return new ProbeResult(true, elapsedMs(ticker, start), OptionalInt.empty(), "ok");
    } catch (IOException e) {
      return ProbeResult.failed(elapsedMs(ticker, start), HttpProbe.reason(e));
    } catch (RuntimeException e) {
      return ProbeResult.failed(elapsedMs(ticker, start), "error: " + e);
    }
  }

  private static long elapsedMs(Ticker ticker, long start) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(ticker.read() - start));
  }
}
