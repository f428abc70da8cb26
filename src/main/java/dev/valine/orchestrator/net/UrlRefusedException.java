package dev.valine.orchestrator.net;

/**
 * A URL the bot will not use (docs/security.md). The message is written for the Discord user who gave it: what
 * is wrong and what to do. It never contains the URL's user name or password.
 */
public final class UrlRefusedException extends Exception {
  public UrlRefusedException(String message) {
    super(message);
  }
}
