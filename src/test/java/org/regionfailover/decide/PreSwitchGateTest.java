package org.regionfailover.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.DecideHarness.FAIL;
import static org.regionfailover.DecideHarness.OK;
import static org.regionfailover.DecideHarness.S;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.regionfailover.DecideHarness;
import org.regionfailover.Regions;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.PolicySettings;

/**
 * Issue 28, the pre-switch hook as the policy sees it, in zero wall time: a move is decided
 * as without a hook, then waits for the hook's answer with nothing counted or touched; a
 * veto keeps the host where it is ({@code failover_blocked hook_veto}, once per answer) and
 * the move is decided, and asked, again at the next probe; an answer to a request given up
 * (a hold, the region back, a fail-back no longer wanted) moves nothing. Probes every 10 s,
 * threshold 4 min, budget 3 an hour; the clock starts near the wrap of a long.
 */
class PreSwitchGateTest {
  private static final long ORIGIN = Long.MAX_VALUE - 200 * S;
  private static final String HOOK = "/etc/region-failover/pre-switch";
  private static final int EU = 0;
  private static final int NAM = 1;

  private static DecideHarness gated(FailbackMode failback) {
    return new DecideHarness(new FailoverPolicy(Regions.ORDER,
        DecideHarness.defaults(failback)).gated(), EU, ORIGIN);
  }

  /** As {@link DecideHarness#defaults} but the outage is continuous failure only. */
  private static DecideHarness continuousOnly() {
    return new DecideHarness(new FailoverPolicy(Regions.ORDER, new PolicySettings(
        Duration.ofSeconds(10), Duration.ofMinutes(4), Duration.ofSeconds(30), 1.0,
        FailbackMode.OFF, Duration.ofMinutes(10), 3, Duration.ofHours(1), null, null))
        .gated(), EU, ORIGIN);
  }

  /** Chain probes failing every 10 s from {@code from} to {@code to} seconds. */
  private static void failing(DecideHarness h, long from, long to) {
    for (long t = from; t <= to; t += 10) {
      h.chain(t, FAIL);
    }
  }

  /** The request waiting for the hook now. */
  private static long request(DecideHarness h) {
    assertThat(h.state().pending()).as("a move waits for the hook").isNotNull();
    return h.state().pending().id();
  }

  private static List<Decision> veto(DecideHarness h, long seconds, String output) {
    return h.at(seconds, new Input.SwitchAnswered(request(h), false, HOOK, output, false));
  }

  private static List<Decision> allow(DecideHarness h, long seconds) {
    return h.at(seconds, new Input.SwitchAnswered(request(h), true, "", "", false));
  }

  private static int used(DecideHarness h) {
    return h.policy().budget(h.state(), h.now()).used();
  }

  @Test
  void outageAtTheThreshold_waitsForTheHook_nothingCountedNoMoveUntilItAnswers() {
    DecideHarness h = gated(FailbackMode.OFF);
    failing(h, 0, 230);
    assertThat(h.all(Decision.SwitchPending.class)).isEmpty();

    List<Decision> atThreshold = h.chain(240, FAIL);

    assertThat(atThreshold).filteredOn(Decision.SwitchPending.class::isInstance).singleElement()
        .satisfies(d -> {
          Decision.SwitchPending p = (Decision.SwitchPending) d;
          assertThat(p.from()).isEqualTo(Regions.EU);
          assertThat(p.to()).isEqualTo(Regions.NAM);
          assertThat(p.request().kind()).isEqualTo(PendingSwitch.Kind.FAILOVER);
          assertThat(p.request().move()).isInstanceOf(Decision.FailOver.class);
        });
    assertThat(h.all(Decision.FailOver.class)).as("not made before the hook allows it").isEmpty();
    assertThat(h.state().phase()).isInstanceOf(State.Down.class);
    assertThat(used(h)).as("not counted in the budget while it waits").isZero();

    // Probes go on and are recorded; the clock keeps running; no second request.
    assertThat(h.chain(250, FAIL)).hasSize(1).first().isInstanceOf(Decision.ProbeSeen.class);
    assertThat(((State.Down) h.state().phase()).since()).isEqualTo(ORIGIN);
    assertThat(h.all(Decision.SwitchPending.class)).hasSize(1);

    List<Decision> allowed = allow(h, 253);
    assertThat(allowed).singleElement().isInstanceOfSatisfying(Decision.FailOver.class, f -> {
      assertThat(f.to()).isEqualTo(Regions.NAM);
      assertThat(f.outage()).as("as decided").isEqualTo(Duration.ofSeconds(240));
    });
    assertThat(h.state().phase()).isEqualTo(new State.Switching(EU, NAM, ORIGIN + 253 * S,
        ORIGIN + 253 * S, false));
    assertThat(h.state().waiting()).isFalse();
    assertThat(used(h)).isEqualTo(1);
  }

