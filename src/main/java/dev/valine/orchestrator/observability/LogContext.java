package dev.valine.orchestrator.observability;

import org.slf4j.MDC;

/**
 * Puts one command's identifiers into every log line written while it runs, and removes them on
 * {@link #close()} so nothing leaks into the next invocation on the same thread (Lambda reuses it).
 */
public final class LogContext implements AutoCloseable {
  public static final String TRACE_ID = "trace_id";
  public static final String CORRELATION_ID = "correlation_id";
  public static final String USER_ID = "user_id";
  public static final String COMMAND = "command";

  private static final String[] KEYS = {TRACE_ID, CORRELATION_ID, USER_ID, COMMAND};

  private LogContext() {}

  public static LogContext forCommand(String traceId, String correlationId, String userId, String command) {
    MDC.put(TRACE_ID, traceId);
    MDC.put(CORRELATION_ID, correlationId);
    MDC.put(USER_ID, userId);
    MDC.put(COMMAND, command);
    return new LogContext();
  }

  @Override
  public void close() {
    for (String key : KEYS) {
      MDC.remove(key);
    }
  }
}
