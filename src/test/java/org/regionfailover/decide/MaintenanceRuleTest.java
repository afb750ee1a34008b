package org.regionfailover.decide;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.regionfailover.FakeTicker;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.MaintenanceWindow;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Decision.MaintenanceNotice;
import org.regionfailover.probe.ProbeResult;

/**
 * Planned maintenance as a pure rule: a ticker and a wall clock moved by hand, the policy
 * stepped at every probe as the loop steps it.
 */
class MaintenanceRuleTest {
  private static final ProbeResult OK = ProbeResult.healthy(12, 200);
  private static final ProbeResult FAIL = ProbeResult.failed(5000, "timeout");
  private static final List<Region> ORDER = List.of(new Region("EU", "eu.example"),
      new Region("NAM", "nam.example"), new Region("APAC", "apac.example"));
  private static final Duration INTERVAL = Duration.ofMillis(500);
  private static final Instant T0 = Instant.parse("2026-12-01T01:00:00Z");
  private static final Operator ANNA = new Operator("anna", "127.0.0.1");

  /** A host driven probe by probe; the wall clock follows the ticker unless stepped. */
  static final class Host {
    final FailoverPolicy policy;
    final FakeTicker ticker = new FakeTicker();
    final long origin = ticker.read();
    Instant wall = T0;
    PolicyState state;
    final List<Decision> decisions = new ArrayList<>();
    /** Every decision with the wall time it was made at. */
    final List<Instant> when = new ArrayList<>();
    boolean[] up = {true, true, true};

    Host(PolicySettings settings) {
      this(new FailoverPolicy(ORDER, settings));
    }

    Host(FailoverPolicy policy) {
      this.policy = policy;
      state = policy.initial(0, ticker.read());
    }

    Host() {
      this(settings(3));
    }

    List<Decision> step(Input input) {
      Transition t = policy.decide(state, input, ticker.read(), wall);
      state = t.next();
      decisions.addAll(t.decisions());
      t.decisions().forEach(d -> when.add(wall));
      // The act stage finishes a switch at once.
      if (state.phase() instanceof State.Switching s) {
        Transition done = policy.decide(state, new Input.SwitchDone(s.target()),
            ticker.read(), wall);
        state = done.next();
        decisions.addAll(done.decisions());
        done.decisions().forEach(d -> when.add(wall));
      }
      return t.decisions();
    }

    /** One interval: direct probes of every region, then the chain's probe of the active one. */
    void tick() {
      ticker.advance(INTERVAL);
      wall = wall.plus(INTERVAL);
      for (int r = 0; r < ORDER.size(); r++) {
        step(new Input.RegionProbed(r, up[r] ? OK : FAIL));
      }
      step(new Input.Probed(state.active(), up[state.active()] ? OK : FAIL));
    }

    void runUntil(Instant end) {
      while (wall.isBefore(end)) {
        tick();
      }
    }

    void schedule(Duration lead, MaintenanceWindow... windows) {
      step(new Input.MaintenanceSchedule(List.of(windows), lead));
    }

    <D extends Decision> List<D> all(Class<D> kind) {
      return decisions.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    List<MaintenanceNotice.Kind> notices() {
      return all(MaintenanceNotice.class).stream().map(MaintenanceNotice::kind).toList();
    }

    Instant wallOf(Decision d) {
      return when.get(decisions.indexOf(d));
    }
  }

  static PolicySettings settings(int budget) {
    return new PolicySettings(INTERVAL, Duration.ofSeconds(5), INTERVAL, 0.8,
        FailbackMode.AUTO, Duration.ofSeconds(10), budget, Duration.ofHours(1), null, null);
  }

  static MaintenanceWindow window(String region, Instant start, Duration length) {
    return new MaintenanceWindow(region, start, length, "cloud maintenance");
  }

