package org.regionfailover.status.metrics;

import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.PolicyState;
import org.regionfailover.decide.Transition;
import org.regionfailover.loop.FailoverLoop;

/**
 * One failover set's part of {@link PrometheusMetrics}: its loop's steps move its counters
 * (the series labelled with its name), and its gauges read its loop's state at each scrape.
 * {@link #close} takes its series out of the scrape (a set removed by a reload).
 */
public final class SetMetrics implements FailoverLoop.StepListener, AutoCloseable {
  private final String name;
  private final StepCounters counters;
  private final java.util.function.Consumer<FailoverPolicy> rules;
  private final Runnable unregister;

  SetMetrics(String name, StepCounters counters,
      java.util.function.Consumer<FailoverPolicy> rules, Runnable unregister) {
    this.name = name;
    this.counters = counters;
    this.rules = rules;
    this.unregister = unregister;
  }

  /** The set's name, its series' {@code set} label. */
  public String name() {
    return name;
  }

  /** Counts one step of the set's loop; on the loop's thread, never blocks. */
  @Override
  public void stepped(Input input, long at, Transition transition) {
    counters.stepped(input, transition);
  }

  /** A reload: the set's gauges judge by {@code next} from now on (same order). */
  @Override
  public void reconfigured(FailoverPolicy next, PolicyState state, long at) {
    rules.accept(next);
  }

  /** Removes the set's series: its gauges and counters are no longer scraped. */
  @Override
  public void close() {
    unregister.run();
    counters.remove();
  }
}
