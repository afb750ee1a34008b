package org.regionfailover.act;

import org.regionfailover.config.Region;

/**
 * One step of moving the host to a region (rewrite the env file, restart the stack).
 * Steps run one after another on the act stage's own thread; a step that throws stops
 * the chain, and the whole chain is retried with backoff.
 */
public interface Action {
  /** Short name used in events, e.g. {@code env_file} or {@code restart}. */
  String name();

  /** Makes the host use {@code target}; returns only when the step has taken effect. */
  void apply(Region target) throws ActionException, InterruptedException;
}
