package dev.valine.orchestrator.aws;

import java.util.Optional;

/**
 * An AWS API call that did not succeed: the service's error (status, error type, message) or no answer
 * at all (status 0: connection refused, timed out, corrupted). Unchecked, as the SDK's own exceptions
 * are; callers that can do without AWS catch it and fall back.
 */
public final class AwsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String errorType;

  public AwsException(String message, int status, String errorType, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorType = errorType;
  }

  /** The HTTP status of the service's answer, or 0 when there was none. */
  public int status() {
    return status;
  }

  /** The service's error code without namespace, such as {@code ConditionalCheckFailedException}. */
  public Optional<String> errorType() {
    return Optional.ofNullable(errorType).filter(type -> !type.isEmpty());
  }

  public boolean is(String type) {
    return type.equals(errorType);
  }
}
