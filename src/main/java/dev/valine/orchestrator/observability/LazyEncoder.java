package dev.valine.orchestrator.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.util.function.Supplier;

/**
 * Builds the real encoder on the first log event. The JSON encoder brings Jackson databind and the
 * masking generator (~200 ms at a cold start), and a PING logs nothing, so building it at start-up would
 * only slow the answer Discord waits for. Thread-safe.
 */
final class LazyEncoder extends EncoderBase<ILoggingEvent> {
  private final Supplier<Encoder<ILoggingEvent>> factory;
  private volatile Encoder<ILoggingEvent> delegate;

  LazyEncoder(Supplier<Encoder<ILoggingEvent>> factory) {
    this.factory = factory;
  }

  private Encoder<ILoggingEvent> delegate() {
    Encoder<ILoggingEvent> current = delegate;
    if (current == null) {
      synchronized (this) {
        current = delegate;
        if (current == null) {
          current = factory.get();
          delegate = current;
        }
      }
    }
    return current;
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return delegate().encode(event);
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public void stop() {
    Encoder<ILoggingEvent> current = delegate;
    if (current != null) {
      current.stop();
    }
    super.stop();
  }
}
