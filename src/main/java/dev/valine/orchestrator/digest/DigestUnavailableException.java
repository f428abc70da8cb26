package dev.valine.orchestrator.digest;

/**
 * No digest can be shown: GitHub or {@code STATUS_WORKFLOWS} is not configured, or no workflow's runs could be
 * fetched. The message says which, and what to do, in words for the channel.
 */
public final class DigestUnavailableException extends Exception {
  DigestUnavailableException(String message) {
    super(message);
  }
}
