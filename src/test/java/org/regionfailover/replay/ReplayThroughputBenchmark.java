package org.regionfailover.replay;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.regionfailover.decide.FailoverPolicy;

/**
 * Prints how many probes per second a replay gets through: the decide part alone (probes
 * handed to the engine, no JSON), and end to end (log lines parsed, decided, decisions
 * written as JSON). A year at the default cadence: 3,153,600 chain probes (every 10 s) and
 * as many direct ones (3 regions every 30 s). Not a unit test (the name keeps surefire from
 * picking it up by default) and it asserts nothing: run it with scripts/bench-replay.sh.
 */
class ReplayThroughputBenchmark {
  private static final int DAYS = 365;
  private static final int RUNS = 3;

  private final SyntheticYear year = new SyntheticYear();
  /** The defaults: interval 10 s, threshold 4 min, direct probes every 30 s. */
  private final FailoverPolicy policy = new FailoverPolicy(SyntheticYear.ORDER,
      Duration.ofSeconds(10), Duration.ofMinutes(4), Duration.ofSeconds(30));

  /** Counts what the replay writes, and drops it. */
  private static final class NullOutput extends OutputStream {
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
    }
  }

  private interface Body {
    ReplayStats run(Replay replay) throws IOException;
  }

  private ReplayStats once(int days, boolean endToEnd) throws IOException {
    EventLineWriter writer = new EventLineWriter(new NullOutput(), "region-failover");
    Replay replay = new Replay(policy, true, writer::write);
    Body body = endToEnd
        ? r -> r.run(List.of(ProbeLogReader.open("year", year.stream(days),
            SyntheticYear.ORDER, new JsonFactory())))
        : r -> {
          year.replay(r, days);
          return r.finish();
        };
    return body.run(replay);
  }

  private void measure(String what, boolean endToEnd) throws IOException {
    once(30, endToEnd); // warm-up: JIT-compiles the hot path
    long probes = (long) year.probesPerDay() * DAYS;
    List<Double> seconds = new ArrayList<>();
    ReplayStats stats = null;
    for (int i = 0; i < RUNS; i++) {
      long t0 = System.nanoTime();
      stats = once(DAYS, endToEnd);
      seconds.add((System.nanoTime() - t0) / 1e9);
    }
    double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median = sorted[sorted.length / 2];
    System.out.printf(Locale.ROOT, "BENCH replay %s: %,d probes (a year: %,d chain + %,d"
            + " direct) in %.2f s median of %s s = %.2f M probes/s%s; %d transitions%n",
        what, probes, probes / 2, probes / 2, median, Arrays.toString(seconds.stream()
            .map(s -> String.format(Locale.ROOT, "%.2f", s)).toArray()), probes / median / 1e6,
        endToEnd ? String.format(Locale.ROOT, ", %.0f MB/s of log",
            (double) year.bytesPerDay() * DAYS / median / 1e6) : "",
        stats.transitions());
  }

  @Test
  void printThroughput() throws IOException {
    measure("decide only (engine + policy, no JSON)", false);
    measure("end to end (JSON lines parsed, decided, decisions written)", true);
  }
}
