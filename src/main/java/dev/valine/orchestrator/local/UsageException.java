package dev.valine.orchestrator.local;

/** A command line we cannot run; printed as one line and answered with exit code 2. */
public final class UsageException extends Exception {
  public UsageException(String message) {
    super(message);
  }
}
