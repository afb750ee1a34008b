package org.regionfailover.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.regionfailover.Regions.EU;
import static org.regionfailover.Regions.NAM;
import static org.regionfailover.Regions.ORDER;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.regionfailover.FakeTicker;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.act.Action;
import org.regionfailover.act.chain.ActionChain;
import org.regionfailover.act.chain.ActionChainStage;
import org.regionfailover.config.Region;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.State;
import org.regionfailover.decide.Transition;
import org.regionfailover.probe.ProbeResult;
import org.regionfailover.time.Backoff;

/**
 * Issue 26: new rules reach a running loop between two steps, never in the middle of a
 * switch, and the state carries over. Driven without the loop's thread ({@code drain}) on
 * a fake ticker; the act stage's one step never finishes, so the test says when a switch
 * ends.
 */
class FailoverLoopReloadTest {
  private static final Duration INTERVAL = Duration.ofMillis(500);
  private static final ProbeResult DOWN = ProbeResult.failed(5000, "timeout");

  private final FakeTicker ticker = new FakeTicker();
  private final long t0 = ticker.read();
  private final RecordingEventLog log = new RecordingEventLog();
  private final CountDownLatch never = new CountDownLatch(1);
  private final ActionChain act = new ActionChain(List.of(),
      new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)), log, ticker);
  /** A switch step that holds the switch in progress until the test ends. */
  private final Action stuck = new Action() {
    @Override
    public String name() {
      return "stuck";
    }

    @Override
    public void apply(Region target) throws InterruptedException {
      never.await();
    }
  };
  private final List<String> reconfigured = new ArrayList<>();

  @AfterEach
  void closeAct() {
    never.countDown();
    act.close();
  }

  private static FailoverPolicy rules(Duration threshold) {
    return new FailoverPolicy(ORDER, INTERVAL, threshold);
  }

  private FailoverLoop loop(FailoverPolicy policy) {
    FailoverLoop loop = new FailoverLoop(policy, new Transition(policy.initial(0, t0), List.of()),
        new ActionChainStage(act, List.of(stuck), List.of(), List.of(), null), log, ticker,
        FailoverLoop.Stack.NONE);
    loop.onStep(new FailoverLoop.StepListener() {
      @Override
      public void stepped(Input input, long at, Transition transition) {}

      @Override
      public void reconfigured(FailoverPolicy p, PolicyState state, long at) {
        reconfigured.add(p.threshold() + " at " + (at - t0) / 1_000_000 + " ms");
      }
    });
    return loop;
  }

  /** Ticks every half second from {@code fromMs} to {@code toMs} after t0, failing. */
  private void failing(FailoverLoop loop, ChainProber prober, long fromMs, long toMs) {
    for (long ms = fromMs; ms <= toMs; ms += INTERVAL.toMillis()) {
      ticker.advance(Duration.ofNanos(t0 + ms * 1_000_000L - ticker.read()));
      prober.tick();
      loop.drain();
    }
  }

  @Test
  void thresholdRaisedTwoSecondsIntoAnOutage_failsOverFourSecondsAfterItBegan() throws Exception {
    FailoverLoop loop = loop(rules(Duration.ofSeconds(3)));
    ChainProber prober = new ChainProber(loop, region -> DOWN, ticker, 0);
    failing(loop, prober, 0, 2_000);

    CompletableFuture<Void> applied = loop.reconfigure(rules(Duration.ofSeconds(4)));
    assertThat(applied).as("applied when the loop takes it, not before").isNotDone();
    loop.drain();
    assertThat(applied).isCompleted();
    assertThat(loop.policy().threshold()).isEqualTo(Duration.ofSeconds(4));
    assertThat(reconfigured).containsExactly("PT4S at 2000 ms");

    failing(loop, prober, 2_500, 3_500);
    assertThat(log.named("failover")).as("not at the old threshold").isEmpty();
    failing(loop, prober, 4_000, 4_000);
    assertThat(log.named("failover")).singleElement().satisfies(e ->
        assertThat(e.fields()).containsEntry("outage_s", 4.0).containsEntry("to_region", "NAM"));
    assertThat(log.named("outage_started")).hasSize(1);
  }

  @Test
  void reloadPostedWhileSwitching_waitsForTheSwitchToEnd_andProbesMeanwhileUseTheOldRules()
      throws Exception {
    FailoverLoop loop = loop(rules(Duration.ofSeconds(3)));
    ChainProber prober = new ChainProber(loop, region -> DOWN, ticker, 0);
    failing(loop, prober, 0, 3_000);
    assertThat(loop.state().phase()).isInstanceOf(State.Switching.class);

    CompletableFuture<Void> applied = loop.reconfigure(rules(Duration.ofMinutes(1)));
    failing(loop, prober, 3_500, 4_000);
    assertThat(applied).isNotDone();
    assertThat(loop.policy().threshold()).isEqualTo(Duration.ofSeconds(3));

    // A switch failing for 3.5 s: abandoned by the rules it began under (3 s), which the
    // new ones (1 min) would not do; the reload comes right after.
    ticker.advance(Duration.ofMillis(2_500));
    loop.post(new Input.SwitchAttemptFailed(1, "stuck"));
    loop.drain();
    assertThat(loop.state().phase()).isInstanceOfSatisfying(State.Down.class,
        d -> assertThat(d.reason()).startsWith("switch to NAM failed"));
    assertThat(applied).isCompleted();
    assertThat(loop.policy().threshold()).isEqualTo(Duration.ofMinutes(1));
    assertThat(reconfigured).containsExactly("PT1M at 6500 ms");
  }

  @Test
  void reloadPostedWhileSwitching_isAppliedRightAfterTheSwitchIsDone() {
    FailoverLoop loop = loop(rules(Duration.ofSeconds(3)));
    ChainProber prober = new ChainProber(loop, region -> DOWN, ticker, 0);
    failing(loop, prober, 0, 3_000);
    CompletableFuture<Void> first = loop.reconfigure(rules(Duration.ofSeconds(5)));
    CompletableFuture<Void> second = loop.reconfigure(rules(Duration.ofSeconds(6)));
    loop.drain();
    assertThat(first).isNotDone();

    loop.post(new Input.SwitchDone(1));
    loop.drain();

    assertThat(first).as("replaced by the newer rules, and done with them").isCompleted();
    assertThat(second).isCompleted();
    assertThat(loop.policy().threshold()).isEqualTo(Duration.ofSeconds(6));
    assertThat(reconfigured).containsExactly("PT6S at 3000 ms");
    assertThat(loop.activeRegion()).isEqualTo(NAM);
  }

  @Test
  void reconfigure_anotherOrder_isRefusedAtOnce() {
    FailoverLoop loop = loop(rules(Duration.ofSeconds(3)));
    assertThatThrownBy(() -> loop.reconfigure(new FailoverPolicy(List.of(NAM, EU), INTERVAL,
        Duration.ofSeconds(3)))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("order");
    assertThat(loop.drain()).isZero();
  }

  @Test
  void reloadNotYetApplied_whenTheLoopStops_failsItsFuture() {
    FailoverLoop loop = loop(rules(Duration.ofSeconds(3)));
    ChainProber prober = new ChainProber(loop, region -> DOWN, ticker, 0);
    failing(loop, prober, 0, 3_000); // switching
    CompletableFuture<Void> waiting = loop.reconfigure(rules(Duration.ofSeconds(4)));
    loop.drain();
    loop.stop();
    loop.run(); // takes the stop at once
    CompletableFuture<Void> posted = loop.reconfigure(rules(Duration.ofSeconds(5)));

    assertThatThrownBy(waiting::get).isInstanceOf(ExecutionException.class)
        .hasMessageContaining("stopped");
    assertThatThrownBy(posted::get).isInstanceOf(ExecutionException.class)
        .hasMessageContaining("stopped");
  }
}
