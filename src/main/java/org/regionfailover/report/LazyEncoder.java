package org.regionfailover.report;

import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.util.function.Supplier;

/**
 * An encoder that builds and starts its delegate on the first event it encodes. The Logstash
 * encoder starts Jackson (about 600 classes) when it starts; behind the asynchronous appender
 * the first event is encoded on the appender's worker thread, so that cost leaves the path to
 * the first probe, and a command that logs nothing ({@code check}, {@code status}) never pays
 * it. Hand-written: logback has no lazy encoder.
 */
public final class LazyEncoder<E> extends EncoderBase<E> {
  private final Supplier<? extends Encoder<E>> factory;
  private volatile Encoder<E> delegate;

  /** {@code factory} makes the delegate, not yet started; it gets this encoder's context. */
  public LazyEncoder(Supplier<? extends Encoder<E>> factory) {
    this.factory = factory;
  }

  @Override
  public byte[] headerBytes() {
    // Asked for when the appender starts: the delegate would have to exist already. The JSON
    // encoders this wraps write no header, one object a line.
    return null;
  }

  @Override
  public byte[] encode(E event) {
    return delegate().encode(event);
  }

  @Override
  public byte[] footerBytes() {
    Encoder<E> d = delegate;
    return d == null ? null : d.footerBytes();
  }

  @Override
  public void stop() {
    Encoder<E> d = delegate;
    if (d != null) {
      d.stop();
    }
    super.stop();
  }

  /** True once an event has been encoded (the delegate exists). */
  public boolean delegateStarted() {
    return delegate != null;
  }

  private Encoder<E> delegate() {
    Encoder<E> d = delegate;
    if (d != null) {
      return d;
    }
    synchronized (this) {
      if (delegate == null) {
        Encoder<E> made = factory.get();
        made.setContext(getContext());
        made.start();
        delegate = made;
      }
      return delegate;
    }
  }
}
