package org.regionfailover.loop;

import java.util.Objects;
import org.regionfailover.decide.Input;
import org.regionfailover.probe.Probe;
import org.regionfailover.probe.ProbeResult;
import org.regionfailover.time.Ticker;

/**
 * Probes the active region through the local chain on its own thread and posts the result
 * to the loop, stamped with the time the probe began. The loop is never blocked by a probe.
 */
public final class ChainProber {
  private final FailoverLoop loop;
  private final Ticker ticker;
  /** Replaced by {@link #use} on the thread that ticks, between two ticks. */
  private Probe probe;
  private long jitter;

  /** {@code jitter}: how late a tick may run and still count as on its slot (see {@link #tick(long)}). */
  public ChainProber(FailoverLoop loop, Probe probe, Ticker ticker, long jitter) {
    this.loop = Objects.requireNonNull(loop, "loop");
    this.probe = Objects.requireNonNull(probe, "probe");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.jitter = jitter;
  }

  /**
   * Probes with {@code next} and {@code nextJitter} from the next tick on; the probe used
   * until now, for the caller to close. Called on the thread that ticks (a reload, see
   * {@link Supervisor#reconfigure}), so no tick is ever half on one probe and half on the
   * other, and the old probe is closed only once no tick uses it.
   */
  Probe use(Probe next, long nextJitter) {
    Probe before = probe;
    probe = Objects.requireNonNull(next, "next");
    jitter = nextJitter;
    return before;
  }

  /** One probe now. */
  public void tick() {
    probeAt(ticker.read());
  }

  /**
   * One probe scheduled for {@code slot}. A tick that runs within the jitter of its slot is
   * stamped with the slot, so that scheduling jitter of a few milliseconds cannot move the
   * failover from the probe at the threshold to the next one (4:00 vs 4:10). A later tick
   * keeps the time the clock reads, so a pause still shows as a gap.
   */
  public void tick(long slot) {
    long read = ticker.read();
    long late = read - slot;
    probeAt(late >= 0 && late - jitter < 0 ? slot : read);
  }

  private void probeAt(long at) {
    int region = loop.activeIndex();
    ProbeResult result = probe.probe(loop.policy().region(region));
    loop.post(new Input.Probed(region, result), at);
  }
}
