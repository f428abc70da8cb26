package dev.valine.orchestrator.endpoint;

/** The Lambda event is not an HTTP event we understand, or its body cannot be decoded. */
public final class BadEventException extends Exception {
  public BadEventException(String message) {
    super(message);
  }
}
