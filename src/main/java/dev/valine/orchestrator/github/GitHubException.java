package dev.valine.orchestrator.github;

import java.time.Instant;
import java.util.Optional;

/**
 * A GitHub call that did not give us what we asked for. The message is written for the Discord user (what
 * happened, what to do); it never contains a token. {@link #kind()} says whether the user can fix it, and
 * {@link #retryAt()} when a rate limit lets us try again.
 */
public final class GitHubException extends Exception {
  /** What went wrong, coarse enough to decide what to tell whom. */
  public enum Kind {
    /** GitHub rejected our token (HTTP 401). */
    UNAUTHORIZED,
    FORBIDDEN, RATE_LIMITED, NOT_FOUND,
    /** GitHub refused the request as sent (HTTP 422): inputs the workflow does not declare, a ref that does not exist. */
    INVALID_REQUEST,
    SERVER_ERROR, TIMEOUT, NETWORK, BAD_RESPONSE,
    /**
     * The secret that holds the token could not be read, so the request was not sent (or, after a 401, not sent
     * again): GitHub did nothing it asked for. The message names the secret and what to do; the cause is the
     * {@code SecretUnavailableException}. It may pass (a throttled read), so callers that poll go on polling.
     */
    CREDENTIALS_UNAVAILABLE;

    /**
     * Failures the team must fix or GitHub must recover from, as opposed to a wrong name or a slow moment. A secret
     * that cannot be read is one: a permission, a name or a value to fix, or a throttle that outlasted a read's retries.
     */
    public boolean isOperational() {
      return this == UNAUTHORIZED || this == FORBIDDEN || this == SERVER_ERROR || this == CREDENTIALS_UNAVAILABLE;
    }
  }

  private final Kind kind;
  private final int httpStatus;
  private final Instant retryAt;
  private final boolean neverSent;

  public GitHubException(Kind kind, int httpStatus, String message) {
    this(kind, httpStatus, message, null);
  }

  /** @param retryAt when a rate limit allows the next request, null when not rate limited */
  public GitHubException(Kind kind, int httpStatus, String message, Instant retryAt) {
    super(message);
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.retryAt = retryAt;
    this.neverSent = false;
  }

  public GitHubException(Kind kind, String message, Throwable cause) {
    this(kind, message, cause, false);
  }

  /** @param neverSent whether the request is known never to have left: no connection was made, no time was left */
  public GitHubException(Kind kind, String message, Throwable cause, boolean neverSent) {
    super(message, cause);
    this.kind = kind;
    this.httpStatus = 0;
    this.retryAt = null;
    this.neverSent = neverSent;
  }

  private GitHubException(GitHubException before, String message) {
    super(message, before.getCause());
    this.kind = before.kind;
    this.httpStatus = before.httpStatus;
    this.retryAt = before.retryAt;
    this.neverSent = true;
  }

  /** The same failure, of a step before the request it was for (finding a workflow before dispatching to it). */
  GitHubException beforeSending(String nothingDone) {
    return new GitHubException(this, getMessage() + " " + nothingDone);
  }

  public Kind kind() {
    return kind;
  }

  /** The kind and, when GitHub answered, the HTTP status: {@code SERVER_ERROR HTTP 502}, for a trace step. */
  public String summary() {
    return kind + httpStatus().map(code -> " HTTP " + code).orElse("");
  }

  /** The HTTP status GitHub answered with, empty for timeouts and network failures. */
  public Optional<Integer> httpStatus() {
    return httpStatus == 0 ? Optional.empty() : Optional.of(httpStatus);
  }

  /**
   * Whether the request is known not to have reached GitHub, so that nothing it asked for happened, whatever the
   * kind: the connection was never made, no time was left to send it, or a step before it failed.
   */
  public boolean neverSent() {
    return neverSent;
  }

  /** For {@link Kind#RATE_LIMITED}: the earliest instant GitHub allows another request. */
  public Optional<Instant> retryAt() {
    return Optional.ofNullable(retryAt);
  }
}