  @Test
  void veto_staysWithoutCounting_reportedOnce_askedAgainAtEachProbe_movesWhenAllowed() {
    DecideHarness h = gated(FailbackMode.OFF);
    failing(h, 0, 240);

    List<Decision> vetoed = veto(h, 241, "DBA says no");

    assertThat(vetoed).singleElement().isInstanceOfSatisfying(Decision.FailoverBlocked.class,
        b -> {
          assertThat(b.reason()).isEqualTo("hook_veto");
          assertThat(b.from()).isEqualTo(Regions.EU);
          assertThat(b.to()).isEqualTo(Regions.NAM);
          assertThat(b.veto().hook()).isEqualTo(HOOK);
          assertThat(b.veto().output()).isEqualTo("DBA says no");
          assertThat(b.freeIn()).isNull();
          assertThat(b.outage()).isEqualTo(Duration.ofSeconds(241));
        });
    assertThat(h.state().blocked().reason()).as("/status shows why").isEqualTo("hook_veto");
    assertThat(h.state().blocked().since()).isEqualTo(ORIGIN + 241 * S);
    assertThat(h.state().phase()).isInstanceOf(State.Down.class);
    assertThat(used(h)).isZero();

    // Decided and asked again at each probe; the same answer is not reported again.
    for (long t = 250; t <= 300; t += 10) {
      h.chain(t, FAIL);
      long asked = h.state().pending().id();
      veto(h, t + 1, "DBA says no");
      assertThat(h.state().pending()).isNull();
      assertThat(asked).isEqualTo(h.state().asks());
    }
    assertThat(h.all(Decision.SwitchPending.class)).hasSize(7);
    assertThat(h.all(Decision.FailoverBlocked.class)).hasSize(1);
    assertThat(used(h)).isZero();

    // A new answer is reported; blocked since the first veto.
    h.chain(310, FAIL);
    veto(h, 311, "DBA: wait for the backup");
    assertThat(h.all(Decision.FailoverBlocked.class)).hasSize(2).last()
        .satisfies(b -> assertThat(b.veto().output()).isEqualTo("DBA: wait for the backup"));
    assertThat(h.state().blocked().since()).isEqualTo(ORIGIN + 241 * S);

    h.chain(320, FAIL);
    List<Decision> allowed = allow(h, 321);
    assertThat(allowed).singleElement().isInstanceOfSatisfying(Decision.FailOver.class,
        f -> assertThat(f.outage()).isEqualTo(Duration.ofSeconds(320)));
    assertThat(h.state().blocked()).as("the veto is over").isNull();
    assertThat(used(h)).isEqualTo(1);
    h.settle(322);
    assertThat(h.state().active()).isEqualTo(NAM);
  }

  @Test
  void timedOutHook_vetoes() {
    DecideHarness h = gated(FailbackMode.OFF);
    failing(h, 0, 240);

    List<Decision> out = h.at(250, new Input.SwitchAnswered(request(h), false, HOOK, "", true));

    assertThat(out).singleElement().isInstanceOfSatisfying(Decision.FailoverBlocked.class,
        b -> assertThat(b.veto().timedOut()).isTrue());
    assertThat(h.state().active()).isEqualTo(EU);
    assertThat(used(h)).isZero();
  }

  @Test
  void regionBackWhileWaiting_givesTheFailoverUp_theLateAnswerMovesNothing() {
    DecideHarness h = continuousOnly();
    failing(h, 0, 240);
    long asked = request(h);

    List<Decision> back = h.chain(250, OK);
    assertThat(back).anyMatch(Decision.OutageEnded.class::isInstance);
    assertThat(h.state().waiting()).isFalse();

    List<Decision> late = h.at(252, new Input.SwitchAnswered(asked, true, "", "", false));
    assertThat(late).isEmpty();
    assertThat(h.state().phase()).isInstanceOf(State.Watching.class);
    assertThat(h.state().active()).isEqualTo(EU);
    assertThat(used(h)).isZero();
  }

  @Test
  void holdWhileWaiting_givesTheFailoverUp_heldBackReportedAtTheNextProbe() {
    DecideHarness h = gated(FailbackMode.OFF);
    failing(h, 0, 240);
    long asked = request(h);

    h.at(245, new Input.HoldCommand(null, "maintenance", new Operator("anna", "127.0.0.1")));
    assertThat(h.state().waiting()).isFalse();
    assertThat(h.at(246, new Input.SwitchAnswered(asked, true, "", "", false))).isEmpty();
    assertThat(h.chain(250, FAIL)).anyMatch(Decision.HeldBack.class::isInstance);

    assertThat(h.all(Decision.FailOver.class)).isEmpty();
    assertThat(h.all(Decision.SwitchPending.class)).hasSize(1);
    assertThat(h.state().active()).isEqualTo(EU);
  }

