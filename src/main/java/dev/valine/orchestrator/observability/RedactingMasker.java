package dev.valine.orchestrator.observability;

import com.fasterxml.jackson.core.JsonStreamContext;
import net.logstash.logback.mask.FieldMasker;
import net.logstash.logback.mask.ValueMasker;

/**
 * Plugs {@link SecretRedactor} into the JSON encoder, where every value of every line is written:
 * a field whose name is sensitive is masked whole (whatever its type), and every other text value is
 * redacted by pattern. Because it sits in the generator, nothing that logs — message, arguments, MDC,
 * structured fields, exception text — can bypass it.
 */
final class RedactingMasker implements FieldMasker, ValueMasker {
  private final SecretRedactor redactor;

  RedactingMasker(SecretRedactor redactor) {
    this.redactor = redactor;
  }

  /** Called for each field name: non-null masks the whole field value. */
  @Override
  public Object mask(JsonStreamContext context) {
    String name = context.getCurrentName();
    return name != null && redactor.isSensitiveName(name) ? SecretRedactor.MASK : null;
  }

  /** Called for each value: non-null replaces it. */
  @Override
  public Object mask(JsonStreamContext context, Object value) {
    if (!(value instanceof CharSequence)) {
      return null;
    }
    String name = context.getCurrentName();
    if (name != null && context.getParent() != null && context.getParent().inRoot() && LogFields.GENERATED.contains(name)) {
      return null;
    }
    String text = value.toString();
    String redacted = redactor.redact(text);
    return redacted.equals(text) ? null : redacted;
  }
}
