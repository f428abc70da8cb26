package dev.valine.orchestrator.observability;

import org.slf4j.MDC;

/**
 * Puts one command's identifiers into every log line written while it runs, and removes them on
 * {@link #close()} so nothing leaks into the next invocation on the same thread (Lambda reuses it).
 */
public final class LogContext implements AutoCloseable {
  private static final String[] KEYS = {LogFields.TRACE_ID, LogFields.CORRELATION_ID, LogFields.USER_ID, LogFields.COMMAND};

  private LogContext() {}

  public static LogContext forCommand(String traceId, String correlationId, String userId, String command) {
    MDC.put(LogFields.TRACE_ID, traceId);
    MDC.put(LogFields.CORRELATION_ID, correlationId);
    MDC.put(LogFields.USER_ID, userId);
    MDC.put(LogFields.COMMAND, command);
    return new LogContext();
  }

  @Override
  public void close() {
    for (String key : KEYS) {
      MDC.remove(key);
    }
  }
}
