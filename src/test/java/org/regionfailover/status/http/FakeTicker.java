package org.regionfailover.status.http;

import java.time.Duration;
import org.regionfailover.time.Ticker;

/** A ticker tests move by hand; it starts near the wrap of a long to prove none is assumed. */
final class FakeTicker implements Ticker {
  private long now = Long.MAX_VALUE - Duration.ofSeconds(30).toNanos();

  @Override
  public synchronized long read() {
    return now;
  }

  synchronized void advance(Duration d) {
    now += d.toNanos();
  }
}
