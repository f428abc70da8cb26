package dev.valine.orchestrator.github;

import java.util.Optional;

/**
 * A GitHub call that did not give us runs. The message is written for the Discord user (what happened,
 * what to do); it never contains a token. {@link #kind()} says whether the user can fix it.
 */
public final class GitHubException extends Exception {
  /** What went wrong, coarse enough to decide what to tell whom. */
  public enum Kind {
    UNAUTHORIZED, FORBIDDEN, RATE_LIMITED, NOT_FOUND, SERVER_ERROR, TIMEOUT, NETWORK, BAD_RESPONSE;

    /** Failures the team must fix or GitHub must recover from, as opposed to a wrong name or a slow moment. */
    public boolean isOperational() {
      return this == UNAUTHORIZED || this == FORBIDDEN || this == SERVER_ERROR;
    }
  }

  private final Kind kind;
  private final int httpStatus;

  public GitHubException(Kind kind, int httpStatus, String message) {
    super(message);
    this.kind = kind;
    this.httpStatus = httpStatus;
  }

  public GitHubException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.httpStatus = 0;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status GitHub answered with, empty for timeouts and network failures. */
  public Optional<Integer> httpStatus() {
    return httpStatus == 0 ? Optional.empty() : Optional.of(httpStatus);
  }
}
