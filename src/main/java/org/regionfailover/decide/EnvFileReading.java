package org.regionfailover.decide;

import java.util.Objects;

/** What the env file said at start-up, as the decide stage needs it. */
public sealed interface EnvFileReading {
  /** No file: this host has never been switched. */
  record Missing() implements EnvFileReading {}

  /** The file exists but cannot be used; {@code problem} says why. */
  record Unusable(String problem) implements EnvFileReading {
    public Unusable {
      Objects.requireNonNull(problem, "problem");
    }
  }

  /** The file names a region (and the host it pointed at). */
  record Names(String region, String host) implements EnvFileReading {
    public Names {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(host, "host");
    }
  }
}
