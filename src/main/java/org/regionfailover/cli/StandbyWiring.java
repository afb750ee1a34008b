package org.regionfailover.cli;

import org.regionfailover.coordinate.standby.StandbyHost;
import org.regionfailover.status.StatusRecorder;
import org.regionfailover.status.http.ServedSet;
import org.regionfailover.status.http.Reply;
import org.regionfailover.status.http.Routes;

/**
 * An active/standby host's coordination, as the status server shows it: its components of
 * {@code /health}, what the read endpoints say while it stands by, and {@code POST /resign}.
 * The host itself (lease, fencing, the supervisor it runs while it leads) is
 * {@link StandbyHost}; the assembler runs it.
 */
record StandbyWiring(StandbyHost host) implements Coordination {
  @Override
  public void show(StatusFeed feed, ServedSet served) {
    feed.recorder().extra("role", true,
        () -> new StatusRecorder.Check(host.leading(), host.roleDetail()));
    feed.recorder().extra("coordination", false,
        () -> new StatusRecorder.Check(host.connected(), host.coordinationDetail()));
    served.whenIdle(host::idleReason);
  }

  /** {@code POST /resign}: the operator's way to move the stack to another host. */
  @Override
  public void register(Routes.Builder routes, String prefix) {
    routes.post(prefix + "/resign", r -> host.resign(r.user(), r.remoteAddress())
        .map(refused -> Reply.text(409, refused))
        .orElseGet(() -> Reply.text(202, "accepted: resigning the lease (epoch " + host.epoch()
            + "); the stack stops here and another host starts it")));
  }

  @Override
  public void close() {
    host.close();
  }
}
