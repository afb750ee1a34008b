package org.regionfailover;

import java.time.Duration;
import org.regionfailover.time.Ticker;

/**
 * A ticker tests move by hand. By default it starts 30 s before the wrap of a long, so code
 * that compares ticks with {@code <} instead of by subtraction fails its tests.
 */
public final class FakeTicker implements Ticker {
  private long now;

  public FakeTicker() {
    this(Long.MAX_VALUE - Duration.ofSeconds(30).toNanos());
  }

  public FakeTicker(long start) {
    now = start;
  }

  @Override
  public synchronized long read() {
    return now;
  }

  public synchronized void advance(Duration d) {
    now += d.toNanos();
  }
}
