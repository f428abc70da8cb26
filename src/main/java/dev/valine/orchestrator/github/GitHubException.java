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
    UNAUTHORIZED, FORBIDDEN, RATE_LIMITED, NOT_FOUND,
    /** GitHub refused the request as sent (HTTP 422): inputs the workflow does not declare, a ref that does not exist. */
    INVALID_REQUEST,
    SERVER_ERROR, TIMEOUT, NETWORK, BAD_RESPONSE;

    /** Failures the team must fix or GitHub must recover from, as opposed to a wrong name or a slow moment. */
    public boolean isOperational() {
      return this == UNAUTHORIZED || this == FORBIDDEN || this == SERVER_ERROR;
    }
  }

  private final Kind kind;
  private final int httpStatus;
  private final Instant retryAt;

  public GitHubException(Kind kind, int httpStatus, String message) {
    this(kind, httpStatus, message, null);
  }

  /** @param retryAt when a rate limit allows the next request, null when not rate limited */
  public GitHubException(Kind kind, int httpStatus, String message, Instant retryAt) {
    super(message);
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.retryAt = retryAt;
  }

  public GitHubException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.httpStatus = 0;
    this.retryAt = null;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status GitHub answered with, empty for timeouts and network failures. */
  public Optional<Integer> httpStatus() {
    return httpStatus == 0 ? Optional.empty() : Optional.of(httpStatus);
  }

  /** For {@link Kind#RATE_LIMITED}: the earliest instant GitHub allows another request. */
  public Optional<Instant> retryAt() {
    return Optional.ofNullable(retryAt);
  }
}
