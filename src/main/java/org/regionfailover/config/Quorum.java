package org.regionfailover.config;

import java.util.Locale;

/**
 * How many live hosts must have seen the fleet's region down before the fleet leaves it: a
 * majority of the live hosts, a fixed {@code count}, or a {@code percent} of the live hosts
 * (rounded up). Never fewer than one host.
 */
public record Quorum(Kind kind, int value) {
  /** The three ways to say it. */
  public enum Kind { MAJORITY, COUNT, PERCENT }

  public static final Quorum MAJORITY = new Quorum(Kind.MAJORITY, 0);

  public Quorum {
    if (kind == null) {
      throw new IllegalArgumentException("a quorum needs a kind");
    }
    if (kind == Kind.COUNT && value < 1 || kind == Kind.PERCENT && (value < 1 || value > 100)) {
      throw new IllegalArgumentException("quorum " + kind + " " + value + " out of range");
    }
  }

  /**
   * Parses {@code majority}, a count ({@code 3}) or a percentage ({@code 60%}); throws
   * {@link IllegalArgumentException} saying what is allowed.
   */
  public static Quorum parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("majority")) {
      return MAJORITY;
    }
    try {
      if (t.endsWith("%")) {
        int p = Integer.parseInt(t.substring(0, t.length() - 1).strip());
        if (p >= 1 && p <= 100) {
          return new Quorum(Kind.PERCENT, p);
        }
      } else {
        int n = Integer.parseInt(t);
        if (n >= 1) {
          return new Quorum(Kind.COUNT, n);
        }
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException("allowed: majority, a count of hosts of at least 1"
        + " (e.g. 3), or a percentage of the live hosts from 1% to 100% (e.g. 60%)");
  }

  /** Hosts that must agree when {@code live} hosts are in the fleet. */
  public int required(int live) {
    return switch (kind) {
      case MAJORITY -> live / 2 + 1;
      case COUNT -> value;
      case PERCENT -> Math.max(1, (int) Math.ceil(live * value / 100.0));
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case MAJORITY -> "majority";
      case COUNT -> Integer.toString(value);
      case PERCENT -> value + "%";
    };
  }
}
