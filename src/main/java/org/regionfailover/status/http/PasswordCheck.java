package org.regionfailover.status.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Checks a user's password against the htpasswd file with bcrypt. An unknown user is
 * checked against a dummy hash of the file's highest cost, so the answer takes as long as
 * for a known one: timing does not tell which user names exist.
 *
 * <p>One check runs at a time, and at most {@link #MAX_WAITING} more wait for it, each at
 * most {@link #BUSY_WAIT}: a flood of logins then holds a few of the server's threads, never
 * all of them, and the others go on answering {@code /health}.
 */
public final class PasswordCheck {
  /** What a check found. */
  public enum Verdict {
    /** The password is the user's. */
    RIGHT,
    /** It is not, or the user is unknown. */
    WRONG,
    /** Too many checks already: nothing was checked, and it is not the client's fault. */
    BUSY
  }

  /** Long enough for a few checks at cost 12, short enough that a client does not give up. */
  static final Duration BUSY_WAIT = Duration.ofSeconds(5);
  /** Callers waiting for the check in progress; one more is answered busy at once. */
  static final int MAX_WAITING = 4;

  /**
   * Passwords beyond bcrypt's 72 bytes are cut, as Apache's own check does, so a long
   * password that htpasswd accepted also works here (the library refuses them by default).
   */
  private static final BCrypt.Verifyer VERIFYER =
      BCrypt.verifyer(null, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2Y));

  private final Htpasswd file;
  private final byte[] dummy;
  private final Duration busyWait;
  private final Semaphore checking = new Semaphore(1, true);
  private final Semaphore waiting = new Semaphore(MAX_WAITING);

  /**
   * Hashes a random dummy password at the file's cost, once (tens of ms at cost 10); this
   * also loads and warms the bcrypt code, whose first call takes about 115 ms.
   */
  public PasswordCheck(Htpasswd file) {
    this(file, BUSY_WAIT);
  }

  /** Waits at most {@code busyWait} for the check in progress. */
  PasswordCheck(Htpasswd file, Duration busyWait) {
    this.file = file;
    this.busyWait = busyWait;
    byte[] password = new byte[16];
    new SecureRandom().nextBytes(password);
    this.dummy = BCrypt.with(BCrypt.Version.VERSION_2Y).hash(file.maxCost(), password);
  }

  /**
   * Whether {@code password} is {@code user}'s, checked when no other check is in progress
   * (waiting for one at most the busy wait); {@link Verdict#BUSY} when none could be made.
   */
  public Verdict check(String user, String password) {
    if (!waiting.tryAcquire()) {
      return Verdict.BUSY;
    }
    boolean acquired;
    try {
      acquired = checking.tryAcquire(busyWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      acquired = false;
    } finally {
      waiting.release();
    }
    if (!acquired) {
      return Verdict.BUSY;
    }
    try {
      return verify(user, password) ? Verdict.RIGHT : Verdict.WRONG;
    } finally {
      checking.release();
    }
  }

  /** The one permit to check a password (for tests to hold). */
  Semaphore checking() {
    return checking;
  }

  /** Whether {@code password} is {@code user}'s, checked at once whatever else runs. */
  boolean verify(String user, String password) {
    byte[] hash = file.hash(user).orElse(null);
    byte[] given = password.getBytes(StandardCharsets.UTF_8);
    boolean match = VERIFYER.verify(given, hash == null ? dummy : hash).verified;
    return hash != null && match;
  }

  /** How many operators the file has. */
  public int users() {
    return file.users();
  }

  /** Whether {@code user} is in the file (for the log, never for the answer). */
  boolean knows(String user) {
    return file.hash(user).isPresent();
  }
}
