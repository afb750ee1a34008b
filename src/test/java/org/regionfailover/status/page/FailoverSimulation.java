package org.regionfailover.status.page;

import static org.regionfailover.DecideHarness.S;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.regionfailover.DecideHarness;
import org.regionfailover.Regions;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.config.Region;
import org.regionfailover.config.TrafficRules;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.State;
import org.regionfailover.probe.ProbeResult;
import org.regionfailover.status.StatusRecorder;
import org.regionfailover.status.StatusSnapshot;
import org.regionfailover.time.Ticker;

/**
 * The real policy and status recorder driven through a host's hour in zero wall time: the
 * probes the loop would post (chain every 10 s, direct every 30 s, stack every 30 s) at
 * the default rules, with latencies that look like three regions' (seeded, so every run and
 * every screenshot is the same). The wall clock moves with the fake ticker, anchored so that
 * second 0 is {@code start}; between steps it stands still. Thread-safe: the page's server
 * reads and posts commands from its own threads. With traffic rules on (issue 27), the
 * applications' calls of each tick are reported through the active region after its probe.
 */
final class FailoverSimulation {
  static final List<Region> ORDER = Regions.ORDER;
  static final int EU = 0;
  static final int NAM = 1;
  /** Base latencies in ms, chain then direct: the chain adds the local tunnel. */
  private static final long[] CHAIN_MS = {42, 118, 236};
  private static final long[] DIRECT_MS = {31, 104, 221};

  private final AtomicLong nanos = new AtomicLong();
  private final Ticker ticker = nanos::get;
  private final Instant start;
  private final Clock clock;
  private final DecideHarness run;
  private final StatusRecorder recorder;
  private final Random jitter = new Random(11);
  private final boolean[] down = new boolean[ORDER.size()];
  /** The last 10 s tick of the probes, in simulated seconds. */
  private long tick;
  /** The applications' calls of each tick, ok then unreachable; null: none reported. */
  private long[] calls;

  FailoverSimulation(Instant start) {
    this(start, TrafficRules.OFF);
  }

  /** With the applications' calls judged by {@code traffic} (a source on when enabled). */
  FailoverSimulation(Instant start, TrafficRules traffic) {
    this.start = start;
    this.run = new DecideHarness(new FailoverPolicy(ORDER,
        DecideHarness.defaults(FailbackMode.AUTO).withTraffic(traffic)), EU, 0);
    this.clock = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
      }

      @Override
      public Instant instant() {
        return FailoverSimulation.this.start.plusNanos(nanos.get());
      }
    };
    recorder = new StatusRecorder(run.policy(), Duration.ofSeconds(10), Duration.ofSeconds(30),
        clock, ticker, "0.1.0-sim", true, () -> new StatusRecorder.Check(true, "off (no API key)"));
    run.onStep(recorder);
    recorder.begin(run.state());
  }

  /** The wall time now, as the status server would read it. */
  Instant now() {
    return clock.instant();
  }

  StatusSnapshot snapshot() {
    return recorder.snapshot();
  }

  synchronized String active() {
    return ORDER.get(run.state().active()).name();
  }

  synchronized String phase() {
    return run.state().phase().getClass().getSimpleName();
  }

  /** From now on, {@code region} fails its probes (chain and direct) or answers again. */
  synchronized void setDown(int region, boolean isDown) {
    down[region] = isDown;
  }

  /** From now on, each tick the applications report these calls through the active region. */
  synchronized void setCalls(long ok, long unreachable) {
    calls = new long[] {ok, unreachable};
  }

  /** Runs the loop's probes for {@code length} (whole 10 s ticks). */
  synchronized void run(Duration length) {
    long until = tick + length.toSeconds();
    while (tick < until) {
      tick += 10;
      advanceTo(tick);
      if (tick % 30 == 0) {
        for (int r = 0; r < ORDER.size(); r++) {
          step(new Input.RegionProbed(r, direct(r)));
        }
        step(new Input.StackChecked(List.of(), null));
      }
      step(new Input.Probed(run.state().active(), chain(run.state().active())));
      if (calls != null) {
        step(new Input.Traffic(run.state().active(), calls[0], calls[1],
            calls[1] == 0 ? Map.of() : Map.of("503", calls[1]), "endpoint"));
      }
      settle();
    }
  }

  /** The maintenance windows as the loop takes them (kept; judged by a loop with a wall clock). */
  synchronized void schedule(List<org.regionfailover.config.MaintenanceWindow> windows,
      java.time.Duration lead) {
    step(new Input.MaintenanceSchedule(windows, lead));
  }

  /** An operator's command a second later, as the server would post it; the policy's answer. */
  synchronized Decision.ManualCommand command(Input.Command command) {
    advanceTo(nanos.get() / S + 1);
    List<Decision> answer = step(command);
    settle();
    return answer.stream()
        .filter(Decision.ManualCommand.class::isInstance).map(Decision.ManualCommand.class::cast)
        .findFirst().orElseThrow(() -> new AssertionError("no answer to " + command));
  }

  /** The act stage: the env file and the restart take a few seconds after the decision. */
  private void settle() {
    if (run.state().phase() instanceof State.Switching s) {
      advanceTo(nanos.get() / S + 4);
      step(new Input.SwitchDone(s.target()));
    }
  }

  private List<Decision> step(Input input) {
    return run.at(nanos.get() / S, input);
  }

  /** Time never runs backwards: a command's switch may end after the next tick was due. */
  private void advanceTo(long seconds) {
    nanos.accumulateAndGet(seconds * S, Math::max);
  }

  private ProbeResult chain(int region) {
    return down[region] ? ProbeResult.failed(5000, "timed out after 5000 ms")
        : ProbeResult.healthy(around(CHAIN_MS[region]), 200);
  }

  private ProbeResult direct(int region) {
    return down[region] ? ProbeResult.failed(3000, "connect timed out after 3000 ms")
        : ProbeResult.healthy(around(DIRECT_MS[region]), 200);
  }

  /** A latency near {@code base}: mostly within 15 %, now and then a slow answer. */
  private long around(long base) {
    double f = 1 + jitter.nextGaussian() * 0.08 + (jitter.nextInt(25) == 0 ? 0.6 : 0);
    return Math.max(1, Math.round(base * f));
  }
}
