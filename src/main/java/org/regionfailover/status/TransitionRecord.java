package org.regionfailover.status;

import java.time.Instant;
import java.util.Objects;

/**
 * One transition for people: when it was decided, its {@code kind} ({@code failover},
 * {@code failback}, {@code repair}, {@code manual}, {@code hold}, {@code release}), from and
 * to which region, why, who asked (operators' commands), and what became of it
 * ({@code in_progress}, {@code completed}, {@code failed}, or {@code done} for holds) after
 * {@code tookMs} (-1 while in progress).
 */
public record TransitionRecord(Instant at, String kind, String from, String to, String reason,
    String by, String outcome, long tookMs) {
  public TransitionRecord {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(outcome, "outcome");
  }

  TransitionRecord finished(String how, long took) {
    return new TransitionRecord(at, kind, from, to, reason, by, how, took);
  }

  /** Whether the act stage is still carrying it out. */
  public boolean inProgress() {
    return outcome.equals("in_progress");
  }
}
