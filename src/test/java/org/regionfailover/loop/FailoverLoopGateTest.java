package org.regionfailover.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.regionfailover.Regions.EU;
import static org.regionfailover.Regions.NAM;
import static org.regionfailover.Regions.ORDER;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.DecideHarness;
import org.regionfailover.FakeTicker;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.ScriptedSwitchGate;
import org.regionfailover.act.Action;
import org.regionfailover.act.ActionException;
import org.regionfailover.act.SwitchGate;
import org.regionfailover.act.chain.ActionChain;
import org.regionfailover.act.chain.ActionChainStage;
import org.regionfailover.act.envfile.EnvFile;
import org.regionfailover.act.envfile.EnvFileWriter;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.Region;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.State;
import org.regionfailover.decide.Transition;
import org.regionfailover.probe.ProbeResult;
import org.regionfailover.time.Backoff;

/**
 * Issue 28's acceptance, at the loop: a pre-switch hook that says no leaves the env file
 * unwritten and the stack unrestarted, says why once ({@code failover_blocked hook_veto}
 * with the hook's output), and is asked again at each probe; when it says yes the switch
 * happens. The gate answers on its own thread; the loop's inputs are drained on the test's.
 */
class FailoverLoopGateTest {
  private static final long S = 1_000_000_000L;
  private static final ProbeResult DOWN = ProbeResult.failed(5000, "timeout");

  /** Counts the steps it runs, then runs {@code step}: how many env-file writes. */
  private static final class Counted implements Action {
    private final Action step;
    private final AtomicInteger runs = new AtomicInteger();

    Counted(Action step) {
      this.step = step;
    }

    @Override
    public String name() {
      return step.name();
    }

    @Override
    public void apply(Region target) throws ActionException, InterruptedException {
      runs.incrementAndGet();
      step.apply(target);
    }
  }

  /** The stack's restart, as a record of the regions it was restarted for. */
  private static final class Restart implements Action {
    private final List<Region> restarted = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return "restart";
    }

