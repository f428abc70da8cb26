package dev.valine.orchestrator.observability;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * What commands are observed with, built once per container.
 *
 * @param tracing a supplier so that the X-Ray SDK loads on the first command, never on a PING
 * @param metrics the EMF metrics of commands, deferrals and alerts
 */
public record Observability(TraceStore traces, Supplier<Tracing> tracing, SecretRedactor redactor, String stage, Metrics metrics) {
  public Observability {
    Objects.requireNonNull(traces, "traces");
    Objects.requireNonNull(tracing, "tracing");
    Objects.requireNonNull(redactor, "redactor");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(metrics, "metrics");
  }

  /** Without metrics, for tests and tools. */
  public Observability(TraceStore traces, Supplier<Tracing> tracing, SecretRedactor redactor, String stage) {
    this(traces, tracing, redactor, stage, Metrics.NONE);
  }
}
