package org.regionfailover.cli;

import java.time.Clock;
import java.util.function.Supplier;
import org.regionfailover.config.Settings;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.Transition;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.report.datadog.DatadogCounts;
import org.regionfailover.status.StatusRecorder;
import org.regionfailover.status.StatusSnapshot;
import org.regionfailover.status.http.ReadEndpoints;
import org.regionfailover.status.metrics.PrometheusMetrics;
import org.regionfailover.time.Ticker;

/**
 * What the status server reads, fed by the loop's steps: the snapshot for /health, /status
 * and /history, and the Prometheus metrics. Both exist before the loop does (the server
 * answers while supervisord is awaited) and attach to it before its first step.
 */
final class StatusFeed {
  private final StatusRecorder recorder;
  private final PrometheusMetrics metrics;
  private final Clock clock;

  StatusFeed(Settings settings, FailoverPolicy policy, java.time.Duration regionInterval,
      DatadogCounts datadog, Clock clock, Ticker ticker) {
    this.clock = clock;
    this.recorder = new StatusRecorder(policy, settings.interval(), regionInterval, clock,
        ticker, Version.get(), !settings.dryRun(), datadogCheck(datadog));
    Supplier<PolicyState> state = () -> {
      StatusSnapshot s = recorder.snapshot();
      return s == null ? null : s.state();
    };
    this.metrics = new PrometheusMetrics(policy, state, ticker, Version.get(), datadog);
  }

  /** Starts reading {@code loop}: from its initial state, then every step. */
  void attach(FailoverLoop loop) {
    recorder.begin(loop.state());
    loop.onStep(new FailoverLoop.StepListener() {
      @Override
      public void stepped(Input input, long at, Transition t) {
        recorder.stepped(input, at, t);
        metrics.stepped(input, at, t);
      }

      @Override
      public void reconfigured(FailoverPolicy policy, PolicyState state, long at) {
        // A reload: /status and /metrics show the new rules from the step it is applied at.
        metrics.reconfigured(policy, state, at);
        recorder.reconfigured(policy, state, at);
      }
    });
  }

  ReadEndpoints endpoints() {
    return new ReadEndpoints(recorder::snapshot, metrics, clock);
  }

  StatusRecorder recorder() {
    return recorder;
  }

  PrometheusMetrics metrics() {
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