    @Override
    public void apply(Region target) {
      restarted.add(target);
    }
  }

  @TempDir Path dir;

  private final RecordingEventLog log = new RecordingEventLog();
  private final FakeTicker ticker = new FakeTicker();
  private final ScriptedSwitchGate gate = new ScriptedSwitchGate();
  private ActionChain chain;
  private Path envFile;
  private Counted writes;
  private final Restart restart = new Restart();

  @AfterEach
  void close() {
    gate.close();
    if (chain != null) {
      chain.close();
    }
  }

  private FailoverLoop loop(SwitchGate switchGate) throws Exception {
    envFile = dir.resolve("ext_cloud.env");
    EnvFileWriter writer = new EnvFileWriter(envFile);
    writer.apply(EU);
    writes = new Counted(writer);
    chain = new ActionChain(List.of(), new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)),
        log, ticker);
    // Probes every 10 s, threshold 4 min, a budget of 3 an hour.
    FailoverPolicy policy = new FailoverPolicy(ORDER, DecideHarness.defaults(FailbackMode.OFF));
    return new FailoverLoop(policy, new Transition(policy.initial(0, ticker.read()), List.of()),
        new ActionChainStage(chain, List.of(writes, restart), List.of(), List.of(), null), log,
        ticker, FailoverLoop.Stack.NONE, java.time.Clock.systemUTC(), switchGate);
  }

  /** A failed chain probe of EU, {@code seconds} from the start, handled at once. */
  private void probe(FailoverLoop loop, long start, long seconds) {
    ticker.advance(Duration.ofNanos(start + seconds * S - ticker.read()));
    loop.post(new Input.Probed(loop.state().active(), DOWN));
    loop.drain();
  }

  /**
   * Waits for the gate's {@code answers}-th answer to be posted, and handles it (unless the
   * drain after the probe already took it: the gate answers on its own thread).
   */
  private void answered(FailoverLoop loop, int answers) {
    await("the gate's answer").atMost(Duration.ofSeconds(10)).pollInSameThread()
        .until(() -> gate.answered() >= answers);
    loop.drain();
    assertThat(loop.state().waiting()).as("the answer was taken").isFalse();
  }

  @Test
  void hookSaysNo_noWriteNoRestartBlockedOnce_askedAgain_thenYes_theSwitchHappens()
      throws Exception {
    FailoverLoop loop = loop(gate);
    long start = ticker.read();
    gate.veto("DBA: replica 40 s behind");
    for (int i = 0; i < 24; i++) {
      probe(loop, start, i * 10);
    }
    assertThat(gate.asked()).isEmpty();

    probe(loop, start, 240); // the threshold: the failover is decided, the hook asked
    assertThat(log.named("switch_pending")).singleElement().satisfies(e -> assertThat(
        e.fields()).containsEntry("to_region", "NAM").containsEntry("transition", "failover"));
    assertThat(gate.asked()).singleElement().satisfies(e -> {
      assertThat(e.name()).as("asked about the failover event").isEqualTo("failover");
      assertThat(e.fields()).containsEntry("to_region", "NAM");
    });
    answered(loop, 1);

    assertThat(log.named("failover_blocked")).singleElement().satisfies(e -> {
      assertThat(e.fields()).containsEntry("reason", "hook_veto")
          .containsEntry("hook", ScriptedSwitchGate.HOOK)
          .containsEntry("output", "DBA: replica 40 s behind").containsEntry("timed_out", false);
      assertThat(e.message()).contains("DBA: replica 40 s behind");
    });
    assertThat(loop.state().blocked().reason()).isEqualTo("hook_veto");
    assertThat(log.named("failover")).isEmpty();

    // Vetoed again at each probe: asked each time, reported once.
    for (int i = 25; i < 28; i++) {
      probe(loop, start, i * 10);
      answered(loop, i - 23);
    }
    assertThat(gate.asked()).hasSize(4);
    assertThat(log.named("failover_blocked")).hasSize(1);
    assertThat(writes.runs.get()).as("env-file writes").isZero();
    assertThat(restart.restarted).as("restarts").isEmpty();
    assertThat(Files.readString(envFile)).isEqualTo(EnvFile.render(EU));
    assertThat(loop.policy().budget(loop.state(), ticker.read()).used()).isZero();
    assertThat(loop.state().phase()).isInstanceOf(State.Down.class);

    gate.allow();
    probe(loop, start, 280);
    answered(loop, 5);
    assertThat(log.named("failover")).singleElement().satisfies(e -> assertThat(e.fields())
        .containsEntry("to_region", "NAM").containsEntry("outage_s", 280.0));
    await("the switch acknowledged").atMost(Duration.ofSeconds(10)).pollInSameThread()
        .until(() -> {
          loop.drain();
          return !log.named("failover_completed").isEmpty();
        });
    assertThat(writes.runs.get()).isEqualTo(1);
    assertThat(restart.restarted).containsExactly(NAM);
    assertThat(Files.readString(envFile)).isEqualTo(EnvFile.render(NAM));
    assertThat(loop.activeRegion()).isEqualTo(NAM);
    assertThat(loop.state().blocked()).isNull();
    assertThat(loop.policy().budget(loop.state(), ticker.read()).used()).isEqualTo(1);
  }

  @Test
  void reloadedRules_stillAskTheGate() throws Exception {
    FailoverLoop loop = loop(gate);
    assertThat(loop.policy().asksBeforeSwitching()).isTrue();

    var applied = loop.reconfigure(new FailoverPolicy(ORDER, Duration.ofSeconds(10),
        Duration.ofMinutes(2)));
    loop.drain();

    assertThat(applied).isCompleted();
    assertThat(loop.policy().threshold()).isEqualTo(Duration.ofMinutes(2));
    assertThat(loop.policy().asksBeforeSwitching()).isTrue();
  }

  @Test
  void openGate_failsOverInTheStepThatDecides_withoutAskingOrAnyNewEvent() throws Exception {
    FailoverLoop loop = loop(SwitchGate.OPEN);
    long start = ticker.read();
    for (int i = 0; i <= 24; i++) {
      probe(loop, start, i * 10);
    }

    assertThat(log.named("failover")).hasSize(1);
    assertThat(log.named("switch_pending")).isEmpty();
    assertThat(loop.state().phase()).isInstanceOf(State.Switching.class);
    assertThat(loop.policy().asksBeforeSwitching()).isFalse();
  }

  @Test
  void gateThatCannotAsk_vetoes_nothingMoves() throws Exception {
    FailoverLoop loop = loop((decision, answer) -> {
      throw new IllegalStateException("hook queue closed");
    });
    long start = ticker.read();
    for (int i = 0; i <= 24; i++) {
      probe(loop, start, i * 10);
    }
    loop.drain();

    assertThat(log.named("failover_blocked")).singleElement().satisfies(e -> assertThat(
        e.fields()).containsEntry("reason", "hook_veto").containsEntry("output",
            "java.lang.IllegalStateException: hook queue closed"));
    assertThat(log.named("failover")).isEmpty();
    assertThat(writes.runs.get()).isZero();
  }
}
