package dev.valine.orchestrator.discord;

/** The body was signed correctly but is not an interaction we can read; answered with 400. */
public final class MalformedInteractionException extends Exception {
  public MalformedInteractionException(String message) {
    super(message);
  }

  public MalformedInteractionException(String message, Throwable cause) {
    super(message, cause);
  }
}
