package dev.valine.orchestrator.observability;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import net.logstash.logback.argument.StructuredArgument;
import net.logstash.logback.argument.StructuredArguments;

/**
 * One structured field of a log line: {@code log.info("signature rejected {}", kv("reason", reason))}
 * reads "signature rejected reason=bad_signature" in the message and adds {@code "reason":
 * "bad_signature"} to the JSON line. An argument with no {@code {}} of its own only adds the field.
 * Values are written as JSON numbers, booleans, null, strings, objects (maps, records) or arrays, and
 * redacted like every other value ({@link JsonLogEncoder}); a field with a sensitive name is masked whole.
 * It is a logstash {@link StructuredArgument}, so logstash's arguments provider writes it.
 */
public record LogField(String key, Object value) implements StructuredArgument {
  public static LogField kv(String key, Object value) {
    return new LogField(key, value);
  }

  @Override
  public void writeTo(JsonGenerator generator) throws IOException {
    generator.writeFieldName(key);
    generator.writeObject(value);
  }

  /** {@code key=value} in the message, arrays spelled out; redacted with the message. */
  @Override
  public String toString() {
    return key + "=" + StructuredArguments.toString(value);
  }
}
