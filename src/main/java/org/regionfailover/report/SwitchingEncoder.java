package org.regionfailover.report;

import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

/**
 * An encoder whose delegate can be replaced while events flow. Logging is configured before
 * the command line is read (logback's service loader), and the console's format is one of
 * the settings read from it: the format is put in place afterwards, under the running
 * appender.
 */
public final class SwitchingEncoder<E> extends EncoderBase<E> {
  private volatile Encoder<E> delegate;

  /**
   * From the next event on, encodes with {@code next}, given this encoder's context (set it
   * first) and started. Until the first call, events encode to nothing.
   */
  public void use(Encoder<E> next) {
    next.setContext(getContext());
    next.start();
    delegate = next;
  }

  /** The encoder in use. */
  public Encoder<E> current() {
    return delegate;
  }

  @Override
  public byte[] headerBytes() {
    return null; // one line per event, no header: the encoders this switches between have none
  }

  @Override
  public byte[] encode(E event) {
    Encoder<E> d = delegate;
    return d == null ? null : d.encode(event);
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public void stop() {
    Encoder<E> d = delegate;
    if (d != null) {
      d.stop();
    }
    super.stop();
  }
}
