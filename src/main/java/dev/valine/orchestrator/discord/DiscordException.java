package dev.valine.orchestrator.discord;

import java.util.Optional;

/**
 * A Discord REST call that did not succeed. The message carries the HTTP status and Discord's JSON error
 * code and message (e.g. {@code 50035 Invalid Form Body}) and never a token.
 */
public final class DiscordException extends Exception {
  /** What went wrong, coarse enough to decide whether to retry or whom to tell. */
  public enum Kind {
    /** Discord rejected the bot token (HTTP 401). */
    UNAUTHORIZED,
    FORBIDDEN, NOT_FOUND, RATE_LIMITED, INVALID_REQUEST, SERVER_ERROR, TIMEOUT, NETWORK, NOT_CONFIGURED,
    /**
     * The secret that holds the bot token could not be read, so the request was not sent (or, after a 401, not sent
     * again): nothing Discord said. The message names the secret and what to do; the cause is the
     * {@code SecretUnavailableException}.
     */
    CREDENTIALS_UNAVAILABLE
  }

  private final Kind kind;
  private final int httpStatus;
  private final Integer discordCode;

  public DiscordException(Kind kind, int httpStatus, Integer discordCode, String message) {
    super(message);
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.discordCode = discordCode;
  }

  public DiscordException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.httpStatus = 0;
    this.discordCode = null;
  }

  public Kind kind() {
    return kind;
  }

  public Optional<Integer> httpStatus() {
    return httpStatus == 0 ? Optional.empty() : Optional.of(httpStatus);
  }

  /** Discord's JSON error code (10015 Unknown Webhook, 50035 Invalid Form Body, …), when it sent one. */
  public Optional<Integer> discordCode() {
    return Optional.ofNullable(discordCode);
  }
}
