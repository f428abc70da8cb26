package dev.valine.orchestrator.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import net.logstash.logback.composite.JsonProviders;
import net.logstash.logback.composite.loggingevent.LoggingEventNestedJsonProvider;
import net.logstash.logback.composite.loggingevent.StackTraceJsonProvider;
import net.logstash.logback.composite.loggingevent.ThrowableClassNameJsonProvider;
import net.logstash.logback.composite.loggingevent.ThrowableMessageJsonProvider;
import net.logstash.logback.stacktrace.ShortenedThrowableConverter;

/**
 * An exception as {@code "error": {"type", "message", "stack"}}, which CloudWatch Logs Insights reads as
 * {@code error.type}, {@code error.message} and {@code error.stack}; nothing on a line without one. The
 * fields are logstash's own providers; the stack is bounded by its {@link ShortenedThrowableConverter}
 * (8 KiB, 40 frames per cause). Redaction happens in the generator like for every other value.
 */
final class ErrorJsonProvider extends LoggingEventNestedJsonProvider {
  static final int MAX_STACK_CHARS = 8 * 1024;
  static final int MAX_FRAMES_PER_THROWABLE = 40;

  private final ShortenedThrowableConverter converter = new ShortenedThrowableConverter();

  ErrorJsonProvider() {
    setFieldName(LogFields.ERROR);
    JsonProviders<ILoggingEvent> fields = getProviders();
    ThrowableClassNameJsonProvider type = new ThrowableClassNameJsonProvider();
    type.setFieldName(LogFields.ERROR_TYPE);
    // The full name (java.lang.IllegalStateException): the errors query groups on it.
    type.setUseSimpleClassName(false);
    fields.addProvider(type);
    ThrowableMessageJsonProvider message = new ThrowableMessageJsonProvider();
    message.setFieldName(LogFields.ERROR_MESSAGE);
    fields.addProvider(message);
    converter.setMaxLength(MAX_STACK_CHARS);
    converter.setMaxDepthPerThrowable(MAX_FRAMES_PER_THROWABLE);
    converter.setLineSeparator("UNIX");
    StackTraceJsonProvider stack = new StackTraceJsonProvider();
    stack.setFieldName(LogFields.ERROR_STACK);
    stack.setThrowableConverter(converter);
    fields.addProvider(stack);
  }

  @Override
  public void setContext(Context context) {
    super.setContext(context);
    // The nested providers (and the stack converter they start) report problems to the same context.
    getProviders().setContext(context);
    converter.setContext(context);
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    if (event.getThrowableProxy() != null) {
      super.writeTo(generator, event);
    }
  }
}
