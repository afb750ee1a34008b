package org.regionfailover.status.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.regionfailover.DecideHarness.OK;
import static org.regionfailover.Regions.ORDER;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.regionfailover.DecideHarness;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Operator;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.State;
import org.regionfailover.probe.ProbeResult;
import org.regionfailover.report.datadog.DatadogCounts;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The metrics as a scraper sees them: the real policy decides in zero wall time (probes
 * every 10 s, threshold 4 min, direct probes every 30 s, fail-back after 10 min), every
 * step goes to the metrics as the loop hands it over, and each scrape is read back through
 * the Prometheus project's own strict parser.
 */
class PrometheusMetricsTest {
  private static final ProbeResult FAIL = ProbeResult.failed(5000, "status 503");
  private static final Operator ANNA = new Operator("anna", "127.0.0.1");
  private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0";

  /** The policy, its state and the metrics, stepped as the loop would step them. */
  private static final class Host {
    final DecideHarness run;
    final PrometheusMetrics metrics;
    int chainFailed;
    int chainOk;

    Host(FailbackMode failback, int budget, Duration latencyEnter, DatadogCounts datadog) {
      run = new DecideHarness(new FailoverPolicy(ORDER, new PolicySettings(Duration.ofSeconds(10),
          Duration.ofMinutes(4), Duration.ofSeconds(30), 0.8, failback, Duration.ofMinutes(10),
          budget, Duration.ofHours(1), latencyEnter,
          latencyEnter == null ? null : latencyEnter.dividedBy(2))), 0, 0);
      metrics = new PrometheusMetrics(run.policy(), run::state, run::now, "1.2.3", datadog);
      run.onStep(metrics);
    }

    Host() {
      this(FailbackMode.AUTO, 3, null, null);
    }

    void at(long seconds, Input input) {
      run.at(seconds, input);
    }

    /** From {@code from} to {@code to} s: the active region's chain as given, direct probes every 30 s. */
    void run(long from, long to, ProbeResult chainOfEu, ProbeResult eu, ProbeResult nam,
        ProbeResult apac) {
      for (long t = from; t <= to; t += 10) {
        if (t % 30 == 0) {
          run.direct(t, eu, nam, apac);
        }
        ProbeResult chain = run.state().active() == 0 ? chainOfEu : OK;
        if (chain.healthy()) {
          chainOk++;
        } else {
          chainFailed++;
        }
        run.chain(t, chain);
      }
    }

    /** Fails EU's chain (EU itself as given) from {@code from} until a transition starts; returns when. */
    long failUntilSwitching(long from, ProbeResult eu) {
      long t = from;
      while (!(run.state().phase() instanceof State.Switching)) {
        run(t, t, FAIL, eu, OK, OK);
        t += 10;
        assertThat(t).as("no transition within 10 minutes").isLessThan(from + 600);
      }
      return t - 10;
    }

    <D extends Decision> long count(Class<D> kind) {
      return run.all(kind).size();
    }

    StrictParser.Parsed scrape() {
      PrometheusMetrics.Scrape s = metrics.scrape(null);
      assertThat(s.contentType()).startsWith("text/plain; version=0.0.4");
      return StrictParser.text(s.body()).ofSet("default");
    }
  }

  @Test
  void scrape_beforeAnyStep_parsesWithBuildInfoZerosAndTheStateOfStart() {
    Host host = new Host();
    StrictParser.Parsed p = host.scrape();
    assertThat(p.value("region_failover_build_info", "version", "1.2.3")).isEqualTo(1);
    assertThat(p.value("region_failover_active_region", "region", "EU")).isEqualTo(1);
    assertThat(p.value("region_failover_active_region", "region", "NAM")).isZero();
    assertThat(p.value("region_failover_active_region", "region", "APAC")).isZero();
    assertThat(p.value("region_failover_phase", "phase", "watching")).isEqualTo(1);
    assertThat(p.value("region_failover_outage_seconds")).isZero();
    assertThat(p.value("region_failover_held")).isZero();
    assertThat(p.value("region_failover_failover_blocked", "reason", "no_healthy_target"))
        .isZero();
    assertThat(p.value("region_failover_budget_max")).isEqualTo(3);
    // Zeros exist before the first event, so rate() and alerts see a series from the start.
    for (Region r : ORDER) {
      for (String kind : List.of("chain", "direct")) {
        assertThat(p.value("region_failover_probes_total", "region", r.name(), "kind", kind,
            "result", "failed")).isZero();
      }
    }
    assertThat(p.value("region_failover_transitions_blocked_total", "reason", "held")).isZero();
    assertThat(p.value("region_failover_supervisord_call_errors_total", "call", "watch"))
        .isZero();
  }

