package dev.valine.orchestrator.observability;


/** Every log field name we write (docs/observability.md), in one place. */
public final class LogFields {
  public static final String TIMESTAMP = "timestamp";
  public static final String LEVEL = "level";
  public static final String SERVICE = "service";
  public static final String LOGGER = "logger";
  public static final String THREAD = "thread";
  public static final String MESSAGE = "message";
  public static final String STAGE = "stage";

  public static final String TRACE_ID = "trace_id";
  public static final String CORRELATION_ID = "correlation_id";
  public static final String USER_ID = "user_id";
  public static final String COMMAND = "command";

  public static final String FUNCTION_NAME = "function_name";
  public static final String FUNCTION_VERSION = "function_version";
  public static final String AWS_REQUEST_ID = "aws_request_id";
  public static final String COLD_START = "cold_start";
  public static final String XRAY_TRACE_ID = "xray_trace_id";

  public static final String ERROR = "error";
  public static final String ERROR_TYPE = "type";
  public static final String ERROR_MESSAGE = "message";
  public static final String ERROR_STACK = "stack";

  public static final String DURATION_MS = "duration_ms";
  public static final String STATUS = "status";


  private LogFields() {}
}
