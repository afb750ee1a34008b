package org.regionfailover.decide;

import java.util.Objects;

/** Who asked for a manual command: the authenticated {@code user}, from {@code address}. */
public record Operator(String user, String address) {
  public Operator {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(address, "address");
  }
}