  @Test
  void stackFoundDownWhileWaiting_theRepairGivesTheFailoverUp_theLateAnswerMovesNothing() {
    DecideHarness h = gated(FailbackMode.OFF);
    failing(h, 0, 240);
    long asked = request(h);

    h.at(242, new Input.StackChecked(List.of("app:stunnel STOPPED"), null));
    assertThat(h.state().phase()).isInstanceOf(State.Repairing.class);
    assertThat(h.state().waiting()).isFalse();
    h.at(243, new Input.StackRepaired(List.of("app:stunnel"), 1));

    assertThat(h.at(244, new Input.SwitchAnswered(asked, true, "", "", false))).isEmpty();
    assertThat(h.state().phase()).isInstanceOf(State.Watching.class);
    assertThat(h.all(Decision.FailOver.class)).isEmpty();
  }

  @Test
  void staleAnswer_toAnEarlierRequest_isIgnored() {
    DecideHarness h = gated(FailbackMode.OFF);
    failing(h, 0, 240);
    long first = request(h);
    veto(h, 241, "no");
    h.chain(250, FAIL);
    long second = request(h);
    assertThat(second).isGreaterThan(first);

    // The first request's answer again (a gate that answered twice): not this request's.
    assertThat(h.at(251, new Input.SwitchAnswered(first, true, "", "", false))).isEmpty();
    assertThat(h.state().pending().id()).isEqualTo(second);
    assertThat(h.all(Decision.FailOver.class)).isEmpty();
  }

  @Test
  void targetDownOnItsDirectProbeMeanwhile_noMove_decidedAgainAtTheNextProbe() {
    DecideHarness h = gated(FailbackMode.OFF);
    failing(h, 0, 240);
    h.at(245, new Input.RegionProbed(2, OK));
    h.at(245, new Input.RegionProbed(NAM, FAIL));

    assertThat(allow(h, 246)).isEmpty();
    assertThat(h.state().active()).isEqualTo(EU);

    h.chain(250, FAIL);
    assertThat(h.state().pending().target()).as("pre-flight passes NAM over now").isEqualTo(2);
  }

  @Test
  void failbackVetoed_reportedOnce_givenUpWhenNoLongerWanted() {
    DecideHarness h = new DecideHarness(new FailoverPolicy(Regions.ORDER,
        DecideHarness.defaults(FailbackMode.AUTO)).gated(),
        new FailoverPolicy(Regions.ORDER, DecideHarness.defaults(FailbackMode.AUTO))
            .initial(NAM, ORIGIN, TransitionHistory.of(ORIGIN)), ORIGIN);
    // EU seen down, then back and up on its direct probe for the fail-back time (10 min).
    h.at(0, new Input.RegionProbed(EU, FAIL));
    for (long t = 30; t <= 630; t += 30) {
      h.at(t, new Input.RegionProbed(EU, OK));
    }
    assertThat(h.state().pending()).isNotNull().satisfies(p -> {
      assertThat(p.kind()).isEqualTo(PendingSwitch.Kind.FAILBACK);
      assertThat(p.target()).isEqualTo(EU);
    });
    veto(h, 631, "not during business hours");
    for (long t = 640; t <= 730; t += 10) {
      if (t % 30 == 0) {
        h.at(t, new Input.RegionProbed(EU, OK));
      }
      h.chain(t, OK);
      if (h.state().waiting()) {
        veto(h, t + 1, "not during business hours");
      }
    }
    assertThat(h.all(Decision.FailoverBlocked.class)).singleElement()
        .satisfies(b -> assertThat(b.veto().kind()).isEqualTo(PendingSwitch.Kind.FAILBACK));
    // Asked again at every probe but the first chain probe, late after none (the pause rule).
    assertThat(h.all(Decision.SwitchPending.class)).hasSize(10);
    assertThat(h.all(Decision.FailBack.class)).isEmpty();
    assertThat(h.state().blocked()).isInstanceOf(Blocked.HookVeto.class);

    // EU goes down on its direct probe: no fail-back is wanted, the veto is over.
    h.chain(740, OK);
    long asked = request(h);
    h.at(745, new Input.RegionProbed(EU, FAIL));
    assertThat(h.state().waiting()).isFalse();
    assertThat(h.state().blocked()).isNull();
    assertThat(h.at(746, new Input.SwitchAnswered(asked, true, "", "", false))).isEmpty();
    assertThat(h.state().active()).isEqualTo(NAM);
  }

