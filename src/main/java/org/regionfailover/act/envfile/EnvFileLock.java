package org.regionfailover.act.envfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An exclusive lock beside the env file, held for the life of the process: two supervisors
 * on one env file fight (issue 9: 18 failovers and 54 program starts in 20 s, the file
 * flipping every 2 s). The kernel drops the lock when the process dies, however it dies, so
 * a kill -9 never leaves a stale lock; the file itself stays (deleting it would let a
 * third instance lock a new file while the second still holds the old one).
 */
public final class EnvFileLock implements AutoCloseable {
  /** Another process holds the lock; the message names the file and its pid. */
  public static final class HeldException extends Exception {
    HeldException(String message) {
      super(message);
    }
  }

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private EnvFileLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * The lock file for {@code envFile}: {@code .<name>.lock} beside the real file, links
   * resolved, so that two paths to one file (a symlink, a linked directory) share one lock.
   */
  public static Path fileFor(Path envFile) {
    Path abs = realPath(envFile.toAbsolutePath());
    return abs.resolveSibling("." + abs.getFileName() + ".lock");
  }

  private static Path realPath(Path abs) {
    try {
      return abs.toRealPath();
    } catch (IOException missing) {
      try {
        return abs.getParent().toRealPath().resolve(abs.getFileName());
      } catch (IOException | RuntimeException e) {
        return abs; // the directory check at start-up reports a missing directory
      }
    }
  }

  /** Takes the lock for {@code envFile} and records our pid in it, or says who holds it. */
  public static EnvFileLock acquire(Path envFile, long pid) throws HeldException, IOException {
    Path file = fileFor(Objects.requireNonNull(envFile, "envFile"));
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this very JVM (a test running two loops)
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String holder = holder(channel);
      channel.close();
      throw new HeldException("another region-failover (pid " + holder + ") holds " + file
          + ": only one supervisor may manage " + envFile.toAbsolutePath()
          + "; stop it first, or give this one another env file");
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    channel.force(true);
    return new EnvFileLock(file, channel, lock);
  }

  /**
   * The pid of the process that holds the lock for {@code envFile}, or empty when none
   * does (no lock file, or nobody holds it). Asks by trying a shared lock for an instant: a
   * supervisor starting in that very instant would find it held and exit, a race only a
   * reload sent during a start can lose.
   */
  public static OptionalLong holder(Path envFile) throws IOException {
    Path file = fileFor(Objects.requireNonNull(envFile, "envFile"));
    if (!Files.exists(file)) {
      return OptionalLong.empty();
    }
    // Read only: the holder may run as another user, and a reader needs no more.
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      FileLock probe;
      try {
        probe = channel.tryLock(0, Long.MAX_VALUE, true);
      } catch (OverlappingFileLockException e) {
        probe = null; // this very JVM holds it (a test)
      }
      if (probe != null) {
        probe.release();
        return OptionalLong.empty();
      }
      String pid = holder(channel);
      return pid.equals("unknown") ? OptionalLong.of(-1) : OptionalLong.of(Long.parseLong(pid));
    }
  }

  private static String holder(FileChannel channel) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(32);
      channel.read(buf, 0);
      String pid = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
      return pid.matches("\\d{1,10}") ? pid : "unknown";
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The lock file. */
  public Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
