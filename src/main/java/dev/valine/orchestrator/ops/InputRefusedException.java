package dev.valine.orchestrator.ops;

/** An option the bot will not pass on to a workflow; the message says which and why, for the user. Nothing was sent. */
final class InputRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  InputRefusedException(String message) {
    super(message);
  }
}
