package dev.valine.orchestrator.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.valine.orchestrator.config.LoggingSettings;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * Configures logback in code (found through {@code META-INF/services}), which skips the XML parser and
 * its cold-start cost. One JSON object per line on stdout with the field names of docs/observability.md
 * ({@link JsonLogEncoder}), or one readable line per event when {@code ENABLE_JSON_LOGGING=false}; both
 * redacted by {@link SecretRedactor}. The encoder is built on the first event ({@link LazyEncoder}), so a
 * cold PING, which logs nothing, does not pay for it. The settings come from {@link LoggingSettings}: a bad
 * value is logged as a warning and replaced by its default, so logging never stops the bot from starting.
 */
public final class LoggingConfigurator extends ContextAwareBase implements Configurator {
  public static final String SERVICE = "valine-orchestrator";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    configure(context, System.getenv(), System.out);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * (Re)configures the context to write to {@code out}; tests use it to capture real log lines.
   *
   * @param env read for ENABLE_JSON_LOGGING, LOG_LEVEL and STAGE ({@link LoggingSettings})
   */
  public static void configure(LoggerContext context, Map<String, String> env, OutputStream out) {
    LoggingSettings settings = LoggingSettings.fromEnvironment(env);

    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setName("stdout");
    LazyEncoder encoder = new LazyEncoder(() -> settings.json() ? jsonEncoder(context, settings.stage(), true) : textEncoder(context));
    encoder.setContext(context);
    encoder.start();
    appender.setEncoder(encoder);
    // One write per event and no buffering: Lambda may freeze the process right after the reply.
    appender.setImmediateFlush(true);
    appender.setOutputStream(out instanceof PrintStream ? out : new PrintStream(out, true));
    appender.start();

    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.setLevel(Level.toLevel(settings.level(), Level.INFO));
    root.addAppender(appender);
    ch.qos.logback.classic.Logger self = context.getLogger(LoggingConfigurator.class);
    for (String warning : settings.warnings()) {
      self.warn("{}", warning);
    }
  }

  /**
   * The JSON encoder of our log lines, started.
   *
   * @param redact always true in the bot; false exists only so the benchmarks can measure what redaction costs
   */
  public static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context, String stage, boolean redact) {
    JsonLogEncoder encoder = new JsonLogEncoder(stage, redact ? new SecretRedactor() : null);
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
    RedactingLayout layout = new RedactingLayout(new SecretRedactor());
    layout.setContext(context);
    layout.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} [%X{command} %X{trace_id}] %msg%n%ex{12}");
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    return encoder;
  }
}
