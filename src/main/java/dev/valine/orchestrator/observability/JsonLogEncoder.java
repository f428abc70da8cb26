package dev.valine.orchestrator.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.event.KeyValuePair;

/**
 * Our JSON log line, one object per line (design §7): {@code timestamp}, {@code level}, {@code logger},
 * {@code thread}, {@code message}, {@code service}, {@code stage}, the MDC (the command's ids), {@link
 * LogField} arguments and SLF4J key-value pairs, the Lambda invocation's fields ({@link
 * InvocationLogContext}) and an exception as {@code error.type/message/stack}.
 *
 * <p>Every value passes {@link FieldPolicy} and {@link SecretRedactor} on its way into the line, so
 * nothing that logs (message, arguments, MDC, structured fields, exception text) can bypass redaction.
 *
 * <p>Written on Jackson's streaming generator alone. logstash-logback-encoder, which this replaces, builds
 * an {@code ObjectMapper} for its first line: ~130 ms of a cold first command on one CPU
 * (docs/benchmarks.md). Thread-safe: logback calls {@link #encode} outside its appender lock.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
  static final int MAX_STACK_CHARS = 8 * 1024;
  static final int MAX_FRAMES_PER_THROWABLE = 40;
  private static final String STACK_CUT = "\n\t… (stack trimmed to " + MAX_STACK_CHARS / 1024 + " KiB)";
  private static final int MAX_NESTING = 8;

  private final JsonFactory json = new JsonFactory();
  private final String stage;
  // Both null only when redaction is off.
  private final FieldPolicy policy;
  private final SecretRedactor redactor;
  private volatile Second second = new Second(Long.MIN_VALUE, "");

  /**
   * @param redactor null only in the benchmark that measures what redaction costs
   */
  public JsonLogEncoder(String stage, SecretRedactor redactor) {
    this.stage = stage;
    this.redactor = redactor;
    this.policy = redactor == null ? null : new FieldPolicy(redactor);
  }

  /** The formatted "yyyy-MM-ddTHH:mm:ss." of one epoch second; log lines come many per second. */
  private record Second(long epochSecond, String prefix) {}

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    try (JsonGenerator out = json.createGenerator(line)) {
      out.writeStartObject();
      out.writeStringField(LogFields.TIMESTAMP, timestamp(event.getTimeStamp()));
      out.writeStringField(LogFields.LEVEL, event.getLevel().toString());
      out.writeStringField(LogFields.LOGGER, event.getLoggerName());
      out.writeStringField(LogFields.THREAD, event.getThreadName());
      field(out, LogFields.MESSAGE, event.getFormattedMessage(), 0);
      out.writeStringField(LogFields.SERVICE, LoggingConfigurator.SERVICE);
      out.writeStringField(LogFields.STAGE, stage);
      for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
        field(out, entry.getKey(), entry.getValue(), 0);
      }
      Object[] arguments = event.getArgumentArray();
      if (arguments != null) {
        for (Object argument : arguments) {
          if (argument instanceof LogField logField) {
            field(out, logField.key(), logField.value(), 0);
          }
        }
      }
      List<KeyValuePair> pairs = event.getKeyValuePairs();
      if (pairs != null) {
        for (KeyValuePair pair : pairs) {
          field(out, pair.key, pair.value, 0);
        }
      }
      writeInvocation(out);
      if (event.getThrowableProxy() != null) {
        writeError(out, event.getThrowableProxy());
      }
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("a log line could not be written as JSON", e);
    }
    line.write('\n');
    return line.toByteArray();
  }

  private void writeInvocation(JsonGenerator out) throws IOException {
    Optional<InvocationLogContext.Fields> current = InvocationLogContext.current();
    if (current.isEmpty()) {
      return;
    }
    InvocationLogContext.Fields fields = current.get();
    writeIfPresent(out, LogFields.FUNCTION_NAME, fields.functionName());
    writeIfPresent(out, LogFields.FUNCTION_VERSION, fields.functionVersion());
    writeIfPresent(out, LogFields.AWS_REQUEST_ID, fields.awsRequestId());
    out.writeBooleanField(LogFields.COLD_START, fields.coldStart());
    if (fields.xrayTraceId().isPresent()) {
      out.writeStringField(LogFields.XRAY_TRACE_ID, fields.xrayTraceId().get());
    }
  }

  private static void writeIfPresent(JsonGenerator out, String name, String value) throws IOException {
    if (value != null && !value.isEmpty()) {
      out.writeStringField(name, value);
    }
  }

  /** {@code "error": {"type", "message", "stack"}}, which Logs Insights reads as {@code error.type} and so on. */
  private void writeError(JsonGenerator out, IThrowableProxy error) throws IOException {
    out.writeObjectFieldStart(LogFields.ERROR);
    field(out, LogFields.ERROR_TYPE, error.getClassName(), 1);
    field(out, LogFields.ERROR_MESSAGE, error.getMessage() == null ? "" : error.getMessage(), 1);
    field(out, LogFields.ERROR_STACK, stack(error), 1);
    out.writeEndObject();
  }

  /** One field, its value written by type and passed through the redaction policy of its name. */
  private void field(JsonGenerator out, String name, Object value, int depth) throws IOException {
    FieldPolicy.Action action = policy == null ? FieldPolicy.Action.SKIP_GENERATED : policy.of(name, depth == 0);
    out.writeFieldName(name);
    if (action == FieldPolicy.Action.MASK_WHOLE) {
      out.writeString(SecretRedactor.MASK);
    } else {
      value(out, value, action == FieldPolicy.Action.REDACT, depth);
    }
  }

  private void value(JsonGenerator out, Object value, boolean redact, int depth) throws IOException {
    if (value == null) {
      out.writeNull();
    } else if (value instanceof Boolean bool) {
      out.writeBoolean(bool);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      out.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      out.writeNumber(((Number) value).doubleValue());
    } else if (value instanceof BigDecimal decimal) {
      out.writeNumber(decimal);
    } else if (value instanceof BigInteger integer) {
      out.writeNumber(integer);
    } else if (value instanceof Map<?, ?> map && depth < MAX_NESTING) {
      out.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        field(out, String.valueOf(entry.getKey()), entry.getValue(), depth + 1);
      }
      out.writeEndObject();
    } else if (value instanceof Iterable<?> items && depth < MAX_NESTING) {
      out.writeStartArray();
      for (Object item : items) {
        value(out, item, redact, depth + 1);
      }
      out.writeEndArray();
    } else if (value.getClass().isArray() && !(value instanceof char[]) && depth < MAX_NESTING) {
      out.writeStartArray();
      for (int i = 0; i < Array.getLength(value); i++) {
        value(out, Array.get(value, i), redact, depth + 1);
      }
      out.writeEndArray();
    } else {
      String text = value instanceof char[] chars ? new String(chars) : value.toString();
      out.writeString(redact ? redactor.redact(text) : text);
    }
  }

  /** The exception and its causes as Java prints them, at most 40 frames each and 8 KiB in all. */
  static String stack(IThrowableProxy error) {
    StringBuilder text = new StringBuilder(1024);
    IThrowableProxy current = error;
    for (int depth = 0; current != null && depth < MAX_NESTING && text.length() <= MAX_STACK_CHARS; depth++) {
      if (depth > 0) {
        text.append("\nCaused by: ");
      }
      text.append(current.getClassName());
      if (current.getMessage() != null) {
        text.append(": ").append(current.getMessage());
      }
      StackTraceElementProxy[] frames = current.getStackTraceElementProxyArray();
      int shown = Math.min(frames.length - current.getCommonFrames(), MAX_FRAMES_PER_THROWABLE);
      for (int i = 0; i < shown; i++) {
        text.append("\n\t").append(frames[i].getSTEAsString());
      }
      if (frames.length > shown) {
        text.append("\n\t... ").append(frames.length - shown).append(" more");
      }
      current = current.getCause();
    }
    return text.length() <= MAX_STACK_CHARS ? text.toString() : text.substring(0, MAX_STACK_CHARS) + STACK_CUT;
  }

  /** ISO-8601 in UTC with milliseconds ({@code 2026-11-28T06:00:00.123Z}), as CloudWatch and Lambda expect. */
  String timestamp(long epochMillis) {
    long epochSecond = Math.floorDiv(epochMillis, 1000);
    Second cached = second;
    if (cached.epochSecond() != epochSecond) {
      LocalDateTime at = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
      StringBuilder prefix = new StringBuilder(20);
      pad(prefix, at.getYear(), 4).append('-');
      pad(prefix, at.getMonthValue(), 2).append('-');
      pad(prefix, at.getDayOfMonth(), 2).append('T');
      pad(prefix, at.getHour(), 2).append(':');
      pad(prefix, at.getMinute(), 2).append(':');
      pad(prefix, at.getSecond(), 2).append('.');
      cached = new Second(epochSecond, prefix.toString());
      second = cached;
    }
    StringBuilder stamp = new StringBuilder(24).append(cached.prefix());
    return pad(stamp, (int) Math.floorMod(epochMillis, 1000), 3).append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder to, int value, int digits) {
    String text = Integer.toString(value);
    for (int i = text.length(); i < digits; i++) {
      to.append('0');
    }
    return to.append(text);
  }
}
