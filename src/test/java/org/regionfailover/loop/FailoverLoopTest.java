package org.regionfailover.loop;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.regionfailover.Regions.EU;
import static org.regionfailover.Regions.NAM;
import static org.regionfailover.Regions.ORDER;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.regionfailover.act.Action;
import org.regionfailover.act.chain.ActionChainStage;
import org.regionfailover.decide.Transition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.act.chain.ActionChain;
import org.regionfailover.act.envfile.EnvFile;
import org.regionfailover.act.envfile.EnvFileWriter;
import org.regionfailover.config.Region;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.State;
import org.regionfailover.probe.Probe;
import org.regionfailover.probe.ProbeResult;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Backoff;

/** The whole loop on a fake ticker: 4 minutes of failed probes rewrite the env file to the next region. */
class FailoverLoopTest {
  private static final long S = 1_000_000_000L;
  private static final ProbeResult DOWN = ProbeResult.failed(5000, "timeout");
  private static final ProbeResult UP = ProbeResult.healthy(12, 200);

  /** A probe that answers from a script, and fails loudly when the script runs out. */
  private static final class ScriptedProbe implements Probe {
    private final Deque<ProbeResult> script = new ArrayDeque<>();
    private final List<String> probed = Collections.synchronizedList(new ArrayList<>());

    void then(int times, ProbeResult result) {
      for (int i = 0; i < times; i++) {
        script.add(result);
      }
    }

    @Override
    public synchronized ProbeResult probe(Region region) {
      probed.add(region.name());
      ProbeResult r = script.poll();
      if (r == null) {
        throw new IllegalStateException("probe script exhausted after " + probed.size() + " probes");
      }
      return r;
    }
  }

  @TempDir Path dir;

  private final RecordingEventLog recorded = new RecordingEventLog();
  private final CountDownLatch completed = new CountDownLatch(1);
  /** Records everything and opens the latch when the switch is acknowledged. */
  private final EventLog log = e -> {
    recorded.emit(e);
    if (e.name().equals("failover_completed")) {
      completed.countDown();
    }
  };
  private ActionChain act;

  @AfterEach
  void closeAct() {
    if (act != null) {
      act.close();
    }
  }