  @Test
  void manualMove_waitsForTheHook_vetoIsFinal_secondMoveWhileWaitingRefused() {
    DecideHarness h = gated(FailbackMode.OFF);
    Operator anna = new Operator("anna", "127.0.0.1");
    h.chain(0, OK);

    List<Decision> asked = h.at(5, new Input.MoveCommand(NAM, false, "region", anna));
    assertThat(asked).first().isInstanceOfSatisfying(Decision.ManualCommand.class, c -> {
      assertThat(c.accepted()).isTrue();
      assertThat(c.outcome()).endsWith("once the pre-switch hook allows it");
    });
    assertThat(asked).last().isInstanceOf(Decision.SwitchPending.class);
    assertThat(h.at(6, new Input.MoveCommand(2, false, "region", anna))).singleElement()
        .isInstanceOfSatisfying(Decision.ManualCommand.class, c -> {
          assertThat(c.accepted()).isFalse();
          assertThat(c.outcome()).isEqualTo("a move to NAM (manual) waits for the pre-switch"
              + " hook's answer; ask again once it has answered");
        });

    assertThat(veto(h, 7, "frozen")).singleElement()
        .isInstanceOfSatisfying(Decision.FailoverBlocked.class,
            b -> assertThat(b.veto().kind()).isEqualTo(PendingSwitch.Kind.MANUAL));
    h.chain(10, OK);
    assertThat(h.state().waiting()).as("the operator asks again, not the probe").isFalse();
    assertThat(h.state().blocked()).as("over at the next probe").isNull();

    h.at(15, new Input.MoveCommand(NAM, false, "region", anna));
    assertThat(allow(h, 16)).singleElement().isInstanceOf(Decision.ManualMove.class);
    assertThat(h.state().phase()).isInstanceOf(State.Switching.class);
    assertThat(used(h)).as("a manual move counts, as without a hook").isEqualTo(1);
  }

  @Test
  void reloadWhileWaiting_keepsTheRequest_itsAnswerIsTaken() {
    DecideHarness h = gated(FailbackMode.OFF);
    failing(h, 0, 240);
    long asked = request(h);
    FailoverPolicy reloaded = new FailoverPolicy(Regions.ORDER,
        DecideHarness.defaults(FailbackMode.AUTO)).gated();

    PolicyState adopted = reloaded.adopt(h.state(), h.policy());
    Transition t = reloaded.decide(adopted, new Input.SwitchAnswered(asked, true, "", "", false),
        ORIGIN + 250 * S);

    assertThat(t.decisions()).singleElement().isInstanceOf(Decision.FailOver.class);
    assertThat(t.next().phase()).isInstanceOf(State.Switching.class);
  }

  /**
   * Replay has no hook and the loop without one decides ungated: a gate that allows every
   * move the instant it is asked must decide exactly as no gate, on random outages,
   * recoveries, fail-backs and direct probes, but for its requests.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void gateThatAllowsAtOnce_decidesAsNoGate(long seed) {
    FailoverPolicy open = new FailoverPolicy(Regions.ORDER,
        DecideHarness.defaults(FailbackMode.AUTO));
    DecideHarness plain = new DecideHarness(open, EU, ORIGIN);
    DecideHarness gated = new DecideHarness(open.gated(), EU, ORIGIN);
    Random random = new Random(seed);
    boolean chainUp = true;
    boolean[] regionUp = {true, true, true};
    for (long t = 0; t < 6 * 3600; t += 10) {
      if (random.nextInt(60) == 0) {
        chainUp = !chainUp;
      }
      if (t % 30 == 0) {
        for (int r = 0; r < 3; r++) {
          if (random.nextInt(40) == 0) {
            regionUp[r] = !regionUp[r];
          }
          Input direct = new Input.RegionProbed(r, regionUp[r] ? OK : FAIL);
          plain.at(t, direct);
          gated.at(t, direct);
          answerAtOnce(gated, t);
        }
      }
      plain.chain(t, chainUp ? OK : FAIL);
      gated.chain(t, chainUp ? OK : FAIL);
      answerAtOnce(gated, t);
      plain.settle(t);
      gated.settle(t);
    }
    List<Decision> expected = plain.decisions();
    assertThat(gated.decisions().stream()
        .filter(d -> !(d instanceof Decision.SwitchPending)).toList()).isEqualTo(expected);
    assertThat(expected).as("the scenario moved the host")
        .anyMatch(Decision.FailOver.class::isInstance);
    assertThat(gated.state()).usingRecursiveComparison().ignoringFields("asks")
        .isEqualTo(plain.state());
  }

  private static void answerAtOnce(DecideHarness h, long t) {
    if (h.state().waiting()) {
      h.at(t, new Input.SwitchAnswered(h.state().pending().id(), true, "", "", false));
    }
  }
}
