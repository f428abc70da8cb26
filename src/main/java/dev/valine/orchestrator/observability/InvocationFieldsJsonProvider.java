package dev.valine.orchestrator.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Optional;
import net.logstash.logback.composite.AbstractJsonProvider;

/** Writes the current invocation's Lambda fields ({@link InvocationLogContext}) into each JSON line. */
final class InvocationFieldsJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    Optional<InvocationLogContext.Fields> current = InvocationLogContext.current();
    if (current.isEmpty()) {
      return;
    }
    InvocationLogContext.Fields fields = current.get();
    writeIfPresent(generator, LogFields.FUNCTION_NAME, fields.functionName());
    writeIfPresent(generator, LogFields.FUNCTION_VERSION, fields.functionVersion());
    writeIfPresent(generator, LogFields.AWS_REQUEST_ID, fields.awsRequestId());
    generator.writeBooleanField(LogFields.COLD_START, fields.coldStart());
    if (fields.xrayTraceId().isPresent()) {
      generator.writeStringField(LogFields.XRAY_TRACE_ID, fields.xrayTraceId().get());
    }
  }

  private static void writeIfPresent(JsonGenerator generator, String name, String value) throws IOException {
    if (value != null && !value.isEmpty()) {
      generator.writeStringField(name, value);
    }
  }
}