  @Test
  void aWindowTwentySecondsAheadWithATenSecondLeadMovesWithinOneIntervalOfStartMinusLead() {
    Host host = new Host();
    Instant start = T0.plusSeconds(20);
    MaintenanceWindow w = window("EU", start, Duration.ofMinutes(1));
    host.schedule(Duration.ofSeconds(10), w);
    host.runUntil(start);
    host.up[0] = false; // EU goes down exactly at the window's start

    host.runUntil(w.end().plusSeconds(30));

    List<Decision.PlannedMove> moves = host.all(Decision.PlannedMove.class);
    assertThat(moves).hasSize(1);
    assertThat(moves.get(0).to().name()).isEqualTo("NAM");
    Instant movedAt = host.wallOf(moves.get(0));
    assertThat(movedAt).isBetween(start.minusSeconds(10), start.minusSeconds(10).plus(INTERVAL));
    assertThat(host.all(Decision.FailOver.class)).isEmpty();
    assertThat(host.all(Decision.OutageStarted.class)).isEmpty();
    assertThat(host.notices()).containsExactly(MaintenanceNotice.Kind.SCHEDULED,
        MaintenanceNotice.Kind.STARTED, MaintenanceNotice.Kind.ENDED);
    assertThat(host.state.active()).isEqualTo(1);
  }

  /**
   * With a pre-switch hook the planned move is asked like a failover (issue 28): nothing
   * moves while the hook is asked, a veto is failover_blocked hook_veto and the move is
   * asked again at the next step, an allowed answer makes the planned move; an answer that
   * comes after the window was withdrawn moves nothing.
   */
  @Test
  void thePlannedMove_goesThroughThePreSwitchHook() {
    Host host = new Host(new FailoverPolicy(ORDER, settings(3)).gated());
    Instant start = T0.plusSeconds(20);
    MaintenanceWindow w = window("EU", start, Duration.ofMinutes(1));
    host.schedule(Duration.ofSeconds(10), w);
    host.runUntil(start.minusSeconds(10).plus(INTERVAL));

    List<Decision.SwitchPending> asked = host.all(Decision.SwitchPending.class);
    assertThat(asked).singleElement().satisfies(p -> {
      assertThat(p.request().kind()).isEqualTo(PendingSwitch.Kind.PLANNED);
      assertThat(p.request().move()).isInstanceOf(Decision.PlannedMove.class);
    });
    assertThat(host.all(Decision.PlannedMove.class)).isEmpty();
    assertThat(host.state.active()).isZero();

    host.step(new Input.SwitchAnswered(asked.get(0).request().id(), false, "/hooks/pre",
        "CAB not approved", false));
    assertThat(host.all(Decision.FailoverBlocked.class)).singleElement()
        .satisfies(b -> assertThat(b.reason()).isEqualTo("hook_veto"));
    host.tick();
    List<Decision.SwitchPending> again = host.all(Decision.SwitchPending.class);
    assertThat(again).hasSize(2);
    assertThat(host.state.active()).isZero();

    host.step(new Input.SwitchAnswered(again.get(1).request().id(), true, "", "", false));
    assertThat(host.all(Decision.PlannedMove.class)).singleElement()
        .satisfies(m -> assertThat(m.to().name()).isEqualTo("NAM"));
    assertThat(host.state.active()).isEqualTo(1);
  }

  @Test
  void aPlannedMoveAnsweredAfterItsWindowWasWithdrawn_movesNothing() {
    Host host = new Host(new FailoverPolicy(ORDER, settings(3)).gated());
    Instant start = T0.plusSeconds(20);
    host.schedule(Duration.ofSeconds(10), window("EU", start, Duration.ofMinutes(1)));
    host.runUntil(start.minusSeconds(10).plus(INTERVAL));
    Decision.SwitchPending asked = host.all(Decision.SwitchPending.class).get(0);

    host.schedule(Duration.ofSeconds(10));
    host.step(new Input.SwitchAnswered(asked.request().id(), true, "", "", false));

    assertThat(host.all(Decision.PlannedMove.class)).isEmpty();
    assertThat(host.state.active()).isZero();
    assertThat(host.state.waiting()).isFalse();
  }

