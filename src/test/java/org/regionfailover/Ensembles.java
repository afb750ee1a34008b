package org.regionfailover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;

/** Real ZooKeeper ensembles for tests: three servers in-process (Curator's TestingCluster). */
public final class Ensembles {
  private Ensembles() {}

  /**
   * Three servers with {@code tick} as ZooKeeper's tick, started; sessions expire on tick
   * boundaries, so a short tick keeps takeover times close to the session timeout.
   */
  public static TestingCluster threeServers(Duration tick) throws Exception {
    // The admin server would take port 8080, shared by every test JVM on the machine.
    System.setProperty("zookeeper.admin.enableServer", "false");
    List<InstanceSpec> specs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      specs.add(new InstanceSpec(null, -1, -1, -1, true, -1, (int) tick.toMillis(), -1));
    }
    TestingCluster cluster = new TestingCluster(specs);
    cluster.start();
    return cluster;
  }
}
