package org.regionfailover.status.http;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.regionfailover.time.Ticker;

/**
 * Counts failed logins per client address and user name over a sliding window, so that a
 * pair with too many is refused before its password is even checked: a flood then costs no
 * bcrypt. Per pair, not per address: everyone coming through {@code ssh -L} is 127.0.0.1,
 * and one operator's (or an attacker's) wrong passwords must not lock the others out.
 * Memory is bounded: at most {@code maxKeys} pairs are tracked, the least recently failing
 * forgotten first, and each keeps at most {@code maxFailures} times.
 */
public final class FailureLimiter {
  /** Five wrong passwords a minute is more than a person mistyping. */
  public static final int MAX_FAILURES = 5;
  public static final Duration WINDOW = Duration.ofMinutes(1);
  /** A pair costs about 150 bytes: 1024 of them is nothing, and many more than a site has. */
  public static final int MAX_KEYS = 1024;

  /** Whose failures are counted together; {@code user} is "" for a malformed credential. */
  private record Key(String address, String user) {}

  private final Ticker ticker;
  private final int maxFailures;
  private final Duration window;
  private final long windowNanos;
  private final Map<Key, ArrayDeque<Long>> failures;

  /** The production limits. */
  public FailureLimiter(Ticker ticker) {
    this(ticker, MAX_FAILURES, WINDOW, MAX_KEYS);
  }

  /** {@code maxFailures} within {@code window} for one address and user; {@code maxKeys} tracked. */
  public FailureLimiter(Ticker ticker, int maxFailures, Duration window, int maxKeys) {
    this.ticker = ticker;
    this.maxFailures = maxFailures;
    this.window = window;
    this.windowNanos = window.toNanos();
    this.failures = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, ArrayDeque<Long>> eldest) {
        return size() > maxKeys;
      }
    };
  }

  /**
   * Zero when {@code user} may try from {@code address}; otherwise how long until their
   * oldest failure expires. {@code user} null counts as "".
   */
  public synchronized Duration blockedFor(String address, String user) {
    Key key = key(address, user);
    ArrayDeque<Long> times = failures.get(key);
    if (times == null) {
      return Duration.ZERO;
    }
    long now = ticker.read();
    expire(times, now);
    if (times.isEmpty()) {
      failures.remove(key);
      return Duration.ZERO;
    }
    if (times.size() < maxFailures) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(times.peekFirst() + windowNanos - now);
  }

  /**
   * Records a failure of {@code user} from {@code address} (null: ""); returns their
   * failures within the window.
   */
  public synchronized int failed(String address, String user) {
    long now = ticker.read();
    ArrayDeque<Long> times = failures.computeIfAbsent(key(address, user), k -> new ArrayDeque<>());
    expire(times, now);
    times.addLast(now);
    while (times.size() > maxFailures) {
      times.removeFirst();
    }
    return times.size();
  }

  /** Failures within the window after which an address and user are refused. */
  public int maxFailures() {
    return maxFailures;
  }

  public Duration window() {
    return window;
  }

  /** How many address and user pairs are tracked now. */
  public synchronized int tracked() {
    return failures.size();
  }

  private static Key key(String address, String user) {
    return new Key(address, user == null ? "" : user);
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
