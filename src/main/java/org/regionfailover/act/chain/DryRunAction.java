package org.regionfailover.act.chain;

import org.regionfailover.config.Region;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.act.Action;

/** Stands in for every real step under {@code --dry-run}: says what would be done. */
public final class DryRunAction implements Action {
  private final EventLog log;

  public DryRunAction(EventLog log) {
    this.log = log;
  }

  @Override
  public String name() {
    return "dry_run";
  }

  @Override
  public void apply(Region target) {
    log.emit(Event.warn("dry_run", "dry run: would write the env file for " + target.name()
            + " and restart the stack; nothing was changed")
        .with("region", target.name()).with("host", target.host()));
  }
}
