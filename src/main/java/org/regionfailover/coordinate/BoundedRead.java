package org.regionfailover.coordinate;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.regionfailover.time.NamedThreads;

/**
 * A value read from ZooKeeper for the status server, on a thread of its own, so that a
 * request never waits on ZooKeeper longer than it is willing to: a read on a suspended
 * session retries for minutes, and {@code /status} and {@code /health} must answer during
 * exactly that outage (a hung read per request once took every thread of the server). A
 * value younger than {@code fresh} is reused, so any number of pages cost one read per
 * {@code fresh}; without ZooKeeper the last value is returned as it is.
 */
public final class BoundedRead<T> implements AutoCloseable {
  /** How long {@code /status} waits for ZooKeeper before it shows the last read. */
  public static final Duration WAIT = Duration.ofMillis(500);
  /** A read this young is shown again: open pages cost one read of the fleet per second. */
  public static final Duration FRESH = Duration.ofSeconds(1);

  /** The read itself; it may block as long as Curator retries. */
  @FunctionalInterface
  public interface Read<T> {
    T read() throws Exception;
  }

  private final ZooKeeperClient zk;
  private final Read<T> read;
  private final Clock clock;
  private final Duration fresh;
  private final ExecutorService thread;
  private volatile T last;
  private volatile long lastAt = Long.MIN_VALUE;
  /** Guarded by this. */
  private Future<?> reading;

  /** Reads with {@code read} on a daemon thread called {@code name}. */
  public BoundedRead(String name, ZooKeeperClient zk, Read<T> read, Clock clock,
      Duration fresh) {
    this.zk = Objects.requireNonNull(zk, "zk");
    this.read = Objects.requireNonNull(read, "read");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.fresh = Objects.requireNonNull(fresh, "fresh");
    this.thread = Executors.newSingleThreadExecutor(NamedThreads.daemons(name));
  }

  /**
   * The newest value, reading a new one first when the last is older than {@code fresh}
   * and ZooKeeper is connected, waiting for it at most {@code wait} (empty: none read yet).
   */
  public Optional<T> get(Duration wait) {
    Future<?> f;
    synchronized (this) {
      boolean young = lastAt != Long.MIN_VALUE && clock.millis() - lastAt < fresh.toMillis();
      if (!zk.connected() || young) {
        return Optional.ofNullable(last);
      }
      if (reading == null || reading.isDone()) {
        reading = thread.submit(this::readNow);
      }
      f = reading;
    }
    try {
      f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // still reading, or the read failed: the last value is the answer
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.ofNullable(last);
  }

  private Void readNow() throws Exception {
    long at = clock.millis();
    last = read.read();
    lastAt = at;
    return null;
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
