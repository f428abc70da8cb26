package dev.valine.orchestrator.net;

/**
 * A fetch that produced no response to report. The message is written for the Discord user (what
 * happened, what to do) and never contains credentials. {@link #kind()} says whether the URL was refused
 * or the target did not answer.
 */
public final class FetchException extends Exception {
  /** What went wrong. */
  public enum Kind {
    /** The URL, a redirect or a resolved address broke the URL rules (docs/security.md); nothing was sent there. */
    REFUSED,
    /** More redirects than {@link SafeHttp#MAX_REDIRECTS}. */
    TOO_MANY_REDIRECTS,
    /** The budget ran out before the response was read. */
    TIMEOUT,
    /** The target could not be reached (name unknown, connection refused, TLS failure). */
    NETWORK
  }

  private final Kind kind;

  public FetchException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public FetchException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
