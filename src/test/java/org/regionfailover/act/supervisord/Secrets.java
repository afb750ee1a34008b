package org.regionfailover.act.supervisord;

/** Collects every message in a throwable's cause chain, to prove a secret is in none of them. */
final class Secrets {
  private Secrets() {}

  /** All toString() texts of {@code t} and its causes and suppressed exceptions. */
  static String everyText(Throwable t) {
    var sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c).append('\n');
      for (Throwable s : c.getSuppressed()) {
        sb.append(everyText(s));
      }
    }
    return sb.toString();
  }
}