  @Test
  void failover_countsProbesOutageTransitionAndCompletion() {
    Host host = new Host();
    host.run(0, 30, OK, OK, OK, OK);
    host.run(40, 100, FAIL, FAIL, OK, OK);
    StrictParser.Parsed during = host.scrape();
    assertThat(during.value("region_failover_phase", "phase", "down")).isEqualTo(1);
    assertThat(during.value("region_failover_outage_seconds")).isEqualTo(60);
    assertThat(during.value("region_failover_outages_total", "region", "EU")).isEqualTo(1);

    long at = host.failUntilSwitching(110, FAIL);
    StrictParser.Parsed switching = host.scrape();
    assertThat(switching.value("region_failover_transitions_total", "kind", "failover",
        "from", "EU", "to", "NAM")).isEqualTo(1);
    assertThat(switching.value("region_failover_phase", "phase", "switching")).isEqualTo(1);
    assertThat(switching.named("region_failover_switches_total")).isEmpty();

    host.at(at + 2, new Input.SwitchDone(1));
    host.run(at + 10, at + 60, FAIL, FAIL, OK, OK);
    StrictParser.Parsed after = host.scrape();
    assertThat(after.value("region_failover_switches_total", "kind", "failover",
        "outcome", "completed")).isEqualTo(1);
    assertThat(after.value("region_failover_active_region", "region", "NAM")).isEqualTo(1);
    assertThat(after.value("region_failover_active_region", "region", "EU")).isZero();
    assertThat(after.value("region_failover_outage_seconds")).isZero();
    assertThat(after.value("region_failover_budget_used")).isEqualTo(1);
    assertThat(after.value("region_failover_probes_total", "region", "EU", "kind", "chain",
        "result", "failed")).isEqualTo(host.chainFailed);
    assertThat(after.value("region_failover_probes_total", "region", "EU", "kind", "chain",
        "result", "ok")).isEqualTo(4);
    assertThat(after.value("region_failover_probes_total", "region", "NAM", "kind", "chain",
        "result", "ok")).isEqualTo(host.chainOk - 4);
    assertThat(after.value("region_failover_probes_total", "region", "EU", "kind", "direct",
        "result", "failed")).isEqualTo(host.count(Decision.RegionProbeSeen.class) / 3 - 2);
    assertThat(after.type("region_failover_probe_duration_seconds")).isEqualTo("histogram");
    // Every EU chain probe is in the histogram; the failed ones (5 s) above the 2.5 s bucket.
    assertThat(after.value("region_failover_probe_duration_seconds_count", "region", "EU",
        "kind", "chain")).isEqualTo(4 + host.chainFailed);
    assertThat(after.value("region_failover_probe_duration_seconds_bucket", "region", "EU",
        "kind", "chain", "le", "2.5")).isEqualTo(4);
    assertThat(after.value("region_failover_probe_duration_seconds_bucket", "region", "EU",
        "kind", "chain", "le", "+Inf")).isEqualTo(4 + host.chainFailed);
  }

  @Test
  void repairInPlace_countedAsRepairFromAndToTheSameRegion() {
    Host host = new Host();
    host.run(0, 30, OK, OK, OK, OK);
    long at = host.failUntilSwitching(40, OK);
    host.at(at + 5, new Input.SwitchDone(0));
    StrictParser.Parsed p = host.scrape();
    assertThat(host.count(Decision.RepairInPlace.class)).isEqualTo(1);
    assertThat(p.value("region_failover_transitions_total", "kind", "repair", "from", "EU",
        "to", "EU")).isEqualTo(1);
    assertThat(p.value("region_failover_switches_total", "kind", "repair", "outcome",
        "completed")).isEqualTo(1);
    assertThat(p.value("region_failover_active_region", "region", "EU")).isEqualTo(1);
  }

