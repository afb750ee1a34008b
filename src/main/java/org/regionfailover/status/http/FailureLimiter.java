package org.regionfailover.status.http;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.regionfailover.time.Ticker;

/**
 * Counts failed logins per client address over a sliding window, so that an address with
 * too many is refused before its password is even checked: a flood then costs no bcrypt.
 * Memory is bounded: at most {@code maxAddresses} are tracked, the least recently failing
 * forgotten first, and each keeps at most {@code maxFailures} times.
 */
public final class FailureLimiter {
  /** Five wrong passwords a minute is more than a person mistyping. */
  public static final int MAX_FAILURES = 5;
  public static final Duration WINDOW = Duration.ofMinutes(1);
  /** An address costs about 100 bytes: 1024 of them is nothing, and many more than a site has. */
  public static final int MAX_ADDRESSES = 1024;

  private final Ticker ticker;
  private final int maxFailures;
  private final Duration window;
  private final long windowNanos;
  private final Map<String, ArrayDeque<Long>> failures;

  /** The production limits. */
  public FailureLimiter(Ticker ticker) {
    this(ticker, MAX_FAILURES, WINDOW, MAX_ADDRESSES);
  }

  /** {@code maxFailures} within {@code window} from one address; {@code maxAddresses} tracked. */
  public FailureLimiter(Ticker ticker, int maxFailures, Duration window, int maxAddresses) {
    this.ticker = ticker;
    this.maxFailures = maxFailures;
    this.window = window;
    this.windowNanos = window.toNanos();
    this.failures = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Long>> eldest) {
        return size() > maxAddresses;
      }
    };
  }

  /** Zero when {@code address} may try; otherwise how long until its oldest failure expires. */
  public synchronized Duration blockedFor(String address) {
    ArrayDeque<Long> times = failures.get(address);
    if (times == null) {
      return Duration.ZERO;
    }
    long now = ticker.read();
    expire(times, now);
    if (times.isEmpty()) {
      failures.remove(address);
      return Duration.ZERO;
    }
    if (times.size() < maxFailures) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(times.peekFirst() + windowNanos - now);
  }

  /** Records a failure of {@code address}; returns its failures within the window. */
  public synchronized int failed(String address) {
    long now = ticker.read();
    ArrayDeque<Long> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
    expire(times, now);
    times.addLast(now);
    while (times.size() > maxFailures) {
      times.removeFirst();
    }
    return times.size();
  }

  /** Failures within the window after which an address is refused. */
  public int maxFailures() {
    return maxFailures;
  }

  public Duration window() {
    return window;
  }

  /** How many addresses are tracked now. */
  public synchronized int tracked() {
    return failures.size();
  }

  private void expire(ArrayDeque<Long> times, long now) {
    for (Iterator<Long> it = times.iterator(); it.hasNext(); ) {
      // Monotonic times compared by subtraction: safe across a wrap of the ticker.
      if (now - it.next() >= windowNanos) {
        it.remove();
      } else {
        return;
      }
    }
  }
}
