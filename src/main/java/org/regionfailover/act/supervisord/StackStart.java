package org.regionfailover.act.supervisord;

import java.util.Objects;
import org.regionfailover.config.Region;
import org.regionfailover.act.Action;
import org.regionfailover.act.ActionException;

/**
 * The start-up step: starts the stack's programs that are not running (they are
 * {@code autostart=false} on these hosts) without bouncing the ones that are, so that
 * restarting the supervisor never restarts the applications.
 */
public final class StackStart implements Action {
  private final SupervisordRestart restart;

  public StackStart(SupervisordRestart restart) {
    this.restart = Objects.requireNonNull(restart, "restart");
  }

  @Override
  public String name() {
    return "start_stack";
  }

  @Override
  public void apply(Region target) throws ActionException, InterruptedException {
    restart.ensureRunning(target);
  }
}
