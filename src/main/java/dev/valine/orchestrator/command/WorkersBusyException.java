package dev.valine.orchestrator.command;

/**
 * Every command worker is taken: the run was refused rather than a thread made. The caller answers that
 * the bot is busy; it is load, not a failure of the command.
 */
final class WorkersBusyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  WorkersBusyException() {
    super("every command worker is busy");
  }
}
