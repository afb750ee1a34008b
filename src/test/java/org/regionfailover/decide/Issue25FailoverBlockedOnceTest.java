package org.regionfailover.decide;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.Region;
import org.regionfailover.probe.ProbeResult;

/**
 * Issue 25, defect 7, in zero wall time: {@code failover_blocked} for want of a healthy
 * region was decided and reported at every probe for as long as every other region was
 * down. It is reported when it starts and when its reason changes, and again in the next
 * outage. Probes every 10 s, threshold 1 min, direct probes of every region every 30 s.
 */
class Issue25FailoverBlockedOnceTest {
  private static final long S = 1_000_000_000L;
  private static final int EU = 0;
  private static final int NAM = 1;
  private static final int APAC = 2;
  private static final List<Region> ORDER = List.of(new Region("EU", "cloud.eu.ext.com"),
      new Region("NAM", "cloud.nam.ext.com"), new Region("APAC", "cloud.apac.ext.com"));
  private static final ProbeResult OK = ProbeResult.healthy(12, 200);
  private static final ProbeResult UNAVAILABLE = ProbeResult.failedWithStatus(30, 503);

  private FailoverPolicy policy;
  private PolicyState state;
  private final List<Decision> decisions = new ArrayList<>();

  private void start(int maxTransitions) {
    policy = new FailoverPolicy(ORDER, new PolicySettings(Duration.ofSeconds(10),
        Duration.ofMinutes(1), Duration.ofSeconds(30), 1.0, FailbackMode.OFF,
        Duration.ofSeconds(30), maxTransitions, Duration.ofHours(1), null, null));
    state = policy.initial(EU, 0);
    at(0, new Input.RegionProbed(EU, OK)); // direct access works from this host
  }

  private void at(long seconds, Input input) {
    Transition t = policy.decide(state, input, seconds * S);
    state = t.next();
    decisions.addAll(t.decisions());
  }

  /** A timeout whose text differs at every probe, as a real one does. */
  private static ProbeResult timeout(long seconds) {
    return ProbeResult.failed(5000, "timeout after " + (5000 + seconds % 7) + " ms");
  }

  /**
   * Probes every 10 s from {@code from} to {@code to}: the chain of the active region
   * ({@code chainOk} or timing out), each region's direct probe every 30 s ({@code null}: a
   * timeout).
   */
  private void probes(long from, long to, boolean chainOk, ProbeResult eu, ProbeResult nam,
      ProbeResult apac) {
    for (long t = from; t <= to; t += 10) {
      if (t % 30 == 0) {
        at(t, new Input.RegionProbed(EU, eu == null ? timeout(t) : eu));
        at(t, new Input.RegionProbed(NAM, nam == null ? timeout(t) : nam));
        at(t, new Input.RegionProbed(APAC, apac == null ? timeout(t) : apac));
      }
      at(t, new Input.Probed(state.active(), chainOk ? OK : timeout(t)));
    }
  }

  private List<Decision.FailoverBlocked> blocked() {
    return decisions.stream().filter(Decision.FailoverBlocked.class::isInstance)
        .map(Decision.FailoverBlocked.class::cast).toList();
  }

  @Test
  void issue25_defect7_thirtyProbesWithEveryOtherRegionDown_reportedOnce() {
    start(0);
    probes(0, 50, false, null, null, null); // the outage, up to the threshold
    probes(60, 350, false, null, null, null); // 30 probes past it, every other region down

    assertThat(decisions).noneMatch(Decision.FailOver.class::isInstance);
    assertThat(blocked()).singleElement().satisfies(b -> {
      assertThat(b.reason()).isEqualTo("no_healthy_target");
      assertThat(b.outage()).isEqualTo(Duration.ofSeconds(60));
      assertThat(b.skipped()).containsExactly("NAM: down (timeout after 5004 ms)",
          "APAC: down (timeout after 5004 ms)");
    });
    assertThat(((Blocked.NoTarget) state.blocked()).since()).isEqualTo(60 * S);
  }

  @Test
  void issue25_defect7_reasonChanges_reportedOnceMore() {
    start(0);
    probes(0, 350, false, null, null, null);
    // NAM answers now, with 503: down still, for another reason.
    probes(360, 650, false, null, UNAVAILABLE, null);

    assertThat(blocked()).hasSize(2).last().satisfies(b ->
        assertThat(b.skipped()).containsExactly("NAM: down (status 503)",
            "APAC: down (timeout after 5003 ms)"));
    assertThat(((Blocked.NoTarget) state.blocked()).since()).as("blocked since the first")
        .isEqualTo(60 * S);
  }

  @Test
  void issue25_defect7_outageEndsAndAnotherBegins_reportedAgain() {
    start(0);
    probes(0, 350, false, null, null, null);
    probes(360, 360, true, null, null, null); // the chain answers: the outage is over
    assertThat(state.blocked()).isNull();
    probes(370, 700, false, null, null, null); // the next outage, as long

    assertThat(blocked()).hasSize(2).allSatisfy(b ->
        assertThat(b.reason()).isEqualTo("no_healthy_target"));
    assertThat(((Blocked.NoTarget) state.blocked()).since()).isEqualTo(430 * S);
  }

  @Test
  void issue25_defect7_budgetThenNoTargetThenBudget_eachChangeReportedOnce() {
    start(1);
    probes(0, 60, false, null, OK, null); // EU down, NAM up: the one failover of the hour
    at(61, new Input.SwitchDone(NAM));
    assertThat(state.active()).isEqualTo(NAM);

    probes(70, 300, false, null, null, null); // NAM fails too, every other region down
    probes(310, 500, false, null, null, OK); // APAC is back, but the budget is spent
    probes(510, 700, false, null, null, null); // APAC down again

    assertThat(blocked()).extracting(Decision.FailoverBlocked::reason)
        .containsExactly("no_healthy_target", "budget", "no_healthy_target");
    assertThat(decisions).filteredOn(Decision.FailOver.class::isInstance).hasSize(1);
  }
}
