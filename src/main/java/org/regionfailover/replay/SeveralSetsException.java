package org.regionfailover.replay;

import java.io.IOException;
import java.util.List;

/**
 * A log of several failover sets replayed without naming one: their decisions cannot be
 * told apart in one replay. Found by the reader, at the first line of a second set.
 */
public final class SeveralSetsException extends IOException {
  private final transient List<String> sets;

  SeveralSetsException(String input, String first, String second) {
    super(input + " holds the lines of several failover sets (" + first + ", " + second + ")");
    this.sets = List.of(first, second);
  }

  /** The two sets seen: the first, then the other. */
  public List<String> sets() {
    return sets;
  }
}