  @Test
  void afterTheWindowTheFailbackWaitsTheFailbackTimeFromItsEnd() {
    Host host = new Host();
    Instant start = T0.plusSeconds(20);
    MaintenanceWindow w = window("EU", start, Duration.ofSeconds(30));
    host.schedule(Duration.ofSeconds(10), w);
    // EU stays up on its direct probe throughout: only the window keeps the host away.
    host.runUntil(w.end().plusSeconds(40));

    List<Decision.FailBack> back = host.all(Decision.FailBack.class);
    assertThat(back).hasSize(1);
    assertThat(host.wallOf(back.get(0))).isBetween(w.end().plusSeconds(10),
        w.end().plusSeconds(10).plus(INTERVAL));
    assertThat(host.state.active()).isZero();
  }

  @Test
  void aClockStepForwardOverTheLeadStillMoves() {
    Host host = new Host();
    Instant start = T0.plusSeconds(600);
    MaintenanceWindow w = window("EU", start, Duration.ofMinutes(30));
    host.schedule(Duration.ofMinutes(5), w);
    host.runUntil(T0.plusSeconds(5));
    assertThat(host.all(Decision.PlannedMove.class)).isEmpty();

    host.wall = start.plusSeconds(60); // NTP, or a VM suspended over the lead and the start
    host.tick();

    assertThat(host.all(Decision.PlannedMove.class)).hasSize(1);
    assertThat(host.state.active()).isEqualTo(1);
    assertThat(host.notices()).contains(MaintenanceNotice.Kind.STARTED);
  }

  @Test
  void aClockStepOverTheWholeWindowReportsItStartedAndEnded() {
    Host host = new Host();
    MaintenanceWindow w = window("NAM", T0.plusSeconds(600), Duration.ofMinutes(30));
    host.schedule(Duration.ofMinutes(10), w);
    host.tick();
    host.wall = w.end().plusSeconds(1);
    host.tick();
    host.tick();

    assertThat(host.notices()).containsExactly(MaintenanceNotice.Kind.SCHEDULED,
        MaintenanceNotice.Kind.STARTED, MaintenanceNotice.Kind.ENDED);
  }

  @Test
  void withNoRegionUpTheHostStaysAndSaysSoOnce() {
    Host host = new Host();
    host.up[1] = false;
    host.up[2] = false;
    MaintenanceWindow w = window("EU", T0.plusSeconds(20), Duration.ofMinutes(1));
    host.schedule(Duration.ofSeconds(10), w);
    host.runUntil(T0.plusSeconds(19));

    assertThat(host.all(Decision.PlannedMove.class)).isEmpty();
    List<MaintenanceNotice> blocked = host.all(MaintenanceNotice.class).stream()
        .filter(n -> n.kind() == MaintenanceNotice.Kind.MOVE_BLOCKED).toList();
    assertThat(blocked).hasSize(1);
    assertThat(blocked.get(0).detail()).contains("no region to move to", "NAM: down",
        "APAC: down");
    assertThat(host.state.active()).isZero();
  }

  @Test
  void aPlannedMoveNeverTakesTheBudgetsLastSlot() {
    Host host = new Host(settings(1));
    MaintenanceWindow w = window("EU", T0.plusSeconds(20), Duration.ofMinutes(1));
    host.schedule(Duration.ofSeconds(10), w);
    host.runUntil(T0.plusSeconds(19));

    assertThat(host.all(Decision.PlannedMove.class)).isEmpty();
    assertThat(host.all(MaintenanceNotice.class)).anySatisfy(n ->
        assertThat(n.detail()).contains("never takes the last"));
  }

  @Test
  void aPlannedMoveSkipsARegionAboutToBeMaintainedToo() {
    Host host = new Host();
    host.schedule(Duration.ofSeconds(10), window("EU", T0.plusSeconds(20), Duration.ofMinutes(1)),
        window("NAM", T0.plusSeconds(25), Duration.ofMinutes(1)));
    host.runUntil(T0.plusSeconds(15));

    assertThat(host.all(Decision.PlannedMove.class)).singleElement()
        .satisfies(m -> assertThat(m.to().name()).isEqualTo("APAC"));
  }

