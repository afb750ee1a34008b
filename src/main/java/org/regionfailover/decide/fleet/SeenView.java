package org.regionfailover.decide.fleet;

import java.util.Objects;

/**
 * A host's view as the decider holds it: {@code view}, written at {@code writtenAt} (the
 * decider's wall-clock nanoseconds; from the ZooKeeper node's modification time). A view is
 * rewritten only on change, so a host still down at {@code now} has been down for its
 * published time plus the time since.
 */
public record SeenView(HostView view, long writtenAt) {
  public SeenView {
    Objects.requireNonNull(view, "view");
  }

  /** How long the host's chain has been failing at {@code now}, in nanoseconds (-1: up). */
  public long downFor(long now) {
    if (!view.down()) {
      return -1;
    }
    return view.downForMillis() * 1_000_000L + Math.max(0, now - writtenAt);
  }
}
