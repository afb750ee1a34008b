package org.regionfailover.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The known key nearest to a mistyped one by edit distance (insertions, deletions,
 * substitutions; case ignored), when it is near enough to be the likely intent: at most one
 * edit per four characters, and never more than three.
 */
final class ClosestKey {
  private ClosestKey() {}

  static Optional<String> among(Collection<String> known, String key) {
    String typed = key.toUpperCase(Locale.ROOT);
    int allowed = Math.min(3, Math.max(1, typed.length() / 4));
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(typed, k.toUpperCase(Locale.ROOT));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
  }

  /** Levenshtein distance, two rows. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }
}
