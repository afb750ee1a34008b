package org.regionfailover.probe;

import org.regionfailover.config.Region;

/**
 * Checks whether a region answers. Implementations never throw for a failed check: every
 * failure is an unhealthy {@link ProbeResult} with a reason.
 */
public interface Probe extends AutoCloseable {
  /** Probes the cloudlookup endpoint as seen for {@code region}. */
  ProbeResult probe(Region region);

  @Override
  default void close() {}
}
