package dev.valine.orchestrator.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import net.logstash.logback.composite.AbstractJsonProvider;
import net.logstash.logback.stacktrace.ShortenedThrowableConverter;

/**
 * Writes an exception as {@code "error": {"type", "message", "stack"}}, which CloudWatch Logs Insights
 * reads as {@code error.type}, {@code error.message}, {@code error.stack}. The stack is bounded (8 KiB,
 * 40 frames per cause) so one bad exception cannot blow up a log line; redaction happens in the
 * generator like for every other value.
 */
final class ErrorJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  static final int MAX_STACK_CHARS = 8 * 1024;
  private final ShortenedThrowableConverter stack = new ShortenedThrowableConverter();

  @Override
  public void start() {
    stack.setContext(getContext());
    stack.setMaxLength(MAX_STACK_CHARS);
    stack.setMaxDepthPerThrowable(40);
    stack.start();
    super.start();
  }

  @Override
  public void stop() {
    stack.stop();
    super.stop();
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    IThrowableProxy error = event.getThrowableProxy();
    if (error == null) {
      return;
    }
    generator.writeObjectFieldStart(LogFields.ERROR);
    generator.writeStringField(LogFields.ERROR_TYPE, error.getClassName());
    generator.writeStringField(LogFields.ERROR_MESSAGE, error.getMessage() == null ? "" : error.getMessage());
    generator.writeStringField(LogFields.ERROR_STACK, stack.convert(event));
    generator.writeEndObject();
  }
}
