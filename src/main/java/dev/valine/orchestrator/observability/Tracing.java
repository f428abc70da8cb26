package dev.valine.orchestrator.observability;

/**
 * Sends a finished command's trace to a distributed tracing backend. One small interface so that moving
 * from X-Ray (in maintenance since 2026-02-25) to OpenTelemetry is one new class.
 */
public interface Tracing {
  /**
   * Records the command and its steps with their real start and end times. Called once per command on
   * the thread that handled it; implementations never throw.
   */
  void record(TraceRecord trace, String stage);

  /** For local runs and Lambda without active tracing: does nothing, prints nothing. */
  Tracing NONE = (trace, stage) -> { };
}
