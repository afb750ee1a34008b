package org.regionfailover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;

/** Real ZooKeeper for tests, in-process (Curator's TestingServer and TestingCluster), started. */
public final class Ensembles {
  private Ensembles() {}

  /** One server. */
  public static TestingServer oneServer() throws Exception {
    disableAdminServer();
    return new TestingServer(true);
  }

  /** Three servers at ZooKeeper's default tick. */
  public static TestingCluster threeServers() throws Exception {
    disableAdminServer();
    TestingCluster cluster = new TestingCluster(3);
    cluster.start();
    return cluster;
  }

  /**
   * Three servers with {@code tick} as ZooKeeper's tick; sessions expire on tick
   * boundaries, so a short tick keeps takeover times close to the session timeout.
   */
  public static TestingCluster threeServers(Duration tick) throws Exception {
    disableAdminServer();
    List<InstanceSpec> specs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      specs.add(new InstanceSpec(null, -1, -1, -1, true, -1, (int) tick.toMillis(), -1));
    }
    TestingCluster cluster = new TestingCluster(specs);
    cluster.start();
    return cluster;
  }

  /** The admin server would take port 8080, shared by every test JVM on the machine. */
  private static void disableAdminServer() {
    System.setProperty("zookeeper.admin.enableServer", "false");
  }
}