  @Test
  void aHoldHoldsThePlannedMoveBack() {
    Host host = new Host();
    host.step(new Input.HoldCommand(null, "DBA at work", ANNA));
    host.schedule(Duration.ofSeconds(10), window("EU", T0.plusSeconds(20), Duration.ofMinutes(1)));
    host.runUntil(T0.plusSeconds(15));

    assertThat(host.all(Decision.PlannedMove.class)).isEmpty();
    assertThat(host.all(Decision.HeldBack.class)).singleElement()
        .satisfies(h -> assertThat(h.transition()).isEqualTo("maintenance"));
  }

  @Test
  void aManualMoveIntoAWindowNeedsForce() {
    Host host = new Host();
    host.schedule(Duration.ofSeconds(10), window("NAM", T0.plusSeconds(5), Duration.ofMinutes(1)));
    host.runUntil(T0.plusSeconds(10));

    host.step(new Input.MoveCommand(1, false, "region", ANNA));
    assertThat(host.all(Decision.ManualCommand.class)).last().satisfies(c -> {
      assertThat(c.accepted()).isFalse();
      assertThat(c.outcome()).contains("NAM is in maintenance until", "force=true");
    });
    host.step(new Input.MoveCommand(1, true, "region", ANNA));
    assertThat(host.all(Decision.ManualMove.class)).singleElement()
        .satisfies(m -> assertThat(m.to().name()).isEqualTo("NAM"));
  }

  @Test
  void aFailoverPassesOverARegionInItsWindow() {
    Host host = new Host();
    host.schedule(Duration.ofSeconds(10), window("NAM", T0.plusSeconds(5), Duration.ofMinutes(5)));
    host.runUntil(T0.plusSeconds(10));
    host.up[0] = false;
    host.runUntil(T0.plusSeconds(30));

    assertThat(host.all(Decision.FailOver.class)).singleElement().satisfies(f -> {
      assertThat(f.to().name()).isEqualTo("APAC");
      assertThat(f.skipped()).anySatisfy(s -> assertThat(s).startsWith("NAM: in maintenance"));
    });
  }

  @Test
  void aWindowRemovedIsReportedCancelledAndNoLongerKeepsTheRegionOff() {
    Host host = new Host();
    MaintenanceWindow w = window("NAM", T0.plusSeconds(5), Duration.ofMinutes(5));
    host.schedule(Duration.ofSeconds(10), w);
    host.runUntil(T0.plusSeconds(10));
    host.schedule(Duration.ofSeconds(10));
    host.step(new Input.MoveCommand(1, false, "region", ANNA));

    assertThat(host.notices()).contains(MaintenanceNotice.Kind.CANCELLED);
    assertThat(host.all(Decision.ManualMove.class)).hasSize(1);
  }

  @Test
  void withoutAWallClockWindowsAreKeptButNotJudged() {
    FailoverPolicy policy = new FailoverPolicy(ORDER, settings(3));
    PolicyState s = policy.initial(0, 0);
    MaintenanceWindow w = window("EU", T0, Duration.ofHours(1));
    Transition t = policy.decide(s, new Input.MaintenanceSchedule(List.of(w),
        Duration.ofMinutes(10)), 1);
    assertThat(t.decisions()).isEmpty();
    assertThat(t.next().maintenance().windows()).containsExactly(w);
  }

