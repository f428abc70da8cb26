package dev.valine.orchestrator.observability;

import java.util.Optional;
import org.slf4j.MDC;

/**
 * The Lambda fields of design §7 ({@code function_name}, {@code function_version}, {@code aws_request_id},
 * {@code cold_start}, {@code xray_trace_id}) on every line of one invocation. Opened by the handler around
 * each invocation and closed in {@code finally}, so the next invocation starts clean.
 */
public final class InvocationLogContext implements AutoCloseable {
  private static final String[] KEYS = {LogFields.FUNCTION_NAME, LogFields.FUNCTION_VERSION, LogFields.AWS_REQUEST_ID,
      LogFields.COLD_START, LogFields.XRAY_TRACE_ID};

  private InvocationLogContext() {}

  public static InvocationLogContext open(String functionName, String functionVersion, String awsRequestId,
      boolean coldStart, Optional<String> xrayTraceId) {
    putIfPresent(LogFields.FUNCTION_NAME, functionName);
    putIfPresent(LogFields.FUNCTION_VERSION, functionVersion);
    putIfPresent(LogFields.AWS_REQUEST_ID, awsRequestId);
    MDC.put(LogFields.COLD_START, Boolean.toString(coldStart));
    xrayTraceId.ifPresent(id -> MDC.put(LogFields.XRAY_TRACE_ID, id));
    return new InvocationLogContext();
  }

  private static void putIfPresent(String key, String value) {
    if (value != null && !value.isEmpty()) {
      MDC.put(key, value);
    }
  }

  @Override
  public void close() {
    for (String key : KEYS) {
      MDC.remove(key);
    }
  }
}
