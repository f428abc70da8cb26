package dev.valine.orchestrator.github;

import dev.valine.orchestrator.github.GitHubException.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a GitHub error response into a {@link GitHubException} with a message a Discord user can act on.
 * Pure: status, the rate-limit headers and the body text in; no I/O.
 */
final class GitHubErrors {
  private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final Clock clock;

  GitHubErrors(Clock clock) {
    this.clock = clock;
  }

  /**
   * @param what the resource in words, e.g. "workflow `deploy.yml` in octo/app"
   * @param remaining {@code x-ratelimit-remaining}, {@code reset} {@code x-ratelimit-reset} (epoch seconds),
   *     {@code retryAfter} {@code retry-after} (seconds); each null when absent
   */
  GitHubException fromResponse(int status, String what, String remaining, String reset, String retryAfter, String body) {
    // GitHub signals rate limits with 403 or 429: the primary limit with x-ratelimit-remaining: 0 and a
    // reset time, secondary limits with retry-after (docs: "Rate limits for the REST API").
    boolean primaryLimit = "0".equals(remaining);
    boolean secondaryLimit = retryAfter != null || body.toLowerCase(Locale.ROOT).contains("rate limit");
    if (status == 429 || (status == 403 && (primaryLimit || secondaryLimit))) {
      return new GitHubException(Kind.RATE_LIMITED, status, rateLimitMessage(reset, retryAfter));
    }
    switch (status) {
      case 401:
        return new GitHubException(Kind.UNAUTHORIZED, status,
            "GitHub rejected our token (HTTP 401). An admin should check that GITHUB_TOKEN is set and not expired.");
      case 403:
        return new GitHubException(Kind.FORBIDDEN, status,
            "GitHub refused access to " + what + " (HTTP 403). The token needs read access to Actions on that repository.");
      case 404:
        return new GitHubException(Kind.NOT_FOUND, status,
            "GitHub found no " + what + " (HTTP 404). Check the name, or whether the token can see the repository.");
      default:
        if (status >= 500) {
          return new GitHubException(Kind.SERVER_ERROR, status,
              "GitHub is having trouble (HTTP " + status + "). Try again in a minute.");
        }
        return new GitHubException(Kind.BAD_RESPONSE, status,
            "GitHub answered HTTP " + status + " for " + what + ", which we did not expect.");
    }
  }

  private String rateLimitMessage(String reset, String retryAfter) {
    Optional<Instant> resetAt = seconds(reset).map(Instant::ofEpochSecond)
        .or(() -> seconds(retryAfter).map(wait -> clock.instant().plusSeconds(wait)));
    if (resetAt.isEmpty()) {
      return "GitHub's API rate limit is used up. Try again in a few minutes.";
    }
    long minutes = Math.max(1, (Duration.between(clock.instant(), resetAt.get()).toSeconds() + 59) / 60);
    return "GitHub's API rate limit is used up; it resets at " + CLOCK_TIME.format(resetAt.get())
        + " UTC (in " + minutes + " min).";
  }

  private static Optional<Long> seconds(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of((long) Double.parseDouble(value.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
