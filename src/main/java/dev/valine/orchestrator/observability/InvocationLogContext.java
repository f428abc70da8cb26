package dev.valine.orchestrator.observability;

import java.util.Optional;

/**
 * The Lambda fields of our log line (docs/observability.md) ({@code function_name}, {@code function_version}, {@code aws_request_id},
 * {@code cold_start}, {@code xray_trace_id}) for every line of one invocation. Opened by the handler around
 * each invocation and closed in {@code finally}, so the next invocation starts clean.
 *
 * <p>Kept in a thread-local of its own rather than the MDC: touching the MDC starts SLF4J and logback
 * (~100 ms cold), and a PING logs nothing, so it would pay that for no line at all. The JSON encoder
 * writes these fields ({@link JsonLogEncoder}).
 */
public final class InvocationLogContext implements AutoCloseable {
  /** One invocation's fields; {@code cold_start} is written as a JSON boolean. */
  record Fields(String functionName, String functionVersion, String awsRequestId, boolean coldStart, Optional<String> xrayTraceId) {}

  // Like the MDC: per thread, set and cleared by the one wrapper around each invocation.
  private static final ThreadLocal<Fields> CURRENT = new ThreadLocal<>();

  private InvocationLogContext() {}

  public static InvocationLogContext open(String functionName, String functionVersion, String awsRequestId,
      boolean coldStart, Optional<String> xrayTraceId) {
    CURRENT.set(new Fields(functionName, functionVersion, awsRequestId, coldStart, xrayTraceId));
    return new InvocationLogContext();
  }

  /** This thread's invocation fields, to reopen on a worker thread that logs for the same invocation. */
  public static Snapshot snapshot() {
    return new Snapshot(CURRENT.get());
  }

  /** The fields of one invocation, carried to another thread. */
  public static final class Snapshot {
    private final Fields fields;

    private Snapshot(Fields fields) {
      this.fields = fields;
    }

    /** Sets these fields on the calling thread until the returned context is closed. */
    public InvocationLogContext open() {
      if (fields == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(fields);
      }
      return new InvocationLogContext();
    }
  }

  static Optional<Fields> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  @Override
  public void close() {
    CURRENT.remove();
  }
}
