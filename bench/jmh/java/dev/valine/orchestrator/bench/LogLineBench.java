package dev.valine.orchestrator.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import dev.valine.orchestrator.observability.LoggingConfigurator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One log line through the real JSON encoder: a typical command line (message plus the per-command
 * context), the same line with two secrets in its message, and both with redaction off for comparison.
 */
@State(Scope.Benchmark)
// Sample mode reports percentiles: the p0.50 is the median docs/benchmarks.md quotes.
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LogLineBench {
  private Encoder<ILoggingEvent> redacting;
  private Encoder<ILoggingEvent> plain;
  private ILoggingEvent typical;
  private ILoggingEvent withSecrets;

  @Setup
  public void setUp() {
    LoggerContext context = new LoggerContext();
    redacting = LoggingConfigurator.jsonEncoder(context, "prod", true);
    plain = LoggingConfigurator.jsonEncoder(context, "prod", false);
    Map<String, String> commandContext = Map.of("trace_id", "1-5759e988-bd862e3fe1be46a994272793",
        "correlation_id", "1300000000000000001", "user_id", "53908232506183680", "command", "status",
        "aws_request_id", "8f5e7c1a-0000-4000-8000-000000000001", "function_name", "valine-orchestrator-prod");
    typical = event(context, "GitHub call failed for workflow {}: {} {}", commandContext, "deploy.yml", "SERVER_ERROR", 502);
    withSecrets = event(context, "retrying with token={} and {}", commandContext, "abc123def456",
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXBhcnQ");
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
  public byte[] lineWithTwoSecretsRedacted() {
    return redacting.encode(withSecrets);
  }

  @Benchmark
  public byte[] lineWithTwoSecretsUnredacted() {
    return plain.encode(withSecrets);
  }
}
