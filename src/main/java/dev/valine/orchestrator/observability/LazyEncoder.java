package dev.valine.orchestrator.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.valine.orchestrator.util.Lazy;
import java.util.function.Supplier;

/**
 * Builds the real encoder on the first log event. The JSON encoder brings logstash-logback-encoder, its
 * {@code ObjectMapper} and the redactor's patterns, and a PING logs nothing, so building it at start-up
 * would only slow the answer Discord waits for. Thread-safe.
 */
final class LazyEncoder extends EncoderBase<ILoggingEvent> {
  private final Lazy<Encoder<ILoggingEvent>> delegate;
  private volatile boolean built;

  LazyEncoder(Supplier<Encoder<ILoggingEvent>> factory) {
    this.delegate = new Lazy<>(() -> {
      Encoder<ILoggingEvent> encoder = factory.get();
      built = true;
      return encoder;
    });
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return delegate.get().encode(event);
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public void stop() {
    // Stop what was built, and never build an encoder just to stop it.
    if (built) {
      delegate.get().stop();
    }
    super.stop();
  }
}
