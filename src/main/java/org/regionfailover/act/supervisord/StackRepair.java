package org.regionfailover.act.supervisord;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.regionfailover.config.Region;
import org.regionfailover.act.Action;
import org.regionfailover.act.ActionException;
import org.regionfailover.act.envfile.SwitchJournal;

/**
 * Starts again, in order, the programs of the stack that are not RUNNING, without stopping
 * the others (a supervisord restart leaves {@code autostart=false} programs stopped; a
 * program may die). Counts its repairs, so that a program that keeps dying shows as a
 * growing count in every report.
 */
public final class StackRepair implements Action {
  private final SupervisordRestart restart;
  private final SwitchJournal journal;
  private final AtomicInteger repairs = new AtomicInteger();
  private volatile List<String> lastStarted = List.of();

  /**
   * With a {@code journal} (may be null), a switch left unfinished (given up, its marker
   * still there) is finished by restarting the whole stack, then removing the marker.
   */
  public StackRepair(SupervisordRestart restart, SwitchJournal journal) {
    this.restart = Objects.requireNonNull(restart, "restart");
    this.journal = journal;
  }

  @Override
  public String name() {
    return "repair_stack";
  }

  @Override
  public void apply(Region target) throws ActionException, InterruptedException {
    if (journal != null && journal.pending().isPresent()) {
      restart.apply(target);
      journal.end().apply(target);
      lastStarted = restart.programs();
    } else {
      lastStarted = restart.ensureRunning(target);
    }
    repairs.incrementAndGet();
  }

  /** The programs the last successful repair started. */
  public List<String> lastStarted() {
    return lastStarted;
  }

  /** Successful repairs since start-up. */
  public int repairs() {
    return repairs.get();
  }
}
