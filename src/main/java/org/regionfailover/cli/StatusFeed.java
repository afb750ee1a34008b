package org.regionfailover.cli;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.regionfailover.config.Settings;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.Transition;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.report.datadog.DatadogCounts;
import org.regionfailover.status.StatusRecorder;
import org.regionfailover.status.StatusSnapshot;
import org.regionfailover.status.http.ServedSet;
import org.regionfailover.status.metrics.PrometheusMetrics;
import org.regionfailover.status.metrics.SetMetrics;
import org.regionfailover.time.Ticker;

/**
 * What the status server reads of one failover set, fed by its loop's steps: the snapshot
 * for /health, /status and /history, and the set's series of the process's Prometheus
 * metrics. Both exist before the loop does (the server answers while supervisord is
 * awaited) and attach to it before its first step.
 */
final class StatusFeed {
  private final String name;
  private final StatusRecorder recorder;
  private final PrometheusMetrics metrics;
  private final SetMetrics setMetrics;
  private final Clock clock;

  /**
   * The feed of set {@code name}, whose series go to the process's {@code metrics};
   * {@code datadog}: the shipper's counts for the set's datadog component (null: off).
   */
  StatusFeed(String name, Settings settings, FailoverPolicy policy,
      java.time.Duration regionInterval, PrometheusMetrics metrics, DatadogCounts datadog,
      Clock clock, Ticker ticker) {
    this.name = name;
    this.clock = clock;
    this.recorder = new StatusRecorder(policy, settings.interval(), regionInterval, clock,
        ticker, Version.get(), !settings.dryRun(), datadogCheck(datadog));
    Supplier<PolicyState> state = () -> {
      StatusSnapshot s = recorder.snapshot();
      return s == null ? null : s.state();
    };
    this.metrics = metrics;
    this.setMetrics = metrics.addSet(name, policy, state, ticker);
  }

  /** Starts reading {@code loop}: from its initial state, then every step. */
  void attach(FailoverLoop loop) {
    recorder.begin(loop.state());
    loop.onStep(new FailoverLoop.StepListener() {
      @Override
      public void stepped(Input input, long at, Transition t) {
        recorder.stepped(input, at, t);
        setMetrics.stepped(input, at, t);
      }

      @Override
      public void reconfigured(FailoverPolicy policy, PolicyState state, long at) {
        // A reload: /status and /metrics show the new rules from the step it is applied at.
        setMetrics.reconfigured(policy, state, at);
        recorder.reconfigured(policy, state, at);
      }
    });
  }

  /** The set as the status server sees it, its commands posted to {@code commands}. */
  ServedSet served(List<Region> order,
      Function<Input.Command, CompletableFuture<Decision.ManualCommand>> commands) {
    return new ServedSet(name, recorder::snapshot, order, commands);
  }

  /** The set's series of the metrics: closed when a reload removes the set. */
  SetMetrics metrics() {
    return setMetrics;
  }

  StatusRecorder recorder() {
    return recorder;
  }

  /** The process's metrics, every set's series. */
  PrometheusMetrics processMetrics() {
    return metrics;
  }

  /** The datadog component: off, shipping, or why posts fail. */
  static Supplier<StatusRecorder.Check> datadogCheck(DatadogCounts counts) {
    if (counts == null) {
      return () -> new StatusRecorder.Check(true, "off (no API key)");
    }
    return () -> {
      String trouble = counts.trouble();
      return trouble == null
          ? new StatusRecorder.Check(true, "shipping: " + counts.shippedCount() + " shipped, "
              + counts.droppedCount() + " dropped")
          : new StatusRecorder.Check(false, "posts to the intake fail (" + trouble
              + "); retrying with backoff, " + counts.droppedCount() + " dropped so far");
    };
  }
}
