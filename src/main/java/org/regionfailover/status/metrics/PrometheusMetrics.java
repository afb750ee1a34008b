package org.regionfailover.status.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.Supplier;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.Transition;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.report.datadog.DatadogCounts;
import org.regionfailover.time.Ticker;

/**
 * The supervisor's {@code /metrics}, built with the Prometheus client library: counters
 * moved by the loop's steps ({@link #stepped}, a {@link FailoverLoop.StepListener}), gauges
 * read at scrape time from the loop's published state, and the build info. Serving is left
 * to the caller: {@link #scrape} writes the format the {@code Accept} header asks for (the
 * Prometheus text format, or OpenMetrics) and {@link #contentType} names it.
 *
 * <p>Each instance has its own registry, never the library's global one, so that tests and
 * the demo's several loops in one JVM do not share counters. Stepping costs a few counter
 * increments and never blocks; a scrape never waits on the loop's thread.
 */
public final class PrometheusMetrics implements FailoverLoop.StepListener {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ExpositionFormats formats = ExpositionFormats.init();
  private final StepCounters counters;
  /** Replaced on the loop's thread by a reload of the rules; read at scrape time. */
  private volatile FailoverPolicy policy;

  /**
   * Metrics for a loop deciding with {@code policy} (its order names the regions, the only
   * region labels there are), whose published state {@code state} returns (null before
   * there is one), timed by {@code ticker}; {@code datadog}: the shipper's counts, null when
   * shipping is off (its metrics are then absent).
   */
  public PrometheusMetrics(FailoverPolicy policy, Supplier<PolicyState> state, Ticker ticker,
      String version, DatadogCounts datadog) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(version, "version");
    this.policy = policy;
    counters = new StepCounters(policy.order(), registry);
    new StateGauges(() -> this.policy, state, ticker, registry);
    Info build = Info.builder().name("region_failover_build")
        .help("The running build: 1, with its version as a label.").labelNames("version")
        .build();
    build.addLabelValues(version);
    registry.register(build);
    if (datadog != null) {
      registry.register(CounterWithCallback.builder().name("region_failover_datadog_shipped")
          .help("Log events the Datadog intake accepted.")
          .callback(cb -> cb.call(datadog.shippedCount())).build());
      registry.register(CounterWithCallback.builder().name("region_failover_datadog_dropped")
          .help("Log events lost on the way to Datadog: queue full, refused, or left at stop.")
          .callback(cb -> cb.call(datadog.droppedCount())).build());
    }
  }

  /** Counts one step of the loop; on the loop's thread, never blocks. */
  @Override
  public void stepped(Input input, long at, Transition transition) {
    counters.stepped(input, transition);
  }

  /** The rules were reloaded: the budget and fail-back gauges judge by the new ones. */
  @Override
  public void reconfigured(FailoverPolicy next, PolicyState state, long at) {
    policy = next;
  }

  /** The content type of what {@link #scrape} writes for {@code accept} (may be null). */
  public String contentType(String accept) {
    return writer(accept).getContentType();
  }

  /**
   * Writes every metric to {@code out} in the format {@code accept} asks for: OpenMetrics
   * when it asks for {@code application/openmetrics-text}, the Prometheus text format
   * otherwise (also for protobuf, which this build does not carry).
   */
  public void scrape(String accept, OutputStream out) throws IOException {
    writer(accept).write(out, registry.scrape());
  }

  /** A whole scrape in memory: for a server that wants the length before it answers. */
  public Scrape scrape(String accept) {
    ExpositionFormatWriter w = writer(accept);
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      w.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return new Scrape(w.getContentType(), out.toByteArray());
  }

  /** One scrape: the content type and the body. */
  public record Scrape(String contentType, byte[] body) {}

  private ExpositionFormatWriter writer(String accept) {
    ExpositionFormatWriter w = formats.findWriter(accept == null ? "" : accept);
    // findWriter offers protobuf to a scraper that asks for it even when the protobuf
    // writer is not on the class path; fall back to text rather than fail the scrape.
    return w.isAvailable() ? w : formats.getPrometheusTextFormatWriter();
  }
}
