package dev.valine.orchestrator.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.logstash.logback.composite.GlobalCustomFieldsJsonProvider;
import net.logstash.logback.composite.JsonProviders;
import net.logstash.logback.composite.loggingevent.ArgumentsJsonProvider;
import net.logstash.logback.composite.loggingevent.KeyValuePairsJsonProvider;
import net.logstash.logback.composite.loggingevent.LogLevelJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggerNameJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventFormattedTimestampJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventThreadNameJsonProvider;
import net.logstash.logback.composite.loggingevent.LogstashMarkersJsonProvider;
import net.logstash.logback.composite.loggingevent.MdcJsonProvider;
import net.logstash.logback.composite.loggingevent.MessageJsonProvider;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;

/**
 * Our JSON log line (docs/observability.md), written by logstash-logback-encoder: one object per line with
 * {@code timestamp} (ISO-8601 UTC, milliseconds), {@code level}, {@code logger}, {@code thread},
 * {@code message}, {@code service}, {@code stage}, the MDC (the command's ids), structured arguments
 * ({@link LogField#kv}) and SLF4J key-value pairs as top-level fields, the Lambda invocation's fields
 * (from the MDC, {@link LogContext#forInvocation}) and an exception as {@code error.type/message/stack}
 * ({@link ErrorJsonProvider}).
 *
 * <p>Redaction sits in the JSON generator, as logstash's masking decorator calling {@link RedactingMasker},
 * so every value of every line passes it. Thread-safe once started, like every logback encoder.
 */
public final class JsonLogEncoder extends LoggingEventCompositeJsonEncoder {
  /** At most this much stack text per line; one bad exception cannot blow up a log line. */
  static final int MAX_STACK_CHARS = ErrorJsonProvider.MAX_STACK_CHARS;
  static final int MAX_FRAMES_PER_THROWABLE = ErrorJsonProvider.MAX_FRAMES_PER_THROWABLE;

  /**
   * Not started: set the logback context, then {@link #start()}.
   *
   * @param redactor null only in the benchmark that measures what redaction costs
   */
  public JsonLogEncoder(String stage, SecretRedactor redactor) {
    JsonProviders<ILoggingEvent> providers = getProviders();
    LoggingEventFormattedTimestampJsonProvider timestamp = new LoggingEventFormattedTimestampJsonProvider();
    timestamp.setFieldName(LogFields.TIMESTAMP);
    // Always three digits of milliseconds and a Z, as CloudWatch and Lambda's own JSON lines write them.
    timestamp.setPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
    timestamp.setTimeZone("UTC");
    providers.addProvider(timestamp);
    LogLevelJsonProvider level = new LogLevelJsonProvider();
    level.setFieldName(LogFields.LEVEL);
    providers.addProvider(level);
    LoggerNameJsonProvider logger = new LoggerNameJsonProvider();
    logger.setFieldName(LogFields.LOGGER);
    providers.addProvider(logger);
    // Kept because `serve` runs commands side by side; the thread tells their lines apart.
    LoggingEventThreadNameJsonProvider thread = new LoggingEventThreadNameJsonProvider();
    thread.setFieldName(LogFields.THREAD);
    providers.addProvider(thread);
    MessageJsonProvider message = new MessageJsonProvider();
    message.setFieldName(LogFields.MESSAGE);
    providers.addProvider(message);
    GlobalCustomFieldsJsonProvider<ILoggingEvent> constants = new GlobalCustomFieldsJsonProvider<>();
    ObjectNode fields = JsonNodeFactory.instance.objectNode();
    fields.put(LogFields.SERVICE, LoggingConfigurator.SERVICE);
    fields.put(LogFields.STAGE, stage);
    constants.setCustomFieldsNode(fields);
    providers.addProvider(constants);
    // MDC keys are already our field names (LogContext); each becomes a top-level field. MDC values are
    // strings: write them as such rather than through the ObjectMapper, which also flushes after every value;
    // cold_start is a JSON boolean.
    MdcJsonProvider mdc = new MdcJsonProvider();
    mdc.addMdcEntryWriter((generator, name, key, value) -> {
      if (LogFields.COLD_START.equals(key)) {
        generator.writeBooleanField(name, Boolean.parseBoolean(value));
      } else {
        generator.writeStringField(name, value);
      }
      return true;
    });
    providers.addProvider(mdc);
    providers.addProvider(new KeyValuePairsJsonProvider());
    // Structured arguments (LogField.kv) become top-level fields; plain {} arguments stay in the message only.
    providers.addProvider(new ArgumentsJsonProvider());
    providers.addProvider(new LogstashMarkersJsonProvider());
    providers.addProvider(new ErrorJsonProvider());

    // We register no Jackson modules; scanning the class path for them only costs start-up time.
    setFindAndRegisterJacksonModules(false);
    setLineSeparator("UNIX");
    if (redactor != null) {
      RedactingMasker masker = new RedactingMasker(redactor);
      MaskingJsonGeneratorDecorator masking = new MaskingJsonGeneratorDecorator();
      masking.setDefaultMask(SecretRedactor.MASK);
      masking.addFieldMasker(masker);
      masking.addValueMasker(masker);
      masking.start();
      setJsonGeneratorDecorator(masking);
    }
  }
}
