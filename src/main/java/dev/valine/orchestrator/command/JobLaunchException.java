package dev.valine.orchestrator.command;

/** A deferred job could not be handed off; the message says why (throttled, pool full, no permission …). */
public final class JobLaunchException extends Exception {
  public JobLaunchException(String message) {
    super(message);
  }

  public JobLaunchException(String message, Throwable cause) {
    super(message, cause);
  }
}
