package dev.valine.orchestrator.observability;

import com.fasterxml.jackson.core.JsonStreamContext;
import java.util.concurrent.ConcurrentHashMap;
import net.logstash.logback.mask.FieldMasker;
import net.logstash.logback.mask.ValueMasker;

/**
 * Plugs {@link SecretRedactor} into the JSON encoder, where every value of every line is written:
 * a field whose name is sensitive is masked whole (whatever its type), and every other text value is
 * redacted by pattern. Because it sits in the generator, nothing that logs — message, arguments, MDC,
 * structured fields, exception text — can bypass it.
 */
final class RedactingMasker implements FieldMasker, ValueMasker {
  /** What to do with a field's value, decided once per field name. */
  private enum Policy { REDACT, MASK_WHOLE, SKIP_GENERATED }

  // Field names repeat on every line; past this many distinct names, decide without remembering.
  private static final int POLICY_CACHE_LIMIT = 4096;

  private final SecretRedactor redactor;
  private final ConcurrentHashMap<String, Policy> topLevel = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Policy> nested = new ConcurrentHashMap<>();

  RedactingMasker(SecretRedactor redactor) {
    this.redactor = redactor;
  }

  /** Called for each field name: non-null masks the whole field value. */
  @Override
  public Object mask(JsonStreamContext context) {
    String name = context.getCurrentName();
    return name != null && policy(context, name) == Policy.MASK_WHOLE ? SecretRedactor.MASK : null;
  }

  /** Called for each value: non-null replaces it. */
  @Override
  public Object mask(JsonStreamContext context, Object value) {
    if (!(value instanceof CharSequence)) {
      return null;
    }
    String name = context.getCurrentName();
    if (name != null && policy(context, name) == Policy.SKIP_GENERATED) {
      return null;
    }
    String text = value.toString();
    String redacted = redactor.redact(text);
    return redacted == text ? null : redacted;
  }

  private Policy policy(JsonStreamContext context, String name) {
    // Our generated fields are only trusted at the top level; "message" inside "error" is exception text.
    boolean root = context.getParent() != null && context.getParent().inRoot();
    ConcurrentHashMap<String, Policy> cache = root ? topLevel : nested;
    Policy policy = cache.get(name);
    if (policy == null) {
      policy = redactor.isSensitiveName(name) ? Policy.MASK_WHOLE
          : root && LogFields.GENERATED.contains(name) ? Policy.SKIP_GENERATED : Policy.REDACT;
      if (cache.size() < POLICY_CACHE_LIMIT) {
        cache.put(name, policy);
      }
    }
    return policy;
  }
}
