package org.regionfailover.coordinate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.regionfailover.decide.fleet.SeenView;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;

/**
 * The reads the decider and the status page both make: every live host's view with when it
 * was written, and the fleet's budget history and hold. A host that leaves between the
 * listing and the read is skipped; a damaged node is reported (when {@code log} is given)
 * and does not count.
 */
final class FleetReads {
  private FleetReads() {}

  /** The live hosts' views, by host id; each stamped with its node's modification time. */
  static List<SeenView> views(CuratorFramework curator, EventLog log) throws Exception {
    List<String> hosts;
    try {
      hosts = new ArrayList<>(curator.getChildren().forPath(ClusterPaths.HOSTS));
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    }
    Collections.sort(hosts);
    List<SeenView> out = new ArrayList<>();
    for (String h : hosts) {
      Stat stat = new Stat();
      try {
        out.add(new SeenView(FleetJson.view(curator.getData().storingStatIn(stat)
            .forPath(ClusterPaths.host(h))), stat.getMtime() * 1_000_000L));
      } catch (KeeperException.NoNodeException e) {
        // the host left between the listing and the read
      } catch (IOException e) {
        if (log != null) {
          log.emit(Event.warn("fleet_view_unreadable", "the view of host " + h + " cannot be"
              + " read (" + e.getMessage() + "); it does not count").with("peer", h));
        }
      }
    }
    return out;
  }

  /** The fleet's history and hold in wall-clock millis; empty when there is none yet. */
  static FleetJson.Persisted fleetState(CuratorFramework curator, EventLog log)
      throws Exception {
    try {
      return FleetJson.fleetState(curator.getData().forPath(ClusterPaths.FLEET_STATE));
    } catch (KeeperException.NoNodeException e) {
      return new FleetJson.Persisted(new long[0], null);
    } catch (IOException e) {
      if (log != null) {
        log.emit(Event.warn("fleet_state_unreadable", "the fleet's budget history cannot be"
            + " read (" + e.getMessage() + "); starting from an empty one"));
      }
      return new FleetJson.Persisted(new long[0], null);
    }
  }
}
