package org.regionfailover.loop;

import java.io.IOException;
import java.util.Objects;
import org.regionfailover.act.envfile.HoldFile;
import org.regionfailover.decide.Hold;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.Transition;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;

/**
 * Keeps an operator's hold on disk: after every step that changed the hold in force or the
 * one scheduled, the hold file is written again (on the loop's thread: a small atomic write,
 * rare). At start-up {@link #restore} posts what was kept back to a new loop, before any
 * probe, so that a restart does not forget a hold.
 */
public final class HoldKeeper implements FailoverLoop.StepListener {
  private final HoldFile file;
  private final EventLog log;
  private Hold saved;
  private Input.HoldCommand savedPending;

  public HoldKeeper(HoldFile file, EventLog log) {
    this.file = Objects.requireNonNull(file, "file");
    this.log = Objects.requireNonNull(log, "log");
  }

  /** Posts the holds kept on disk to {@code loop}, then keeps the file up to date. */
  public void restore(FailoverLoop loop) {
    saved = loop.state().hold();
    savedPending = loop.state().maintenance().pendingHold();
    file.load().forEach(loop::post);
    loop.addStepListener(this);
  }

  @Override
  public void stepped(Input input, long at, Transition transition) {
    PolicyState s = transition.next();
    Hold hold = s.hold();
    Input.HoldCommand pending = s.maintenance().pendingHold();
    if (same(hold, saved) && pending == savedPending) {
      return;
    }
    try {
      file.save(hold, pending);
      saved = hold;
      savedPending = pending;
    } catch (IOException e) {
      log.emit(Event.error("hold_save_failed", "cannot write " + file.file() + ": " + e
          + "; a restart would forget the hold").with("reason", e.toString()));
    }
  }

  /** The same hold: its report flag changes when it first blocks a transition. */
  private static boolean same(Hold a, Hold b) {
    return a == b || a != null && b != null && a.since() == b.since() && a.by().equals(b.by())
        && a.until() == b.until() && a.reason().equals(b.reason());
  }
}
