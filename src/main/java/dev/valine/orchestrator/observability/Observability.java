package dev.valine.orchestrator.observability;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * What commands are observed with, built once per container.
 *
 * @param tracing a supplier so that the X-Ray SDK loads on the first command, never on a PING
 */
public record Observability(TraceStore traces, Supplier<Tracing> tracing, SecretRedactor redactor, String stage) {
  public Observability {
    Objects.requireNonNull(traces, "traces");
    Objects.requireNonNull(tracing, "tracing");
    Objects.requireNonNull(redactor, "redactor");
    Objects.requireNonNull(stage, "stage");
  }
}
