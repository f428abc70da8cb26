package dev.valine.orchestrator.deferral;

/** A Lambda event that claims to be a deferred job but cannot be read as one; the message says why. */
public final class MalformedJobException extends Exception {
  public MalformedJobException(String message) {
    super(message);
  }
}