  /**
   * Issue 25: a fleet's failover applied on a host counts as a failover (the alert
   * {@code RegionFailover} fires on it), not as a manual move, and no command is counted.
   */
  @Test
  void fleetFailover_countedAsFailover_notManual() {
    Host host = new Host();
    host.run(0, 30, OK, OK, OK, OK);
    host.at(35, new Input.FleetMove(1, Input.FleetMove.Kind.FAILOVER, 3, "2 of 3 hosts",
        new Operator("fleet", "host-2")));
    host.at(37, new Input.SwitchDone(1));
    StrictParser.Parsed p = host.scrape();
    assertThat(p.value("region_failover_transitions_total", "kind", "failover", "from", "EU",
        "to", "NAM")).isEqualTo(1);
    assertThat(p.value("region_failover_switches_total", "kind", "failover", "outcome",
        "completed")).isEqualTo(1);
    assertThat(p.named("region_failover_transitions_total")).extracting(s -> s.labels()
        .get("kind")).containsOnly("failover");
    assertThat(p.named("region_failover_manual_commands_total")).allSatisfy(
        s -> assertThat(s.value()).isZero());
    assertThat(p.value("region_failover_budget_used")).as("the fleet's budget counts it")
        .isZero();
  }

  @Test
  void manualMove_countedAsManual_refusedCommandCountedToo() {
    Host host = new Host();
    host.run(0, 30, OK, OK, OK, OK);
    host.at(35, new Input.MoveCommand(1, false, "region", ANNA));
    host.at(36, new Input.MoveCommand(2, false, "region", ANNA)); // refused: switching
    host.at(37, new Input.SwitchDone(1));
    host.at(38, new Input.MoveCommand(1, false, "failback", ANNA)); // refused: already there
    StrictParser.Parsed p = host.scrape();
    assertThat(p.value("region_failover_transitions_total", "kind", "manual", "from", "EU",
        "to", "NAM")).isEqualTo(1);
    assertThat(p.value("region_failover_switches_total", "kind", "manual", "outcome",
        "completed")).isEqualTo(1);
    assertThat(p.value("region_failover_manual_commands_total", "command", "region",
        "outcome", "accepted")).isEqualTo(1);
    assertThat(p.value("region_failover_manual_commands_total", "command", "region",
        "outcome", "refused")).isEqualTo(1);
    assertThat(p.value("region_failover_manual_commands_total", "command", "failback",
        "outcome", "refused")).isEqualTo(1);
    assertThat(p.value("region_failover_active_region", "region", "NAM")).isEqualTo(1);
    assertThat(p.value("region_failover_budget_used")).isEqualTo(1);
  }

  @Test
  void budget_blockCountedOncePerFreedSlot_noTransition() {
    Host host = new Host(FailbackMode.OFF, 1, null, null);
    host.run(0, 30, OK, OK, OK, OK);
    host.at(35, new Input.MoveCommand(1, false, "region", ANNA)); // uses the only slot
    host.at(36, new Input.SwitchDone(1));
    // Now NAM's chain fails with NAM down on its own; EU and APAC are up.
    for (long t = 40; t <= 500; t += 10) {
      if (t % 30 == 0) {
        host.at(t, new Input.RegionProbed(0, OK));
        host.at(t, new Input.RegionProbed(1, FAIL));
        host.at(t, new Input.RegionProbed(2, OK));
      }
      host.at(t, new Input.Probed(1, FAIL));
    }
    StrictParser.Parsed p = host.scrape();
    assertThat(p.value("region_failover_transitions_blocked_total", "reason", "budget"))
        .isEqualTo(1);
    assertThat(p.value("region_failover_failover_blocked", "reason", "budget")).isEqualTo(1);
    assertThat(p.named("region_failover_transitions_total")).extracting(s -> s.labels()
        .get("kind")).containsOnly("manual");
    assertThat(p.value("region_failover_budget_used")).isEqualTo(1);
    assertThat(p.value("region_failover_budget_max")).isEqualTo(1);
    assertThat(p.value("region_failover_active_region", "region", "NAM")).isEqualTo(1);
    assertThat(p.value("region_failover_outage_seconds")).isEqualTo(460);
  }

