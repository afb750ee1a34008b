package org.regionfailover.decide;

import java.util.Objects;

/**
 * An operator's hold: no automatic transition from {@code since} until released or, when
 * {@code expires}, until {@code until} (ticker nanoseconds). {@code reported}: the first
 * transition it blocked has been reported (later ones are not, to keep the log readable).
 */
public record Hold(Operator by, String reason, long since, long until, boolean expires,
    boolean reported) {
  public Hold {
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(reason, "reason");
  }

  /** Whether the hold has run out at {@code now}. */
  public boolean expired(long now) {
    return expires && now - until >= 0;
  }

  Hold blockedOnce() {
    return reported ? this : new Hold(by, reason, since, until, expires, true);
  }
}
