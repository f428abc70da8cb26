package dev.valine.orchestrator.observability;

/**
 * One structured field of a log line: {@code log.info("signature rejected {}", kv("reason", reason))}
 * reads "signature rejected reason=bad_signature" in the message and adds {@code "reason":
 * "bad_signature"} to the JSON line. An argument with no {@code {}} of its own only adds the field.
 * Values are written as JSON numbers, booleans, strings, objects (maps) or arrays, and redacted like
 * every other value ({@link JsonLogEncoder}).
 */
public record LogField(String key, Object value) {
  public static LogField kv(String key, Object value) {
    return new LogField(key, value);
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
