package dev.valine.orchestrator.command;

/**
 * A command's progress could not be recorded, so it must not act further: either another attempt has
 * taken the job over (and will finish it, reply included), or the claim store failed, and an act nobody
 * recorded could be repeated by a retry.
 */
public final class ProgressNotRecordedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean takenOver;

  ProgressNotRecordedException(boolean takenOver, String message, Throwable cause) {
    super(message, cause);
    this.takenOver = takenOver;
  }

  /** True: another attempt holds the job now; false: the store did not answer. */
  public boolean takenOver() {
    return takenOver;
  }
}
