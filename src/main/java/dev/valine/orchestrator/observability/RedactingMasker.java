package dev.valine.orchestrator.observability;

import com.fasterxml.jackson.core.JsonStreamContext;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import net.logstash.logback.mask.FieldMasker;
import net.logstash.logback.mask.ValueMasker;

/**
 * Plugs {@link SecretRedactor} into logstash's masking JSON generator, which every value of every line
 * passes on its way out: a field whose name is sensitive is replaced whole by {@value SecretRedactor#MASK},
 * whatever its JSON type (the generator then skips the number, null, object or array it held), and every
 * other text value is redacted by pattern. Because it sits in the generator, nothing that logs (message,
 * arguments, MDC, key-value pairs, structured fields, exception text) can bypass it. Thread-safe.
 */
final class RedactingMasker implements FieldMasker, ValueMasker {
  private static final String PAIR_NAME = "name";
  private static final String PAIR_VALUE = "value";

  private final SecretRedactor redactor;
  private final FieldPolicy policy;

  RedactingMasker(SecretRedactor redactor) {
    this.redactor = redactor;
    this.policy = new FieldPolicy(redactor);
  }

  /** Called after each field name is written: non-null replaces the field's whole value. */
  @Override
  public Object mask(JsonStreamContext context) {
    String name = context.getCurrentName();
    if (name == null) {
      return null;
    }
    if (policy.of(name) == FieldPolicy.Action.MASK_WHOLE || isValueOfSensitivePair(name, context)) {
      return SecretRedactor.MASK;
    }
    return null;
  }

  /** Called for each string and number written: non-null replaces it. */
  @Override
  public Object mask(JsonStreamContext context, Object value) {
    if (!(value instanceof CharSequence)) {
      // A number under a name that is not sensitive holds no secret.
      return null;
    }
    // Every text value is scanned, whatever its field's name: a caller can write any name (kv("status", …)),
    // so no name is trusted to hold no secret. The trigger pre-check keeps this cheap.
    String text = value.toString();
    String redacted = redactor.redact(text);
    return redacted == text ? null : redacted;
  }

  /**
   * The {@code value} of a name/value pair whose name is sensitive, as a logged Discord option is
   * ({@code {"name": "password", "value": ...}}), when the object being written is a map, a record or a JSON tree: Jackson
   * hands us the object itself, so the pair's name can be read whatever order the fields are written in.
   */
  private boolean isValueOfSensitivePair(String name, JsonStreamContext context) {
    if (!name.equals(PAIR_VALUE)) {
      return false;
    }
    Object pairName = pairName(context.getCurrentValue());
    return pairName instanceof CharSequence text && redactor.isSensitiveName(text.toString());
  }

  private static Object pairName(Object object) {
    if (object instanceof Map<?, ?> map) {
      return map.get(PAIR_NAME);
    }
    if (object instanceof com.fasterxml.jackson.databind.JsonNode node) {
      // An object as GitHub or Discord sent it (a variable, an option), logged as it was parsed.
      com.fasterxml.jackson.databind.JsonNode pairName = node.get(PAIR_NAME);
      return pairName != null && pairName.isTextual() ? pairName.textValue() : null;
    }
    if (object instanceof Record record) {
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        if (component.getName().equals(PAIR_NAME)) {
          try {
            Method accessor = component.getAccessor();
            // A package-private record's public accessor is still not callable from here without this.
            accessor.trySetAccessible();
            return accessor.invoke(record);
          } catch (ReflectiveOperationException | RuntimeException e) {
            // A record we may not read; its value is still redacted by pattern.
            return null;
          }
        }
      }
    }
    return null;
  }
}