  /**
   * 1,000 seeded runs of random windows, region outages, operators' moves and clock steps:
   * no move ever lands on a region inside one of its windows (a planned move not even on one
   * about to start), unless an operator forced it.
   */
  @Test
  void noMoveLandsOnARegionInsideItsWindowOverAThousandRandomRuns() {
    Random random = new Random(28);
    int moves = 0;
    int planned = 0;
    for (int run = 0; run < 1000; run++) {
      Host host = new Host(settings(random.nextInt(5)));
      List<MaintenanceWindow> windows = new ArrayList<>();
      for (int i = random.nextInt(4); i >= 0; i--) {
        windows.add(window(ORDER.get(random.nextInt(3)).name(),
            T0.plusSeconds(random.nextInt(120)), Duration.ofSeconds(1 + random.nextInt(90))));
      }
      Duration lead = Duration.ofSeconds(random.nextInt(30));
      host.step(new Input.MaintenanceSchedule(windows, lead));
      for (int i = 0; i < 400; i++) {
        if (random.nextInt(20) == 0) {
          host.up[random.nextInt(3)] ^= true;
        }
        if (random.nextInt(100) == 0) {
          host.wall = host.wall.plusSeconds(random.nextInt(60));
        }
        if (random.nextInt(50) == 0) {
          host.step(new Input.MoveCommand(random.nextInt(3), false, "region", ANNA));
        }
        host.tick();
      }
      for (int i = 0; i < host.decisions.size(); i++) {
        Decision d = host.decisions.get(i);
        Instant at = host.when.get(i);
        TargetOf of = new TargetOf();
        int target = d.accept(of);
        if (target < 0) {
          continue;
        }
        moves++;
        String region = ORDER.get(target).name();
        boolean isPlanned = of.planned;
        planned += isPlanned ? 1 : 0;
        for (MaintenanceWindow w : windows) {
          if (w.region().equals(region)) {
            Instant from = isPlanned ? w.start().minus(lead) : w.start();
            assertThat(!at.isBefore(from) && at.isBefore(w.end()))
                .as("run %d: %s at %s onto %s inside %s", run, d, at, region, w).isFalse();
          }
        }
      }
    }
    assertThat(moves).isGreaterThan(1000);
    assertThat(planned).isGreaterThan(100);
  }

  /** The region a decision moves the host to, or -1 (a forced move is the operator's call). */
  private static final class TargetOf implements Decision.Visitor<Integer> {
    /** Whether the decision was the planned move (its target may not be in a lead either). */
    boolean planned;

    @Override public Integer failOver(Decision.FailOver d) { return d.target(); }
    @Override public Integer failBack(Decision.FailBack d) { return d.target(); }
    @Override public Integer manualMove(Decision.ManualMove d) {
      return d.force() ? -1 : d.target();
    }
    @Override public Integer plannedMove(Decision.PlannedMove d) {
      planned = true;
      return d.target();
    }
    @Override public Integer probeSeen(Decision.ProbeSeen d) { return -1; }
    @Override public Integer switchPending(Decision.SwitchPending d) { return -1; }
    @Override public Integer outageStarted(Decision.OutageStarted d) { return -1; }
    @Override public Integer outageEnded(Decision.OutageEnded d) { return -1; }
    @Override public Integer failoverBlocked(Decision.FailoverBlocked d) { return -1; }
    @Override public Integer repairInPlace(Decision.RepairInPlace d) { return -1; }
    @Override public Integer repairAbandoned(Decision.RepairAbandoned d) { return -1; }
    @Override public Integer regionProbeSeen(Decision.RegionProbeSeen d) { return -1; }
    @Override public Integer trafficSeen(Decision.TrafficSeen d) { return -1; }
    @Override public Integer regionProbeUnusable(Decision.RegionProbeUnusable d) { return -1; }
    @Override public Integer switchCompleted(Decision.SwitchCompleted d) { return -1; }
    @Override public Integer switchAbandoned(Decision.SwitchAbandoned d) { return -1; }
    @Override public Integer startStack(Decision.StartStack d) { return -1; }
    @Override public Integer repairStack(Decision.RepairStack d) { return -1; }
    @Override public Integer stackRepaired(Decision.StackRepaired d) { return -1; }
    @Override public Integer lateProbe(Decision.LateProbe d) { return -1; }
    @Override public Integer manualCommand(Decision.ManualCommand d) { return -1; }
    @Override public Integer holdStarted(Decision.HoldStarted d) { return -1; }
    @Override public Integer holdEnded(Decision.HoldEnded d) { return -1; }
    @Override public Integer failbackWaiting(Decision.FailbackWaiting d) { return -1; }
    @Override public Integer heldBack(Decision.HeldBack d) { return -1; }
    @Override public Integer maintenanceNotice(Decision.MaintenanceNotice d) { return -1; }
  }
}
