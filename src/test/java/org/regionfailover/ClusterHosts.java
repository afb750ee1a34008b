package org.regionfailover;

import java.io.Closeable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;

/**
 * The hosts of one cluster on a real ZooKeeper, as the coordination tests start them: each
 * with its own real supervisord in its own folder, all against one fake cloud. Closing
 * closes the supervisords, the cloud and ZooKeeper, in that order: close the hosts first.
 */
public final class ClusterHosts implements AutoCloseable {
  public final FakeCloud cloud = new FakeCloud();
  public final List<SupervisordFixture> supervisords = new ArrayList<>();
  private final Path dir;
  private final String cluster;
  private final String connect;
  private final Closeable zk;

  public ClusterHosts(Path dir, String cluster, TestingServer zk) {
    this(dir, cluster, zk.getConnectString(), zk);
  }

  public ClusterHosts(Path dir, String cluster, TestingCluster zk) {
    this(dir, cluster, zk.getConnectString(), zk);
  }

  private ClusterHosts(Path dir, String cluster, String connect, Closeable zk) {
    this.dir = dir;
    this.cluster = cluster;
    this.connect = connect;
    this.zk = zk;
  }

  /** Host {@code id}'s supervisord, started, for a host never switched (no env file). */
  public SupervisordFixture supervisord(String id) throws Exception {
    return supervisord(SupervisordFixture.unixSocket(Files.createDirectories(dir.resolve(id))));
  }

  /** As {@link #supervisord(String)}, with programs stopped within {@code stopWaitSecs}. */
  public SupervisordFixture supervisord(String id, int stopWaitSecs) throws Exception {
    return supervisord(SupervisordFixture.unixSocket(Files.createDirectories(dir.resolve(id)))
        .stopWaitSecs(stopWaitSecs));
  }

  private SupervisordFixture supervisord(SupervisordFixture s) throws Exception {
    s.start();
    supervisords.add(s);
    Files.deleteIfExists(s.envFile());
    return s;
  }

  /** The loop's environment for host {@code id} on {@code s}: EU, NAM, APAC; this cluster. */
  public Map<String, String> env(SupervisordFixture s, String id, Duration session) {
    Map<String, String> env = cloud.loopEnv(s, FakeCloud.EU_NAM_APAC);
    env.put("FAILOVER_COORDINATION", "zookeeper://" + connect);
    env.put("FAILOVER_CLUSTER", cluster);
    env.put("FAILOVER_HOST_ID", id);
    env.put("FAILOVER_SESSION_TIMEOUT", session.toSeconds() + "s");
    return env;
  }

  @Override
  public void close() throws Exception {
    for (SupervisordFixture s : supervisords) {
      s.close();
    }
    cloud.close();
    zk.close();
  }
}
