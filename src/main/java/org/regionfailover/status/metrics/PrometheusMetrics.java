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
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
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
 * moved by the loops' steps, gauges read at scrape time from each loop's published state,
 * and the build info. One instance serves the whole process: each failover set adds its
 * series with {@link #addSet} (a {@link SetMetrics}, the loop's
 * {@link FailoverLoop.StepListener}), all in the same families, told apart by the label
 * {@code set}; the build info and the Datadog counts are the process's and carry none.
 * Serving is left to the caller: {@link #scrape} writes the format the {@code Accept} header
 * asks for (the Prometheus text format, or OpenMetrics) and {@link #contentType} names it.
 *
 * <p>Each instance has its own registry, never the library's global one, so that tests and
 * the demo's several loops in one JVM do not share counters. Stepping costs a few counter
 * increments and never blocks; a scrape never waits on a loop's thread.
 */
public final class PrometheusMetrics implements FailoverLoop.StepListener {
  /** The label naming a series' failover set. */
  public static final String SET = "set";
  /** The name of the one set of a process without a sets directory. */
  public static final String DEFAULT_SET = "default";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ExpositionFormats formats = ExpositionFormats.init();
  private final StepCounters.Families families;
  private final StateGauges gauges;
  private final Map<String, SetMetrics> sets = new ConcurrentHashMap<>();
  /** The set {@link #stepped} counts for: the one of the one-set constructor, else null. */
  private SetMetrics only;

  /**
   * The process's metrics, without a set yet: {@code version} for the build info;
   * {@code datadog}: the shipper's counts, null when shipping is off (its metrics are then
   * absent).
   */
  public PrometheusMetrics(String version, DatadogCounts datadog) {
    Objects.requireNonNull(version, "version");
    families = new StepCounters.Families(registry);
    gauges = new StateGauges(registry);
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

  /**
   * Metrics of a process with one set, {@value #DEFAULT_SET}: a loop deciding with
   * {@code policy} (its order names the regions, the only region labels there are), whose
   * published state {@code state} returns (null before there is one), timed by
   * {@code ticker}; {@link #stepped} counts its steps.
   */
  public PrometheusMetrics(FailoverPolicy policy, Supplier<PolicyState> state, Ticker ticker,
      String version, DatadogCounts datadog) {
    this(version, datadog);
    only = addSet(DEFAULT_SET, policy, state, ticker);
  }

  /**
   * Adds set {@code name}: a loop deciding with {@code policy}, whose published state
   * {@code state} returns (null before there is one), timed by {@code ticker}. Its counters
   * start at zero; the loop's steps go to the returned listener. A name taken twice is a
   * programming error.
   */
  public SetMetrics addSet(String name, FailoverPolicy policy, Supplier<PolicyState> state,
      Ticker ticker) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(ticker, "ticker");
    var rules = new java.util.concurrent.atomic.AtomicReference<>(policy);
    StateGauges.Source source = new StateGauges.Source(name, rules, state, ticker);
    SetMetrics set = new SetMetrics(name, new StepCounters(name, policy.order(), families),
        rules::set, () -> {
          gauges.remove(source);
          sets.remove(name);
        });
    if (sets.putIfAbsent(name, set) != null) {
      throw new IllegalArgumentException("set " + name + " has metrics already");
    }
    gauges.add(source);
    return set;
  }

  /**
   * Counts one step of the one set of the one-set constructor; on the loop's thread, never
   * blocks. With sets added by {@link #addSet}, their own listeners count.
   */
  @Override
  public void stepped(Input input, long at, Transition transition) {
    if (only == null) {
      throw new IllegalStateException("several sets: each loop steps its own SetMetrics");
    }
    only.stepped(input, at, transition);
  }

  /** A reload of the one set of the one-set constructor: its gauges judge by {@code next}. */
  @Override
  public void reconfigured(FailoverPolicy next, PolicyState state, long at) {
    if (only == null) {
      throw new IllegalStateException("several sets: each loop reconfigures its own SetMetrics");
    }
    only.reconfigured(next, state, at);
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