  @Test
  void noHealthyTarget_countedOnceWhileItLasts() {
    Host host = new Host();
    host.run(0, 30, OK, OK, OK, OK);
    host.run(40, 400, FAIL, FAIL, FAIL, FAIL);
    long blocked = host.run.decisions().stream().filter(d -> d instanceof Decision.FailoverBlocked b
        && b.reason().equals("no_healthy_target")).count();
    assertThat(blocked).as("reported when it starts, not at every probe (issue 25, defect 7)")
        .isEqualTo(1);
    StrictParser.Parsed p = host.scrape();
    assertThat(p.value("region_failover_transitions_blocked_total", "reason",
        "no_healthy_target")).isEqualTo(blocked);
    assertThat(p.value("region_failover_failover_blocked", "reason", "no_healthy_target"))
        .as("counted once, shown for as long as it lasts").isEqualTo(1);
    assertThat(p.value("region_failover_failover_blocked", "reason", "budget")).isZero();
    assertThat(p.named("region_failover_transitions_total")).isEmpty();
  }

  @Test
  void hold_blockCountedOnce_gaugeFollowsTheHold_releaseLetsTheFailoverHappen() {
    Host host = new Host();
    host.run(0, 30, OK, OK, OK, OK);
    host.at(35, new Input.HoldCommand(null, "maintenance on the tunnel", ANNA));
    host.run(40, 640, FAIL, FAIL, OK, OK);
    StrictParser.Parsed held = host.scrape();
    assertThat(held.value("region_failover_held")).isEqualTo(1);
    assertThat(held.value("region_failover_transitions_blocked_total", "reason", "held"))
        .isEqualTo(1);
    assertThat(held.value("region_failover_manual_commands_total", "command", "hold",
        "outcome", "accepted")).isEqualTo(1);
    assertThat(held.named("region_failover_transitions_total")).isEmpty();
    assertThat(held.value("region_failover_outage_seconds")).isEqualTo(600);

    host.at(645, new Input.ReleaseCommand(ANNA));
    host.run(650, 650, FAIL, FAIL, OK, OK);
    StrictParser.Parsed released = host.scrape();
    assertThat(released.value("region_failover_held")).isZero();
    assertThat(released.value("region_failover_manual_commands_total", "command", "release",
        "outcome", "accepted")).isEqualTo(1);
    assertThat(released.value("region_failover_transitions_total", "kind", "failover",
        "from", "EU", "to", "NAM")).isEqualTo(1);
  }

  @Test
  void stackChecksAndFailedAttempts_countSupervisordErrorsByCall() {
    Host host = new Host();
    host.run(0, 30, OK, OK, OK, OK);
    host.at(31, new Input.StackChecked(List.of(), null));
    host.at(32, new Input.StackChecked(List.of(), "supervisord did not answer getAllProcessInfo"));
    host.at(33, new Input.StackRepaired(List.of("app:stunnel"), 1));
    host.at(34, new Input.StackChecked(List.of("app:stunnel STOPPED"), null));
    host.at(35, new Input.StackRepaired(List.of("app:stunnel"), 2));
    long at = host.failUntilSwitching(40, FAIL);
    host.at(at + 1, new Input.SwitchAttemptFailed(1, "restart: supervisord is unreachable"));
    host.at(at + 2, new Input.SwitchAttemptFailed(1, "env_file: No space left on device"));
    host.at(at + 300, new Input.SwitchAttemptFailed(1, "restart: supervisord did not answer"));
    StrictParser.Parsed p = host.scrape();
    assertThat(p.value("region_failover_stack_checks_total", "result", "ok")).isEqualTo(1);
    assertThat(p.value("region_failover_stack_checks_total", "result", "unreachable"))
        .isEqualTo(1);
    assertThat(p.value("region_failover_stack_checks_total", "result", "not_running"))
        .isEqualTo(1);
    assertThat(p.value("region_failover_stack_repairs_total", "outcome", "repaired"))
        .isEqualTo(2);
    assertThat(p.value("region_failover_supervisord_call_errors_total", "call", "watch"))
        .isEqualTo(1);
    assertThat(p.value("region_failover_supervisord_call_errors_total", "call", "switch"))
        .isEqualTo(2);
    assertThat(p.value("region_failover_switch_attempts_failed_total", "kind", "failover",
        "step", "restart")).isEqualTo(2);
    assertThat(p.value("region_failover_switch_attempts_failed_total", "kind", "failover",
        "step", "env_file")).isEqualTo(1);
    // Past the threshold the switch is given up.
    assertThat(p.value("region_failover_switches_total", "kind", "failover", "outcome",
        "abandoned")).isEqualTo(1);
  }

