package org.regionfailover.cli;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.regionfailover.config.ListenerSettings;
import org.regionfailover.config.Region;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.report.EventLog;
import org.regionfailover.status.http.ReadEndpoints;
import org.regionfailover.status.http.Routes;
import org.regionfailover.status.http.ServedSet;
import org.regionfailover.status.http.ServedSets;
import org.regionfailover.status.http.StatusServer;
import org.regionfailover.time.Ticker;

/**
 * The status server of one host of the fleet demo, as a fleet host of the service has it:
 * the page with its Fleet panel, the reads, and the operators' commands, which go to the
 * fleet (with an htpasswd file; without, manual control is off). Lets a newcomer see the
 * Fleet panel and try a fleet command.
 */
final class FleetDemoPage {
  private FleetDemoPage() {}

  /**
   * Serves host's {@code feed} (its regions in {@code order}) on {@code listener}, its fleet
   * part and commands through {@code fleet}, a command reaching the loop in {@code loop}
   * once it runs. Before the supervisor starts: the feed then attaches to its first step.
   */
  static StatusServer start(ListenerSettings listener, StatusFeed feed, List<Region> order,
      FleetWiring fleet, AtomicReference<FailoverLoop> loop, EventLog log, Ticker ticker) {
    StatusListener.Security security = StatusListener.security(listener);
    ServedSet served = feed.served(order, command -> fleet.command(command, loop));
    fleet.show(feed, served);
    ServedSets sets = new ServedSets(List.of(served));
    ReadEndpoints reads = new ReadEndpoints(sets, feed.processMetrics(), Clock.systemUTC())
        .withManualControl(() -> security.passwords() != null);
    Routes routes = StatusListener.routes(sets, reads, builder -> fleet.register(builder, ""));
    return StatusListener.start(listener, security, routes, log, ticker);
  }
}
