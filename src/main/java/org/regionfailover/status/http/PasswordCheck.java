package org.regionfailover.status.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Checks a user's password against the htpasswd file with bcrypt. An unknown user is
 * checked against a dummy hash of the file's highest cost, so the answer takes as long as
 * for a known one: timing does not tell which user names exist.
 */
public final class PasswordCheck {
  /**
   * Passwords beyond bcrypt's 72 bytes are cut, as Apache's own check does, so a long
   * password that htpasswd accepted also works here (the library refuses them by default).
   */
  private static final BCrypt.Verifyer VERIFYER =
      BCrypt.verifyer(null, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2Y));

  private final Htpasswd file;
  private final byte[] dummy;

  /**
   * Hashes a random dummy password at the file's cost, once (tens of ms at cost 10); this
   * also loads and warms the bcrypt code, whose first call takes about 115 ms.
   */
  public PasswordCheck(Htpasswd file) {
    this.file = file;
    byte[] password = new byte[16];
    new SecureRandom().nextBytes(password);
    this.dummy = BCrypt.with(BCrypt.Version.VERSION_2Y).hash(file.maxCost(), password);
  }

  /** Whether {@code password} is {@code user}'s. */
  public boolean verify(String user, String password) {
    byte[] hash = file.hash(user).orElse(null);
    byte[] given = password.getBytes(StandardCharsets.UTF_8);
    boolean match = VERIFYER.verify(given, hash == null ? dummy : hash).verified;
    return hash != null && match;
  }

  /** Whether {@code user} is in the file (for the log, never for the answer). */
  boolean knows(String user) {
    return file.hash(user).isPresent();
  }
}
