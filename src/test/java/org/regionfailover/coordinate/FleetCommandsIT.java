package org.regionfailover.coordinate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.regionfailover.Ensembles;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Operator;
import org.regionfailover.decide.fleet.FleetCommand;
import org.regionfailover.time.Ticker;

/**
 * The operator's side of a fleet command against a real ZooKeeper server: queued once, the
 * answer taken when the decider writes it (a watch, not the wait running out) and removed,
 * the operator told when none comes in time, refused at once without ZooKeeper. The
 * decider's side is {@link FleetCoordinationIT}; here the test writes the answer node.
 */
class FleetCommandsIT {
  private static final Duration SOON = Duration.ofSeconds(30);
  private static final Operator ALICE = new Operator("alice", "127.0.0.1");
  /** APAC: index 2 of the order EU, NAM, APAC. */
  private static final Input.MoveCommand TO_APAC = new Input.MoveCommand(2, false, "region",
      ALICE);

  TestingServer zk;
  ZooKeeperClient client;
  CuratorFramework curator;

  @BeforeEach
  void start() throws Exception {
    zk = Ensembles.oneServer();
    client = new ZooKeeperClient(zk.getConnectString(), "test", Duration.ofSeconds(10),
        new RecordingEventLog());
    client.start();
    assertThat(client.awaitConnected(SOON)).isTrue();
    curator = client.curator();
    // What the decider's first pass creates.
    curator.create().creatingParentsIfNeeded().forPath(ClusterPaths.COMMANDS);
    curator.create().creatingParentsIfNeeded().forPath(ClusterPaths.RESULTS);
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    zk.close();
  }

  @Test
  void withNoDeciderTheOperatorIsToldAndTheCommandStaysQueuedOnce() throws Exception {
    Duration wait = Duration.ofSeconds(4);
    // Each reading of the ticker is one whole wait later: the deadline passes at once.
    AtomicLong now = new AtomicLong();
    Ticker jumping = () -> now.getAndAdd(wait.toNanos());
    Decision.ManualCommand answer = new FleetCommands(client, "h1", wait, jumping)
        .submit(TO_APAC).get(SOON.toSeconds(), TimeUnit.SECONDS);

    assertThat(answer.accepted()).isFalse();
    List<String> queued = curator.getChildren().forPath(ClusterPaths.COMMANDS);
    assertThat(queued).hasSize(1);
    assertThat(answer.outcome()).contains("queued for the fleet as " + queued.get(0))
        .contains("no decider answered within 4 s");
    FleetCommand c = FleetJson.command(
        curator.getData().forPath(ClusterPaths.COMMANDS + "/" + queued.get(0)));
    assertThat(c.target()).isEqualTo(2);
    assertThat(c.user()).isEqualTo("alice");
    assertThat(c.host()).isEqualTo("h1");
  }

  @Test
  void theAnswerWakesTheWaitWhenTheDeciderWritesItAndIsRemoved() throws Exception {
    // A ticker that never moves and a long wait: only the watch can end this wait.
    CompletableFuture<Decision.ManualCommand> pending =
        new FleetCommands(client, "h1", Duration.ofMinutes(10), () -> 0L).submit(TO_APAC);
    await().atMost(SOON).until(() -> !curator.getChildren().forPath(ClusterPaths.COMMANDS)
        .isEmpty());
    String node = curator.getChildren().forPath(ClusterPaths.COMMANDS).get(0);
    assertThat(pending).isNotDone();

    curator.create().forPath(ClusterPaths.result(node),
        FleetJson.answer(new FleetJson.Answer(true, "moving the fleet to APAC", 3)));
    Decision.ManualCommand answer = pending.get(SOON.toSeconds(), TimeUnit.SECONDS);

    assertThat(answer.accepted()).isTrue();
    assertThat(answer.outcome()).isEqualTo("moving the fleet to APAC (fleet epoch 3) [fleet]");
    assertThat(curator.checkExists().forPath(ClusterPaths.result(node)))
        .as("the answer, read, is removed").isNull();
  }

  @Test
  void aRefusalWithoutAnEpochSaysNoEpoch() throws Exception {
    CompletableFuture<Decision.ManualCommand> pending =
        new FleetCommands(client, "h1", Duration.ofMinutes(10), () -> 0L).submit(TO_APAC);
    await().atMost(SOON).until(() -> !curator.getChildren().forPath(ClusterPaths.COMMANDS)
        .isEmpty());
    String node = curator.getChildren().forPath(ClusterPaths.COMMANDS).get(0);
    curator.create().forPath(ClusterPaths.result(node),
        FleetJson.answer(new FleetJson.Answer(false, "the fleet is already on APAC", -1)));

    Decision.ManualCommand answer = pending.get(SOON.toSeconds(), TimeUnit.SECONDS);
    assertThat(answer.accepted()).isFalse();
    assertThat(answer.outcome()).isEqualTo("the fleet is already on APAC [fleet]");
  }

  @Test
  void withoutZooKeeperItIsRefusedAtOnceAndNothingIsQueued() throws Exception {
    zk.stop();
    await().atMost(SOON).until(() -> !client.connected());
    Decision.ManualCommand answer = new FleetCommands(client, "h1", Duration.ofMinutes(10),
        () -> 0L).submit(TO_APAC).get(SOON.toSeconds(), TimeUnit.SECONDS);

    assertThat(answer.accepted()).isFalse();
    assertThat(answer.outcome()).startsWith("ZooKeeper is unreachable from this host");
    zk.restart();
    await().atMost(SOON).until(client::connected);
    assertThat(curator.getChildren().forPath(ClusterPaths.COMMANDS)).isEmpty();
  }
}