  @ParameterizedTest(name = "ticker starts at {0}")
  @ValueSource(longs = {0L, Long.MAX_VALUE - 100 * S})
  void tick_regionFailsFor4Minutes_failsOverToTheNextRegionOnThe25thTick(long origin)
      throws Exception {
    Path envFile = dir.resolve("ext_cloud.env");
    EnvFileWriter writer = new EnvFileWriter(envFile);
    writer.apply(EU);
    AtomicLong clock = new AtomicLong(origin);
    FailoverPolicy policy = new FailoverPolicy(ORDER, Duration.ofSeconds(10), Duration.ofMinutes(4));
    ScriptedProbe probe = new ScriptedProbe();
    probe.then(25, DOWN);
    probe.then(1, UP);
    act = new ActionChain(List.of(),
        new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)), log, clock::get);
    FailoverLoop loop = loop(policy, origin, List.of(writer), clock);
    ChainProber prober = new ChainProber(loop, probe, clock::get, 0);

    // Ticks at 0, 10, ..., 230 s of failure: 24 probes, 3 min 50 s, not yet the threshold.
    for (int i = 0; i < 24; i++) {
      clock.set(origin + i * 10 * S);
      prober.tick();
      loop.drain();
    }
    assertThat(recorded.named("failover")).as("no failover before 4 minutes").isEmpty();
    assertThat(recorded.named("outage_started")).hasSize(1);
    assertThat(loop.activeRegion()).isEqualTo(EU);

    clock.set(origin + 240 * S); // the 25th tick, 4 min after the first failure
    prober.tick();
    loop.drain();

    assertThat(recorded.named("failover")).singleElement().satisfies(e -> {
      assertThat(e.message()).isEqualTo(
          "Waited for 4 min. Application restarting due to failure with Ext Cloud: cloud.eu.ext.com");
      assertThat(e.level()).isEqualTo(Event.Level.ERROR);
      assertThat(e.fields()).containsEntry("from_region", "EU").containsEntry("to_region", "NAM")
          .containsEntry("outage_s", 240.0);
    });

    // The act stage runs on its own thread and posts its acknowledgement to the loop.
    // drain() handles the inputs on the calling thread: poll on the test's own.
    await("the switch acknowledged").atMost(Duration.ofSeconds(10)).pollInSameThread()
        .ignoreExceptions().until(() -> {
          loop.drain();
          return completed.getCount() == 0;
        });
    assertThat(Files.readString(envFile)).isEqualTo(EnvFile.render(NAM));
    assertThat(recorded.named("failover_completed")).singleElement()
        .satisfies(e -> assertThat(e.fields()).containsEntry("region", "NAM")
            .containsEntry("duration_ms", 0L)); // the fake clock did not move during the switch
    assertThat(loop.activeRegion()).isEqualTo(NAM);
    assertThat(loop.state().phase()).isEqualTo(new State.Watching(1, origin + 240 * S));
    assertThat(recorded.named("action_failed")).isEmpty();

    clock.set(origin + 250 * S);
    prober.tick();
    loop.drain();
    assertThat(probe.probed).as("probes follow the host to the new region")
        .containsOnly("EU", "NAM").endsWith("NAM").filteredOn("EU"::equals).hasSize(25);
    assertThat(recorded.named("failover")).as("a healthy new region is kept").hasSize(1);
  }

  /** A loop on {@code clock} that switches with {@code steps} through {@link #act}. */
  private FailoverLoop loop(FailoverPolicy policy, long origin, List<Action> steps,
      AtomicLong clock) {
    return new FailoverLoop(policy, new Transition(policy.initial(0, origin), List.of()),
        new ActionChainStage(act, steps, List.of(), List.of(), null), log, clock::get,
        FailoverLoop.Stack.NONE);
  }

  /**
   * A 10 s / 4 min loop on {@code clock} whose probes fail {@code failures} times, with no
   * switch steps; each tick posts the probe and the loop handles it at once.
   */
  private LongConsumer failingLoop(AtomicLong clock, int failures, long jitter) {
    FailoverPolicy policy = new FailoverPolicy(ORDER, Duration.ofSeconds(10), Duration.ofMinutes(4));
    ScriptedProbe probe = new ScriptedProbe();
    probe.then(failures, DOWN);
    act = new ActionChain(List.of(), new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)), log, clock::get);
    FailoverLoop loop = loop(policy, clock.get(), List.of(), clock);
    ChainProber prober = new ChainProber(loop, probe, clock::get, jitter);
    return slot -> {
      prober.tick(slot);
      loop.drain();
    };
  }

  /**
   * Regression: ticks read the clock a few milliseconds after their slot. Stamped with the
   * raw reading, a first failure read 50 ms late and a 25th read 1 ms late measure 3:59.951
   * and the failover slips to the 26th probe (4:10). Stamped with their slots they do not.
   */
  @org.junit.jupiter.api.Test
  void tickWithSlot_schedulingJitter_failsOverOnTheProbeAtTheThreshold() {
    AtomicLong clock = new AtomicLong(0);
    long jitter = 5 * S;
    LongConsumer loop = failingLoop(clock, 30, jitter);
    long ms = 1_000_000L;

    for (int i = 0; i < 25; i++) {
      long slot = i * 10 * S;
      clock.set(slot + (i == 0 ? 50 * ms : i == 24 ? ms : (i * 7 % 40) * ms));
      loop.accept(slot);
    }

    assertThat(recorded.named("failover")).singleElement()
        .satisfies(e -> assertThat(e.fields()).containsEntry("outage_s", 240.0));
  }

  /**
   * Issue 25 (replay decided one interval late): each decision event says when the loop
   * decided it, the probe's slot on the wall clock, not when the line was written; two
   * probes a threshold apart are a threshold apart in {@code decided_at}.
   */
  @org.junit.jupiter.api.Test
  void decisionEvents_carryTheSlotTheyWereDecidedAt_onTheWallClock() {
    AtomicLong clock = new AtomicLong(Long.MAX_VALUE - 5 * S); // the ticker wraps meanwhile
    long origin = clock.get();
    java.time.Instant wallAtStart = java.time.Instant.parse("2026-12-07T16:52:33.537Z");
    FailoverPolicy policy = new FailoverPolicy(ORDER, Duration.ofSeconds(1), Duration.ofSeconds(5));
    act = new ActionChain(List.of(), new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)), log, clock::get);
    FailoverLoop loop = new FailoverLoop(policy, new Transition(policy.initial(0, origin), List.of()),
        new ActionChainStage(act, List.of(), List.of(), List.of(), null), log, clock::get,
        FailoverLoop.Stack.NONE, java.time.Clock.fixed(wallAtStart, java.time.ZoneOffset.UTC));
    ScriptedProbe probe = new ScriptedProbe();
    probe.then(6, DOWN);
    ChainProber prober = new ChainProber(loop, probe, clock::get, S / 2);

    for (int i = 0; i <= 5; i++) {
      long slot = origin + (i + 1) * S;
      clock.set(slot + (i == 0 ? 3_000_000L : 7_000L)); // each tick reads the clock late
      prober.tick(slot);
      loop.drain();
    }

    assertThat(recorded.named("probe")).hasSize(6).first().satisfies(e -> assertThat(e.fields())
        .containsEntry(Event.DECIDED_AT, "2026-12-07T16:52:34.537Z"));
    assertThat(recorded.named("outage_started")).singleElement().satisfies(e ->
        assertThat(e.fields()).containsEntry(Event.DECIDED_AT, "2026-12-07T16:52:34.537Z"));
    assertThat(recorded.named("failover")).singleElement().satisfies(e ->
        assertThat(e.fields()).containsEntry(Event.DECIDED_AT, "2026-12-07T16:52:39.537Z"));
  }

  @org.junit.jupiter.api.Test
  void tickWithSlot_farLaterThanItsSlot_keepsTheClockReadingSoThePauseShows() {
    AtomicLong clock = new AtomicLong(0);
    LongConsumer loop = failingLoop(clock, 3, 5 * S);

    loop.accept(0);
    clock.set(10 * S);
    loop.accept(10 * S);
    clock.set(600 * S); // the slot was 20 s; the process was stopped until 600 s
    loop.accept(20 * S);

    assertThat(recorded.named("probe_late")).singleElement()
        .satisfies(e -> assertThat(e.fields()).containsEntry("gap_ms", 590_000L));
  }

  /**
   * Campaign finding 11: a command taken by a loop that was paused past the status
   * server's answer time was carried out after its sender had been told "no answer".
   */
  @org.junit.jupiter.api.Test
  void command_olderThanTheAnswerTime_whenTaken_isRefusedNotCarriedOut() throws Exception {
    AtomicLong clock = new AtomicLong(0);
    FailoverPolicy policy = new FailoverPolicy(ORDER, Duration.ofSeconds(10), Duration.ofMinutes(4));
    act = new ActionChain(List.of(), new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)), log, clock::get);
    FailoverLoop loop = loop(policy, 0, List.of(), clock);
    org.regionfailover.decide.Operator anna = new org.regionfailover.decide.Operator("anna", "127.0.0.1");
    var fresh = loop.command(new org.regionfailover.decide.Input.HoldCommand(null, "x", anna));
    loop.drain();
    assertThat(fresh.get().accepted()).isTrue();
    var stale = loop.command(new org.regionfailover.decide.Input.ReleaseCommand(anna));
    clock.set(6 * S); // the process was stopped for 6 s before the loop took it
    loop.drain();
    assertThat(stale.get().accepted()).isFalse();
    assertThat(stale.get().outcome()).startsWith("not carried out: it waited 6 s");
    assertThat(loop.state().held()).as("the release did not happen").isTrue();
    assertThat(recorded.named("manual_command")).last().satisfies(e ->
        assertThat(e.fields()).containsEntry("outcome", "refused"));
  }
}
