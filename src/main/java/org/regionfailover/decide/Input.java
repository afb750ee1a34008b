package org.regionfailover.decide;

import java.util.Objects;
import org.regionfailover.probe.ProbeResult;

/** What the decide stage reacts to. */
public sealed interface Input {
  /** A probe of the active region started at {@code now} and saw {@code result}. */
  record Probed(ProbeResult result) implements Input {
    public Probed {
      Objects.requireNonNull(result, "result");
    }
  }

  /** The act stage finished moving the host to {@code target} (env file and restart). */
  record SwitchDone(int target) implements Input {}

  /** The act stage gave up moving the host to {@code target}; {@code reason} is the last failure. */
  record SwitchFailed(int target, String reason) implements Input {
    public SwitchFailed {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
