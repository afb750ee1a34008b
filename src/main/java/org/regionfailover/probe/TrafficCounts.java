package org.regionfailover.probe;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a traffic source saw of the applications' calls since it was last drained (issue
 * 27): {@code ok} calls went through, {@code unreachable} found the region unreachable (a
 * refused or reset connection, a timeout, a TLS failure, 502/503/504), by class in
 * {@code byClass} ({@code refused}, {@code reset}, {@code timeout}, {@code tls}, {@code 502},
 * {@code 503}, {@code 504}); {@code region}: the region the calls went to as reported, or
 * null when the source cannot tell (a log: the calls went where the env file pointed, the
 * active region). {@code ignored}: calls reported in a class that never counts (a 500, a
 * 4xx, an unknown class); {@code dropped}: reports the source could not take (a flood).
 */
public record TrafficCounts(String region, long ok, long unreachable, Map<String, Long> byClass,
    long ignored, long dropped, String source) {
  /** The classes that mean the region was unreachable; every other outcome never counts. */
  public static final java.util.List<String> UNREACHABLE =
      java.util.List.of("refused", "reset", "timeout", "tls", "502", "503", "504");

  public TrafficCounts {
    Objects.requireNonNull(source, "source");
    byClass = Collections.unmodifiableMap(new TreeMap<>(byClass));
    if (ok < 0 || unreachable < 0 || ignored < 0 || dropped < 0) {
      throw new IllegalArgumentException("negative counts");
    }
  }

  /** Whether there is anything to tell the loop. */
  public boolean isEmpty() {
    return ok == 0 && unreachable == 0;
  }
}