  @Test
  void startup_completionCountedAsStartup() {
    Host host = new Host();
    host.run.start(0, false);
    host.at(3, new Input.SwitchDone(0));
    assertThat(host.scrape().value("region_failover_switches_total", "kind", "startup",
        "outcome", "completed")).isEqualTo(1);
  }

  @Test
  void latencyBand_healthyButSlowChainProbe_countedAsSlow() {
    Host host = new Host(FailbackMode.AUTO, 3, Duration.ofSeconds(1), null);
    host.at(0, new Input.Probed(0, ProbeResult.healthy(2000, 200)));
    host.at(10, new Input.Probed(0, ProbeResult.healthy(30, 200)));
    StrictParser.Parsed p = host.scrape();
    assertThat(p.value("region_failover_probes_total", "region", "EU", "kind", "chain",
        "result", "slow")).isEqualTo(1);
    assertThat(p.value("region_failover_probes_total", "region", "EU", "kind", "chain",
        "result", "ok")).isEqualTo(1);
    assertThat(p.value("region_failover_probe_duration_seconds_sum", "region", "EU", "kind",
        "chain")).isEqualTo(2.03);
  }

  @Test
  void openMetrics_negotiatedByAccept_eofTerminated_parsedStrictly() {
    Host host = new Host();
    host.run(0, 30, OK, OK, OK, OK);
    assertThat(host.metrics.contentType(OPENMETRICS))
        .startsWith("application/openmetrics-text; version=1.0.0");
    PrometheusMetrics.Scrape s = host.metrics.scrape(OPENMETRICS);
    assertThat(s.contentType()).isEqualTo(host.metrics.contentType(OPENMETRICS));
    assertThat(new String(s.body(), StandardCharsets.UTF_8)).endsWith("# EOF\n");
    StrictParser.Parsed p = StrictParser.openMetrics(s.body()).ofSet("default");
    assertThat(p.type("region_failover_build")).isEqualTo("info");
    assertThat(p.type("region_failover_probes")).isEqualTo("counter");
    assertThat(p.value("region_failover_build_info", "version", "1.2.3")).isEqualTo(1);
    assertThat(p.value("region_failover_probes_total", "region", "EU", "kind", "chain",
        "result", "ok")).isEqualTo(4);
  }

  @Test
  void scrape_protobufOrUnknownAccept_answersTheTextFormat() {
    Host host = new Host();
    for (String accept : List.of("application/vnd.google.protobuf;"
        + "proto=io.prometheus.client.MetricFamily;encoding=delimited", "*/*", "")) {
      PrometheusMetrics.Scrape s = host.metrics.scrape(accept);
      assertThat(s.contentType()).as(accept).startsWith("text/plain; version=0.0.4");
      assertThat(StrictParser.text(s.body()).value("region_failover_build_info", "version",
          "1.2.3")).isEqualTo(1);
    }
  }

