package org.regionfailover.decide;

import java.util.List;
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

  /**
   * The stack watch read the stack's programs: {@code notRunning} lists those not RUNNING
   * with their state (e.g. {@code app:stunnel STOPPED}); {@code unreachable} is set when
   * supervisord did not answer (it may be restarting, which stops the stack).
   */
  record StackChecked(List<String> notRunning, String unreachable) implements Input {
    public StackChecked {
      notRunning = List.copyOf(notRunning);
    }

    /** Whether every program is RUNNING and supervisord answered. */
    public boolean up() {
      return notRunning.isEmpty() && unreachable == null;
    }
  }

  /**
   * The act stage started the programs in {@code started} again; the stack is up. This was
   * its {@code repairs}-th repair since start-up.
   */
  record StackRepaired(List<String> started, int repairs) implements Input {
    public StackRepaired {
      started = List.copyOf(started);
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
