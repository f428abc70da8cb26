package dev.valine.orchestrator.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import dev.valine.orchestrator.observability.LogContext;
import dev.valine.orchestrator.observability.LogField;
import dev.valine.orchestrator.observability.LoggingConfigurator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One log line through the real JSON encoder (logstash-logback-encoder with our masking): a typical command
 * line (message, the per-command MDC and the Lambda invocation's fields), the same line with two secrets in
 * its message, both with redaction off for comparison, and a command's closing line with its three
 * structured fields ({@link LogField#kv}).
 */
// Per thread: the Lambda fields live in a thread-local, so they are opened on the thread that encodes.
@State(Scope.Thread)
// Sample mode reports percentiles: the p0.50 is the median docs/benchmarks.md quotes.
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LogLineBench {
  private Encoder<ILoggingEvent> redacting;
  private Encoder<ILoggingEvent> plain;
  private ILoggingEvent typical;
  private ILoggingEvent withSecrets;
  private ILoggingEvent closing;
  private LogContext invocation;

  @Setup
  public void setUp() {
    LoggerContext context = new LoggerContext();
    redacting = LoggingConfigurator.jsonEncoder(context, "prod", true);
    plain = LoggingConfigurator.jsonEncoder(context, "prod", false);
    Map<String, String> commandContext = Map.of("trace_id", "1-5759e988-bd862e3fe1be46a994272793",
        "correlation_id", "1300000000000000001", "user_id", "53908232506183680", "command", "status");
    invocation = LogContext.forInvocation("valine-orchestrator-prod", "7", "8f5e7c1a-0000-4000-8000-000000000001", false,
        Optional.of("1-5759e988-bd862e3fe1be46a994272793"));
    typical = event(context, "GitHub call failed for workflow {}: {} {}", commandContext, "deploy.yml", "SERVER_ERROR", 502);
    withSecrets = event(context, "retrying with token={} and {}", commandContext, "abc123def456",
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXBhcnQ");
    closing = event(context, "command completed", commandContext, LogField.kv("duration_ms", 412L), LogField.kv("status", "ok"),
        LogField.kv("deferred", false));
  }

  @TearDown
  public void tearDown() {
    invocation.close();
  }

  private static ILoggingEvent event(LoggerContext context, String message, Map<String, String> mdc, Object... args) {
    LoggingEvent event = new LoggingEvent("bench", context.getLogger("dev.valine.orchestrator.command.StatusCommand"),
        Level.INFO, message, null, args);
    event.setMDCPropertyMap(mdc);
    event.prepareForDeferredProcessing();
    return event;
  }

  @Benchmark
  public byte[] typicalLineRedacted() {
    return redacting.encode(typical);
  }

  @Benchmark
  public byte[] typicalLineUnredacted() {
    return plain.encode(typical);
  }

  @Benchmark
  public byte[] closingLineRedacted() {
    return redacting.encode(closing);
  }

  @Benchmark
  public byte[] lineWithTwoSecretsRedacted() {
    return redacting.encode(withSecrets);
  }

  @Benchmark
  public byte[] lineWithTwoSecretsUnredacted() {
    return plain.encode(withSecrets);
  }
}
