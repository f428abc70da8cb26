package dev.valine.orchestrator.observability;

import java.util.Optional;
import org.slf4j.MDC;

/**
 * Puts one invocation's or one command's identifiers into the MDC, so every log line written meanwhile
 * carries them, and removes them on {@link #close()} so nothing leaks into the next invocation on the
 * same thread (Lambda reuses it). Threads that work for a command copy the MDC ({@code CommandRunner},
 * the alert delivery thread).
 */
public final class LogContext implements AutoCloseable {
  private final String[] keys;

  private LogContext(String... keys) {
    this.keys = keys;
  }

  public static LogContext forCommand(String traceId, String correlationId, String userId, String command) {
    MDC.put(LogFields.TRACE_ID, traceId);
    MDC.put(LogFields.CORRELATION_ID, correlationId);
    MDC.put(LogFields.USER_ID, userId);
    MDC.put(LogFields.COMMAND, command);
    return new LogContext(LogFields.TRACE_ID, LogFields.CORRELATION_ID, LogFields.USER_ID, LogFields.COMMAND);
  }

  /**
   * The Lambda fields of one invocation: {@code function_name}, {@code function_version},
   * {@code aws_request_id}, {@code cold_start} (written as a JSON boolean) and, under X-Ray,
   * {@code xray_trace_id}. Blank values are left out.
   */
  public static LogContext forInvocation(String functionName, String functionVersion, String awsRequestId, boolean coldStart,
      Optional<String> xrayTraceId) {
    putIfPresent(LogFields.FUNCTION_NAME, functionName);
    putIfPresent(LogFields.FUNCTION_VERSION, functionVersion);
    putIfPresent(LogFields.AWS_REQUEST_ID, awsRequestId);
    MDC.put(LogFields.COLD_START, Boolean.toString(coldStart));
    xrayTraceId.ifPresent(id -> MDC.put(LogFields.XRAY_TRACE_ID, id));
    return new LogContext(LogFields.FUNCTION_NAME, LogFields.FUNCTION_VERSION, LogFields.AWS_REQUEST_ID, LogFields.COLD_START,
        LogFields.XRAY_TRACE_ID);
  }

  private static void putIfPresent(String key, String value) {
    if (value != null && !value.isEmpty()) {
      MDC.put(key, value);
    }
  }

  @Override
  public void close() {
    for (String key : keys) {
      MDC.remove(key);
    }
  }
}
