package dev.valine.orchestrator.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Optional;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * The current invocation's Lambda fields ({@link InvocationLogContext}: {@code function_name},
 * {@code function_version}, {@code aws_request_id}, {@code cold_start} as a JSON boolean,
 * {@code xray_trace_id}) on each line written while it runs.
 */
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