  @Test
  void datadog_countsReadAtScrape_absentWhenShippingIsOff() {
    long[] counts = {10, 7, 2};
    DatadogCounts datadog = new DatadogCounts() {
      @Override
      public long offeredCount() {
        return counts[0];
      }

      @Override
      public long shippedCount() {
        return counts[1];
      }

      @Override
      public long droppedCount() {
        return counts[2];
      }

      @Override
      public String trouble() {
        return null;
      }
    };
    Host on = new Host(FailbackMode.AUTO, 3, null, datadog);
    StrictParser.Parsed p = on.scrape();
    assertThat(p.value("region_failover_datadog_shipped_total")).isEqualTo(7);
    assertThat(p.value("region_failover_datadog_dropped_total")).isEqualTo(2);
    counts[1] = 9;
    assertThat(on.scrape().value("region_failover_datadog_shipped_total")).isEqualTo(9);

    StrictParser.Parsed off = new Host().scrape();
    assertThat(off.named("region_failover_datadog_shipped_total")).isEmpty();
    assertThat(off.named("region_failover_datadog_dropped_total")).isEmpty();
  }

  @Test
  void instances_haveTheirOwnRegistries_theGlobalOneStaysEmpty() {
    Host one = new Host();
    Host two = new Host();
    one.run(0, 30, OK, OK, OK, OK);
    assertThat(two.scrape().value("region_failover_probes_total", "region", "EU", "kind",
        "chain", "result", "ok")).isZero();
    assertThat(one.scrape().value("region_failover_probes_total", "region", "EU", "kind",
        "chain", "result", "ok")).isEqualTo(4);
    assertThat(PrometheusRegistry.defaultRegistry.scrape().stream()
        .map(m -> m.getMetadata().getName())).noneMatch(n -> n.startsWith("region_failover"));
  }

  @Test
  void noStateYet_gaugesHaveNoSamples_scrapeStillParses() {
    FailoverPolicy policy = new FailoverPolicy(ORDER, Duration.ofSeconds(10),
        Duration.ofMinutes(4));
    PrometheusMetrics metrics = new PrometheusMetrics(policy, () -> null, () -> 0, "1.2.3",
        null);
    StrictParser.Parsed p = StrictParser.text(metrics.scrape(null).body()).ofSet("default");
    assertThat(p.named("region_failover_active_region")).isEmpty();
    assertThat(p.named("region_failover_outage_seconds")).isEmpty();
    assertThat(p.value("region_failover_build_info", "version", "1.2.3")).isEqualTo(1);
  }

  @Test
  void twoSets_oneFamilyEach_everySetSeriesLabelled_processSeriesNot() {
    PrometheusMetrics metrics = new PrometheusMetrics("1.2.3", null);
    DecideHarness a = new DecideHarness(new FailoverPolicy(ORDER, Duration.ofSeconds(10),
        Duration.ofMinutes(4)), 0, 0);
    DecideHarness b = new DecideHarness(new FailoverPolicy(org.regionfailover.Regions.EU_NAM,
        Duration.ofSeconds(10), Duration.ofMinutes(4)), 1, 0);
    a.onStep(metrics.addSet("a", a.policy(), a::state, a::now));
    b.onStep(metrics.addSet("b", b.policy(), b::state, b::now));
    a.chain(0, OK);
    a.chain(10, OK);
    b.chain(0, FAIL);

    byte[] body = metrics.scrape(null).body();
    String text = new String(body, StandardCharsets.UTF_8);
    StrictParser.Parsed p = StrictParser.text(body);
    for (String family : List.of("region_failover_probes", "region_failover_active_region",
        "region_failover_phase", "region_failover_held", "region_failover_outage_seconds",
        "region_failover_probe_duration_seconds", "region_failover_build_info")) {
      assertThat(text.split("\n")).as(family).filteredOn(l -> l.startsWith("# TYPE " + family
          + " ") || l.startsWith("# TYPE " + family + "_total ")).hasSize(1);
    }
    assertThat(p.samples()).allSatisfy(sample -> {
      boolean processWide = sample.family().startsWith("region_failover_build");
      assertThat(sample.labels().containsKey("set")).as(sample.toString())
          .isEqualTo(!processWide);
    });
    assertThat(p.value("region_failover_probes_total", "set", "a", "region", "EU", "kind",
        "chain", "result", "ok")).isEqualTo(2);
    assertThat(p.value("region_failover_probes_total", "set", "b", "region", "NAM", "kind",
        "chain", "result", "failed")).isEqualTo(1);
    assertThat(p.value("region_failover_probes_total", "set", "b", "region", "EU", "kind",
        "chain", "result", "ok")).isZero();
    assertThat(p.named("region_failover_probes_total")).noneMatch(x -> x.labels().get("set")
        .equals("b") && x.labels().get("region").equals("APAC"));
    assertThat(p.value("region_failover_active_region", "set", "a", "region", "EU")).isEqualTo(1);
    assertThat(p.value("region_failover_active_region", "set", "b", "region", "NAM"))
        .isEqualTo(1);
    assertThat(p.value("region_failover_phase", "set", "b", "phase", "down")).isEqualTo(1);
    assertThat(p.value("region_failover_phase", "set", "a", "phase", "watching")).isEqualTo(1);
    assertThat(p.value("region_failover_build_info", "version", "1.2.3")).isEqualTo(1);
    assertThatThrownBy(() -> metrics.stepped(null, 0, null))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void setClosed_itsSeriesLeaveTheScrape_theOthersStay() {
    PrometheusMetrics metrics = new PrometheusMetrics("1.2.3", null);
    DecideHarness a = new DecideHarness(new FailoverPolicy(ORDER, Duration.ofSeconds(10),
        Duration.ofMinutes(4)), 0, 0);
    DecideHarness b = new DecideHarness(new FailoverPolicy(ORDER, Duration.ofSeconds(10),
        Duration.ofMinutes(4)), 0, 0);
    a.onStep(metrics.addSet("a", a.policy(), a::state, a::now));
    SetMetrics bm = metrics.addSet("b", b.policy(), b::state, b::now);
    b.onStep(bm);
    b.chain(0, OK);
    assertThatThrownBy(() -> metrics.addSet("a", a.policy(), a::state, a::now))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a");

    bm.close();

    StrictParser.Parsed p = StrictParser.text(metrics.scrape(null).body());
    assertThat(p.samples()).noneMatch(x -> "b".equals(x.labels().get("set")));
    assertThat(p.value("region_failover_held", "set", "a")).isZero();
    // The name is free again: a reload may add the set back, its counters from zero.
    metrics.addSet("b", b.policy(), b::state, b::now);
    assertThat(StrictParser.text(metrics.scrape(null).body()).value(
        "region_failover_probes_total", "set", "b", "region", "EU", "kind", "chain", "result",
        "ok")).isZero();
  }

  @Test
  void step_failedAttemptReason_boundedToTheActStagesStepNames() {
    assertThat(StepCounters.step("restart: supervisord is unreachable")).isEqualTo("restart");
    assertThat(StepCounters.step("env_file: disk full")).isEqualTo("env_file");
    assertThat(StepCounters.step("who knows: what")).isEqualTo("other");
    assertThat(StepCounters.step("no step at all")).isEqualTo("other");
  }

  @Test
  void trafficReports_areCountedByRegionAndClass_unknownClassesNeverMakeASeries() {
    Host host = new Host();
    host.run.chain(0, OK);
    host.at(0, new Input.Traffic(0, 40, 5, java.util.Map.of("503", 3L, "refused", 2L),
        "endpoint"));
    host.at(10, new Input.Traffic(0, 10, 1, java.util.Map.of("brownout", 1L), "endpoint"));

    StrictParser.Parsed p = host.scrape();

    assertThat(p.value("region_failover_traffic_calls_total", "region", "EU", "outcome", "ok"))
        .isEqualTo(50);
    assertThat(p.value("region_failover_traffic_calls_total", "region", "EU", "outcome",
        "503")).isEqualTo(3);
    assertThat(p.value("region_failover_traffic_calls_total", "region", "EU", "outcome",
        "refused")).isEqualTo(2);
    assertThat(p.named("region_failover_traffic_calls_total")).extracting(
        s -> s.labels().get("outcome")).containsOnly("ok", "503", "refused", "other");
  }
}
